/**
 * A token limited to creditors reads its campaign figures from the rollups per creditor
 * (migration 020: calls, and contacts by status). Whatever happens to the calls, their contacts and claims (calls written and
 * ended, a claim re-imported under another creditor, a contact moved to another claim, a
 * contact or claim deleted), each creditor's figures equal a direct count of the campaign's
 * calls whose contact's claim is that creditor's; and upgrading a store counts the calls
 * already there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMigrations, migrate, openDb, type Db } from '../../src/store/db.ts';
import { campaignCallCounts } from '../../src/store/call-attempts.ts';
import { ConsoleReports } from '../../src/store/console-reports.ts';
import { ContactStore } from '../../src/store/contacts.ts';

const T = '2026-11-23T09:00:00.000Z';
const at = (m: number) => new Date(Date.parse(T) + m * 60_000).toISOString();
const KEYS = `hour, direction, disposition, amd_status, identity_confirmed, message_heard, result`;

function seed(db: Db): void {
  db.exec(`INSERT INTO campaigns (id, name, mode, state, caller_id, settings, created_at, updated_at) VALUES (1, 'c', 'agentless', 'running', '+31201234567', '{}', '${T}', '${T}')`);
  for (let d = 1; d <= 6; d++) {
    db.prepare(`INSERT INTO debtors (id, external_ref, name, created_at, updated_at) VALUES (?, ?, 'x', ?, ?)`).run(d, `D${d}`, T, T);
    db.prepare(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (?, ?, ?, ?, 100, ?, ?)`).run(d, d, d % 2 ? 'Acme' : 'Zeta', `F${d}`, T, T);
    db.prepare(`INSERT INTO contacts (id, campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?)`).run(d, d, d, T, T);
  }
  const call = db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, state, disposition, amd_status, result, created_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`);
  for (let i = 0; i < 18; i++) {
    const d = 1 + (i % 6);
    call.run(`c${i}`, 'outbound', d, d, 'ended', ['answered', 'busy', 'abandoned'][i % 3], i % 3 === 0 ? 'HUMAN' : null, i % 4 === 0 ? 'paylink_requested' : null, at(i * 20));
  }
  call.run('in', 'inbound', null, 1, 'ended', 'answered', null, null, at(5));
}

/** Each creditor's rows, summed over the rollup, and the same counted from the calls. */
function compare(db: Db): void {
  const rolled = db.prepare(`SELECT creditor, ${KEYS}, sum(n) AS n FROM call_rollup_by_creditor WHERE campaign_id = 1 GROUP BY creditor, ${KEYS} HAVING sum(n) <> 0 ORDER BY creditor, ${KEYS}`).all();
  const direct = db.prepare(`SELECT creditor, ${KEYS}, count(*) AS n FROM (
      SELECT k.creditor, substr(ca.created_at, 1, 13) AS hour, ca.direction, COALESCE(ca.disposition, '') AS disposition, COALESCE(ca.amd_status, '') AS amd_status,
             ca.identity_confirmed, ca.message_heard, COALESCE(ca.result, '') AS result
        FROM calls ca JOIN contacts c ON c.id = ca.contact_id JOIN claims k ON k.id = c.claim_id WHERE ca.campaign_id = 1)
    GROUP BY creditor, ${KEYS} ORDER BY creditor, ${KEYS}`).all();
  assert.deepEqual(rolled, direct);
  const contactsRolled = db.prepare(`SELECT creditor, status, sum(n) AS n FROM contact_rollup_by_creditor WHERE campaign_id = 1 GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2`).all();
  const contactsDirect = db.prepare(`SELECT k.creditor, c.status, count(*) AS n FROM contacts c JOIN claims k ON k.id = c.claim_id WHERE c.campaign_id = 1 GROUP BY 1, 2 ORDER BY 1, 2`).all();
  assert.deepEqual(contactsRolled, contactsDirect, 'contacts by status');
}

