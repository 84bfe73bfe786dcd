/**
 * Messages from the agent desktop in headless Chromium, over the real wires: a debtor's
 * call is put through to Anna; from the case screen she sends the pay link by SMS (the
 * simulated SMSC's handset receives it, the screen follows it to delivered); the debtor
 * texts back, the inbox badge counts it, and Anna answers from the inbox (the handset gets
 * the answer, the badge goes back to 0). The clock starts on a Monday 10:00 in Amsterdam,
 * inside the sending window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserFor, byId } from './chromium.ts';
import { openRig } from '../e2e/transfer-harness.ts';
import { isoUtc } from '../../src/lib/clock.ts';
import { MONDAY_10_AMSTERDAM, OURS, until } from '../helpers/desk-world.ts';

const MOBILE = '+31612345678';

async function textOf(page: Page, id: string, re: RegExp): Promise<void> {
  await page.waitForFunction(
    ([tid, src, flags]) => new RegExp(src!, flags).test(document.querySelector(`[data-testid="${tid}"]`)?.textContent ?? ''),
    [id, re.source, re.flags],
  );
}

test('an agent sends the pay link by SMS from the case screen and answers the debtor’s reply from the inbox', async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const rig = await openRig({ scale: 2, wrapUpSec: 3600, startAt: MONDAY_10_AMSTERDAM });
  t.after(() => rig.close());
  const now = isoUtc(rig.clock.now());
  rig.db.prepare(`INSERT INTO phones (debtor_id, e164, position, created_at, updated_at) VALUES (?, ?, 0, ?, ?)`).run(rig.debtorId, MOBILE, now, now);
  rig.db.prepare(`UPDATE claims SET pay_url = 'https://pay.example.nl/i/77' WHERE id = ?`).run(rig.claimId);
  const srv = await rig.serve();
  await rig.app.deps.messaging!.start();
  const smsc = rig.app.deps.messaging!.sims.smsc!;
  const annaId = rig.agent('Anna de Vries', 'PJSIP/agent1', { outcome: 'answer', ringMs: 500 });

  const page = await (await browser.newContext()).newPage();
  await page.goto(srv.url + '/desktop');
  await byId(page, 'token').fill(srv.token('agent', annaId));
  await byId(page, 'login-button').click();
  await textOf(page, 'agent-name', /^Anna de Vries$/);
  await textOf(page, 'inbox-count', /^0$/);
  await byId(page, 'go-available').click();
  await page.waitForSelector('[data-testid="agent-state"][data-state="available"]');

  const { call, callId } = await rig.debtorCall(MOBILE);
  assert.deepEqual(await rig.desk.transfer(rig.request(call, callId)), { kind: 'connected', agentId: annaId });
  await page.waitForSelector('[data-testid="case"][data-phase="connected"]:not([hidden])');
  await page.waitForSelector('[data-testid="messages"]:not([hidden])');

  // The pay link by SMS: it reaches the handset, and the row on screen follows it to delivered.
  await byId(page, 'send-paylink-sms').click();
  await textOf(page, 'msg-status', /^Pay link queued for SMS\.$/);
  const [sms] = await until('the pay link at the handset', () => smsc.inbox(MOBILE).length > 0 && smsc.inbox(MOBILE));
  assert.equal(sms!.from, OURS);
  assert.match(sms!.text, /€ 1\.234,56/);
  assert.match(sms!.text, /\/p\/[A-Za-z0-9_-]{22}/);
  await page.waitForSelector('[data-testid="msg-row"][data-status="delivered"]');
  // The SMS text has line breaks; the tracked link shows without its token.
  await textOf(page, 'msg-list', /SMS.*\+3161234\*{4}.*\/p\/….*Delivered/s);

  // A text is counted as it is typed: 170 GSM characters are two SMS.
  await byId(page, 'msg-text').fill('x'.repeat(170));
  await textOf(page, 'msg-counter', /^170 characters · 2 SMS \(153 each\)$/);

  // The debtor texts back: the badge counts it, and Anna answers from the inbox.
  await smsc.reply(MOBILE, OURS, 'Wie is dit eigenlijk? Ik ken dit bedrijf niet.');
  await textOf(page, 'inbox-count', /^1$/);
  await byId(page, 'inbox-toggle').click();
  const item = page.locator('[data-testid="inbox-item"]').first();
  await item.waitFor();
  assert.match(await item.textContent() ?? '', /Jan Jansen.*\+3161234\*{4}.*Wie is dit eigenlijk\?/s);
  assert.equal(await item.getAttribute('data-status'), 'open');
  await item.getByTestId('inbox-take').click();
  await page.waitForSelector('[data-testid="inbox-item"][data-status="assigned"]');
  await item.getByTestId('inbox-answer-text').fill('U spreekt met Incasso Noord namens Energie BV. Ik bel u zo terug.');
  await item.getByTestId('inbox-answer-send').click();
  await textOf(page, 'inbox-status', /^Answer sent to \+3161234\*{4}\.$/);
  const answer = await until('the answer at the handset', () => smsc.inbox(MOBILE).find((m) => m.text.startsWith('U spreekt met Incasso Noord')));
  assert.equal(answer.from, OURS);
  await textOf(page, 'inbox-count', /^0$/);
  await page.waitForSelector('[data-testid="inbox-item"]', { state: 'detached' });
  const replies = rig.app.deps.store.replies.inbox({ status: 'closed', debtorId: rig.debtorId });
  assert.deepEqual(replies.map((r) => [r.body, r.agentId]), [['Wie is dit eigenlijk? Ik ken dit bedrijf niet.', annaId]]);
  // Her answer joins the list of what was sent to the debtor on screen.
  await page.waitForSelector('[data-testid="msg-row"]:nth-child(2)');
  await textOf(page, 'msg-list', /U spreekt met Incasso Noord/);
});
