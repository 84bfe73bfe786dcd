/**
 * Retention on the default limits (config/bereik.json, argued in docs/data-protection.md),
 * run by the daily job on a fake clock: rejected rows lose their raw row after 7 days,
 * import errors go after 30, call details, agents' notes, messages and replies are
 * anonymised after 395; nothing goes a day early; the campaign's counts stay; /metrics
 * shows what was removed per kind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { createCampaign, uploadRaw } from '../helpers/imports.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createCall } from '../../src/store/calls.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

const T0 = '2026-11-23T09:00:00.000Z';
const DAY = 86_400_000;
const CSV = [
  'Debiteurnummer;Naam;Telefoon;Email;Bedrag;Factuurnummer;Opdrachtgever',
  'D1;Henk de Vries;06-12345678;;10,00;F1;Acme',
  'D2;Truus Bakker;06-23456789;;geen bedrag;F2;Acme',
].join('\n') + '\n';

test('the daily job removes each kind of personal data when its limit passes, not a day before, and keeps the counts', async (t) => {
  const clock = new FakeClock(T0);
  const app = await startTestApp({ clock, telephony: false, messaging: false });
  t.after(() => app.close());
  const { store } = app.app.deps;
  const db = sqliteHandle(store);
  const campaignId = await createCampaign(app);
  assert.equal((await uploadRaw(app, campaignId, CSV, '?skipInvalid=true')).status, 201);
  const henk = (db.prepare(`SELECT id FROM debtors WHERE external_ref = 'D1'`).get() as { id: number }).id;
  const claim = (db.prepare(`SELECT id FROM claims WHERE debtor_id = ?`).get(henk) as { id: number }).id;
  createCall(db, { id: 'c1', direction: 'outbound', campaignId, debtorId: henk, createdAt: T0, state: 'ended', disposition: 'answered', result: 'promise', toNumber: '+31612345678', dtmfPath: '1#' });
  db.prepare(`INSERT INTO dispositions (call_id, claim_id, kind, amount_cents, note, created_at) VALUES ('c1', ?, 'promise_to_pay', 1000, 'pays friday', ?)`).run(claim, T0);
  const msg = store.messages.queue({ channel: 'sms', source: 'api', debtorId: henk, to: '+31612345678', sender: 'number:+3197010587400', language: 'nl', body: 'Betaal via link' }, T0);
  db.prepare(`UPDATE messages SET status = 'delivered' WHERE id = ?`).run(msg.id);
  store.replies.recordInbound({ channel: 'sms', from: '+31612345678', to: '+3197010587400', body: 'ik betaal vrijdag', debtorId: henk, messageId: msg.id, intent: 'free_text', status: 'handled' }, T0);

  const state = () => ({
    rawRows: (db.prepare(`SELECT count(*) AS n FROM import_errors WHERE raw IS NOT NULL`).get() as { n: number }).n,
    errors: (db.prepare(`SELECT count(*) AS n FROM import_errors`).get() as { n: number }).n,
    call: db.prepare(`SELECT to_number AS toNumber, dtmf_path AS keys, disposition, result FROM calls WHERE id = 'c1'`).get(),
    note: (db.prepare(`SELECT note FROM dispositions`).get() as { note: string | null }).note,
    message: db.prepare(`SELECT to_addr AS toAddr, body, status, channel FROM messages`).get(),
    reply: db.prepare(`SELECT from_addr AS fromAddr, body, intent FROM inbound_messages`).get(),
  });
  const removed = async () => {
    const text = await (await app.api('/metrics', { role: 'admin' })).text();
    return Object.fromEntries([...text.matchAll(/^bereik_personal_data_removed_total\{kind="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
  };
  const fresh = state();
  assert.ok(fresh.rawRows >= 1, 'the bad row is kept as it came, for the rejects CSV');
  assert.equal(fresh.errors, fresh.rawRows);

  /** To `days` after T0, the daily job running on the way. */
  const at = (days: number) => clock.advance(Date.parse(T0) + days * DAY - clock.now());
  await at(7); // the job ran on days 1–7: a rejected row is 7 days old only now, still kept
  assert.equal(state().rawRows, fresh.rawRows, 'the rejected row is kept for 7 days');
  await at(8);
  assert.equal(state().rawRows, 0, 'the raw rejected row is gone after 7 days');
  assert.equal(state().errors, fresh.errors, 'the error (line, column, reason) stays until 30 days');
  assert.deepEqual(await removed(), { rejected_rows: fresh.rawRows });

  await at(31);
  assert.equal(state().errors, 0);
  await at(395);
  assert.deepEqual(state().call, fresh.call, 'call details stay 395 days');
  assert.equal(state().note, 'pays friday');
  await at(396);
  const expired = state();
  assert.deepEqual(expired.call, { toNumber: null, keys: '', disposition: 'answered', result: 'promise' });
  assert.equal(expired.note, null);
  assert.deepEqual(expired.message, { toAddr: '', body: '', status: 'delivered', channel: 'sms' });
  assert.deepEqual(expired.reply, { fromAddr: '', body: '', intent: 'free_text' });
  // The figures built on them stay: the campaign still has its contact and its answered call.
  assert.equal((db.prepare(`SELECT count(*) AS n FROM contacts WHERE campaign_id = ?`).get(campaignId) as { n: number }).n, 1);
  assert.equal((db.prepare(`SELECT sum(amount_cents) AS c FROM dispositions WHERE kind = 'promise_to_pay'`).get() as { c: number }).c, 1000);
  const counts = await removed();
  assert.equal(counts.rejected_rows, fresh.rawRows);
  assert.equal(counts.import_errors, fresh.errors);
  assert.equal(counts.call_details, 1);
  assert.equal(counts.disposition_notes, 1);
  assert.equal(counts.messages, 1);
  assert.equal(counts.replies, 1);
});