test("each creditor's campaign figures from the rollup equal a direct count after calls, re-imports, moves and deletes", () => {
  const db = openDb(':memory:');
  seed(db);
  compare(db);
  const acme = () => campaignCallCounts(db, 1, ['Acme']).calls;
  assert.equal(acme().total, 9, 'contacts 1, 3, 5: 9 of the 18 outbound calls; the inbound call is nobody\'s');
  assert.equal(campaignCallCounts(db, 1, ['Acme', 'Zeta']).calls.total, 18);
  assert.equal(new ContactStore(db).countsByStatus(1, ['Acme']).pending, 3);

  db.prepare(`UPDATE calls SET disposition = 'answered', result = 'dispute', message_heard = 1 WHERE id IN ('c1', 'c2')`).run();
  db.prepare(`UPDATE calls SET created_at = ? WHERE id = 'c3'`).run(at(600));
  db.prepare(`UPDATE contacts SET status = 'done' WHERE id IN (1, 2)`).run();
  db.prepare(`UPDATE contacts SET status = 'in_progress' WHERE id = 3`).run();
  db.prepare(`DELETE FROM calls WHERE id = 'c4'`).run();
  compare(db);

  // A re-import names claim 2 (Zeta's) as Acme's: its calls are Acme's from now on.
  db.prepare(`UPDATE claims SET creditor = 'Acme' WHERE id = 2`).run();
  compare(db);
  assert.equal(acme().total, 11, "Acme's 9 less c4 (deleted), plus claim 2's three calls");
  // A contact moved to another creditor's claim, and a call moved to another contact.
  db.prepare(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (7, 3, 'Zeta', 'F7', 100, ?, ?)`).run(T, T);
  db.prepare(`UPDATE contacts SET claim_id = 7 WHERE id = 3`).run();
  db.prepare(`UPDATE calls SET contact_id = 5 WHERE id = 'c5'`).run();
  compare(db);
  // Deleting a contact or a claim leaves the calls with no contact: they are nobody's.
  db.prepare(`DELETE FROM contacts WHERE id = 5`).run();
  compare(db);
  db.prepare(`DELETE FROM claims WHERE id = 1`).run();
  compare(db);
  assert.deepEqual(new ContactStore(db).countsByStatus(1, ['Acme']), { ...new ContactStore(db).countsByStatus(1, ['Nobody']), done: 1 }, 'Acme keeps contact 2 (done)');
  assert.equal(acme().total, 3, "Acme keeps only contact 2's calls (claim 2, re-imported): contact 3 went to Zeta's claim 7, contacts 1 and 5 are gone");
  const contacts = new ContactStore(db);
  assert.deepEqual([...contacts.campaignsOf(['Acme'])], [1], 'the campaign still holds an Acme claim');
  assert.equal(contacts.holdsClaimOf(1, ['Acme']), true);
  db.prepare(`DELETE FROM contacts WHERE id = 2`).run();
  compare(db);
  assert.deepEqual([...contacts.campaignsOf(['Acme'])], [], 'no Acme contact left: a limited token no longer sees the campaign');
  assert.equal(contacts.holdsClaimOf(1, ['Acme']), false);
  assert.deepEqual([...contacts.campaignsOf(['Zeta'])], [1]);
  db.close();
});

test('the limited funnel, answer rate, AMD verdicts and 24 h abandon rate count the creditor\'s calls only', () => {
  const db = openDb(':memory:');
  seed(db);
  const r = new ConsoleReports(db);
  const from = '2026-11-23T09:00:00.000Z';
  const to = '2026-11-24T00:00:00.000Z';
  const all = r.funnel(1, from, to, '2026-11-23', '2026-11-23');
  const acme = r.funnel(1, from, to, '2026-11-23', '2026-11-23', ['Acme']);
  const zeta = r.funnel(1, from, to, '2026-11-23', '2026-11-23', ['Zeta']);
  assert.equal(all.dialled, 18);
  for (const k of ['dialled', 'answered', 'paylink'] as const) assert.equal(acme[k] + zeta[k], all[k], k);
  assert.equal(acme.dialled, 9);
  const hours = (c: string[] | null) => r.hours(1, from, to, c).reduce((s, h) => s + h.dialled, 0);
  assert.equal(hours(['Acme']) + hours(['Zeta']), hours(null));
  // Since 10:10: c4 (10:20, busy), c5 abandoned at 10:40 and later from the calls' edge and the whole hours.
  const since = '2026-11-23T10:10:00.000Z';
  const a = r.abandonSince(1, since, ['Acme']);
  const z = r.abandonSince(1, since, ['Zeta']);
  const both = r.abandonSince(1, since);
  assert.deepEqual({ live: a.live + z.live, abandoned: a.abandoned + z.abandoned }, both);
  assert.ok(a.live > 0 && z.live > 0);
  const amd = (c: string[] | null) => r.amdVerdicts(1, since, c).reduce((s, v) => s + v.n, 0);
  assert.equal(amd(['Acme']) + amd(['Zeta']), amd(null));
  db.close();
});

test('upgrading a store counts the calls already there under their creditors', () => {
  const all = loadMigrations();
  const db = openDb(':memory:', { migrations: all.filter((m) => m.version < 20) });
  seed(db);
  migrate(db, all);
  compare(db);
  assert.equal(campaignCallCounts(db, 1, ['Zeta']).calls.total, 9);
  db.close();
});
