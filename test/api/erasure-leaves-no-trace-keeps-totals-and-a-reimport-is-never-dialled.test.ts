/**
 * Erasure and subject access (docs/data-protection.md). A person imported from a CSV (one
 * good row, one rejected row quoting them), called, texted and answering, is exported for a
 * subject-access request, then erased: afterwards neither the database file (checkpointed)
 * nor anything in the data folder holds their name, numbers, e-mail or debtor number, the
 * campaign's totals are unchanged, and importing the same file again never dials or texts
 * the number. While a claim is open, erasure is refused unless forced with a reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { createCampaign, uploadRaw } from '../helpers/imports.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createCall } from '../../src/store/calls.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { callablePhones } from '../../src/dialer/runtime/select.ts';

const NOW = '2026-11-23T09:00:00.000Z';
const HEADER = 'Debiteurnummer;Naam;Telefoon;Telefoon2;Email;Taal;Bedrag;Factuurnummer;Vervaldatum;Risico;Opdrachtgever;Betaallink';
const CSV = [
  HEADER,
  'D900;Wilhelmina Zwartkop;06-24681357;;wil.zwartkop@example.nl;nl;250,00;F900-1;31-12-2026;laag;Acme BV;https://pay.example/900',
  'D900;Wilhelmina Zwartkop;06-24681357;;wil.zwartkop@example.nl;nl;geen bedrag;F900-2;31-12-2026;laag;Acme BV;',
  'D901;Karel Blijft;06-11112222;;;nl;100,00;F901-1;31-12-2026;laag;Acme BV;',
].join('\r\n') + '\r\n';
/** Everything that names Wilhelmina, in the forms it may be stored in. */
const TRACES = ['Zwartkop', 'Wilhelmina', '24681357', 'wil.zwartkop', 'D900', 'F900-1', 'F900-2', 'pay.example/900', 'HER-REPLY', 'HER-NOTE'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test('an erased person leaves no trace in the database file or the data folder, totals stay, and a re-import never dials them', async (t) => {
  const clock = new FakeClock(NOW);
  const app = await startTestApp({ clock });
  t.after(() => app.close());
  const { store } = app.app.deps;
  const db = sqliteHandle(store);
  const campaignId = await createCampaign(app);
  const imported = await uploadRaw(app, campaignId, CSV, '?skipInvalid=true');
  assert.equal(imported.status, 201, await imported.clone().text());
  const her = (db.prepare(`SELECT id FROM debtors WHERE external_ref = 'D900'`).get() as { id: number }).id;
  const claim = (db.prepare(`SELECT id FROM claims WHERE debtor_id = ?`).get(her) as { id: number }).id;
  const contact = (db.prepare(`SELECT id FROM contacts WHERE debtor_id = ?`).get(her) as { id: number }).id;
  assert.ok((db.prepare(`SELECT count(*) AS n FROM import_errors WHERE raw LIKE '%Zwartkop%'`).get() as { n: number }).n > 0, 'the rejected row quotes her');

  // Her history: a call with keys, a disposition note, a text sent and her reply.
  createCall(db, { id: 'call-w', direction: 'outbound', campaignId, contactId: contact, debtorId: her, createdAt: NOW, state: 'ended', disposition: 'answered', toNumber: '+31624681357', dtmfPath: '12', result: 'promise' });
  db.prepare(`INSERT INTO dispositions (call_id, claim_id, kind, amount_cents, note, created_at) VALUES ('call-w', ?, 'promise_to_pay', 25000, 'HER-NOTE', ?)`).run(claim, NOW);
  store.messages.queue({ channel: 'sms', source: 'api', debtorId: her, claimId: claim, to: '+31624681357', sender: 'number:+3197010587400', language: 'nl', body: 'Wilhelmina, betaal via https://pay.example/900' }, NOW);
  store.replies.recordInbound({ channel: 'sms', from: '+31624681357', to: '+3197010587400', body: 'HER-REPLY ik betaal morgen', debtorId: her, messageId: null, intent: 'free_text', status: 'open' }, NOW);

  // Subject access: everything held, as JSON and as a readable page.
  const json = await app.api('/debtors/D900/export', { role: 'admin' });
  assert.equal(json.status, 200);
  const data = (await json.json()) as { debtor: { name: string }; phones: { e164: string }[]; claims: unknown[]; calls: { keys: string }[]; messages: unknown[]; replies: unknown[]; dispositions: { note: string }[] };
  assert.equal(data.debtor.name, 'Wilhelmina Zwartkop');
  assert.deepEqual(data.phones.map((p) => p.e164), ['+31624681357']);
  assert.equal(data.calls[0]!.keys, '12');
  assert.equal(data.dispositions[0]!.note, 'HER-NOTE');
  assert.equal(data.messages.length, 1);
  assert.equal(data.replies.length, 1);
  const html = await app.api('/debtors/D900/export?format=html', { role: 'admin' });
  assert.match(html.headers.get('content-type') ?? '', /text\/html/);
  const page = await html.text();
  assert.ok(page.includes('Wilhelmina Zwartkop') && page.includes('Gesprekken / Calls') && page.includes('HER-REPLY'));
  assert.equal((await app.api('/debtors/D900/export')).status, 403, 'an operator cannot export a person');

  const totals = () => ({
    claims: db.prepare(`SELECT count(*) AS n, sum(amount_cents) AS cents FROM claims`).get(),
    contacts: db.prepare(`SELECT status, count(*) AS n FROM contacts GROUP BY status`).all(),
    calls: db.prepare(`SELECT disposition, result, count(*) AS n FROM calls GROUP BY 1, 2`).all(),
    messages: db.prepare(`SELECT channel, status, count(*) AS n FROM messages GROUP BY 1, 2`).all(),
    promised: db.prepare(`SELECT kind, sum(amount_cents) AS cents FROM dispositions GROUP BY kind`).all(),
  });
  const before = totals();
  const statsBefore = await (await app.api(`/campaigns/${campaignId}/stats`)).json();

  // Her claim is open: refused with the reason, and a force needs a reason of its own.
  const refused = await app.api('/debtors/D900/erase', { method: 'POST', role: 'admin', json: {} });
  assert.equal(refused.status, 409);
  const why = (await refused.json()) as { error: { code: string; message: string; details: { claims: number[] } } };
  assert.equal(why.error.code, 'ERASURE_CLAIM_OPEN');
  assert.match(why.error.message, /D900 has 1 claim\(s\) still open.*force/);
  assert.deepEqual(why.error.details.claims, [claim]);
  assert.equal((await app.api('/debtors/D900/erase', { method: 'POST', role: 'admin', json: { force: true } })).status, 400);
  assert.equal((await app.api('/debtors/D900/erase', { method: 'POST', json: {} })).status, 403, 'only an admin erases');

  db.prepare(`UPDATE claims SET status = 'paid' WHERE id = ?`).run(claim);
  const erased = await app.api('/debtors/D900/erase', { method: 'POST', role: 'admin', json: {} });
  assert.equal(erased.status, 200, await erased.clone().text());
  assert.equal(((await erased.json()) as { forced: boolean }).forced, false);

  // No trace: the database file (the route checkpointed the WAL) and every file in the data folder.
  for (const file of filesUnder(app.dir)) {
    const bytes = readFileSync(file);
    for (const trace of TRACES) assert.equal(bytes.indexOf(trace), -1, `${file} still holds "${trace}"`);
  }
  assert.ok(readFileSync(app.dbPath).indexOf('Karel Blijft') >= 0, 'the other debtor is still there (the search is not vacuous)');
  assert.deepEqual(totals(), before, 'claims, contacts, calls, messages and promised amounts keep their totals');
  assert.deepEqual(await (await app.api(`/campaigns/${campaignId}/stats`)).json(), statsBefore);
  assert.equal((await app.api('/debtors/D900/export', { role: 'admin' })).status, 404);
  assert.ok(!(await (await app.api(`/debtors?q=Wilhelmina`)).text()).includes('Wilhelmina'));

  // The same file again: she is a new debtor to the import, but her number is never dialled nor texted.
  const again = await createCampaign(app, { name: 'again' });
  assert.equal((await uploadRaw(app, again, CSV, '?skipInvalid=true')).status, 201);
  const back = (db.prepare(`SELECT id FROM debtors WHERE external_ref = 'D900'`).get() as { id: number }).id;
  assert.notEqual(back, her);
  assert.deepEqual(callablePhones(store.dialer, back).phones, [], 'the dialer has no callable number for her');
  const karel = (db.prepare(`SELECT id FROM debtors WHERE external_ref = 'D901'`).get() as { id: number }).id;
  assert.equal(callablePhones(store.dialer, karel).phones.length, 1, 'the other debtor is still callable');
  assert.deepEqual(db.prepare(`SELECT channel FROM opt_outs WHERE address IN ('+31624681357', 'wil.zwartkop@example.nl') ORDER BY channel`).all(), [
    { channel: 'email' }, { channel: 'sms' }, { channel: 'whatsapp' },
  ]);
  // What stays of her numbers is only their salted hash.
  const hashes = db.prepare(`SELECT hash FROM erased_numbers`).all() as { hash: string }[];
  assert.equal(hashes.length, 2);
  assert.ok(hashes.every((h) => /^[0-9a-f]{64}$/.test(h.hash)));
});
