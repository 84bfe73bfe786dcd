/**
 * Issue 17 benchmark: what may be slow in data protection, on a store of N debtors (one
 * phone, one claim, one contact and one call each; default 1,000,000), an SMS for one in
 * five, 1,000 import errors, and M access-audit entries (default 1,000,000):
 *   - erasing one debtor (POST /debtors/:ref/erase's store work: every table, secure_delete,
 *     then the WAL checkpoint), for K random debtors: median and max ms;
 *   - appending audit entries (per entry, in pages of 100 as a contacts list does);
 *   - `bereik audit verify` over the whole chain (the store's verify());
 *   - one retention pass with nothing expired (the daily job's floor).
 *
 *   node --import tsx scripts/bench-data-protection.ts [--debtors 1000000] [--audit 1000000] [--erase 20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteStore, sqliteHandle } from '../src/store/sqlite.ts';

const { values } = parseArgs({ options: { debtors: { type: 'string' }, audit: { type: 'string' }, erase: { type: 'string' } } });
const N = Number(values.debtors ?? 1_000_000);
const M = Number(values.audit ?? 1_000_000);
const K = Number(values.erase ?? 20);
const AT = '2026-11-01T08:00:00.000Z';
const phone = (d: number) => `+3161${String(d).padStart(7, '0')}`;

const dir = mkdtempSync(join(tmpdir(), 'bench-dp-'));
const store = openSqliteStore(join(dir, 'bereik.sqlite'));
const db = sqliteHandle(store);
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

try {
  let t0 = process.hrtime.bigint();
  db.pragma('foreign_keys = OFF');
  db.prepare(`INSERT INTO campaigns (id, name, mode, state, caller_id, settings, created_at, updated_at) VALUES (1, 'bench', 'agentless', 'running', '+31201234567', '{}', ?, ?)`).run(AT, AT);
  db.prepare(`INSERT INTO imports (id, campaign_id, file_sha256, status, created_at) VALUES (1, 1, 'x', 'partial', ?)`).run(AT);
  const s = {
    debtor: db.prepare(`INSERT INTO debtors (id, external_ref, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`),
    phone: db.prepare(`INSERT INTO phones (debtor_id, e164, created_at, updated_at) VALUES (?, ?, ?, ?)`),
    claim: db.prepare(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, status, created_at, updated_at) VALUES (?, ?, 'Energie BV', ?, 12345, 'paid', ?, ?)`),
    contact: db.prepare(`INSERT INTO contacts (id, campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?)`),
    call: db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, to_number, state, disposition, dtmf_path, created_at) VALUES (?, 'outbound', 1, ?, ?, ?, 'ended', 'answered', '1', ?)`),
    message: db.prepare(`INSERT INTO messages (channel, source, debtor_id, claim_id, to_addr, sender, body, status, next_attempt_at, created_at, updated_at) VALUES ('sms', 'campaign', ?, ?, ?, 'Incasso', 'Betaal via de link', 'delivered', ?, ?, ?)`),
    error: db.prepare(`INSERT INTO import_errors (import_id, line, column_name, value, reason, raw) VALUES (1, ?, 'Bedrag', 'x', 'amount is not a number', ?)`),
  };
  const per = 50_000;
  for (let start = 1; start <= N; start += per) {
    db.transaction(() => {
      for (let d = start; d < start + per && d <= N; d++) {
        s.debtor.run(d, `D${d}`, `Naam ${d}`, `d${d}@example.nl`, AT, AT);
        s.phone.run(d, phone(d), AT, AT);
        s.claim.run(d, d, `INV-${d}`, AT, AT);
        s.contact.run(d, d, d, AT, AT);
        s.call.run(`c${d}`, d, d, phone(d), AT);
        if (d % 5 === 0) s.message.run(d, d, phone(d), AT, AT, AT);
        if (d <= 1000) s.error.run(d, `D${d * 997 % N};Naam;06${d}`);
      }
    })();
  }
  db.pragma('foreign_keys = ON');
  console.log(`seeded ${N.toLocaleString('en')} debtors (phones, claims, contacts, calls), ${Math.floor(N / 5).toLocaleString('en')} messages in ${(ms(t0) / 1000).toFixed(1)} s`);

  t0 = process.hrtime.bigint();
  const actor = { tokenId: 2, tokenName: 'operator-anna', role: 'operator', address: '10.0.0.7' };
  for (let i = 0; i < M; i += 100) {
    store.audit.append(actor, new Date(Date.parse(AT) + i * 1000).toISOString(), Array.from({ length: Math.min(100, M - i) }, (_, j) => ({ debtorId: ((i + j) % N) + 1, access: 'contact_list' as const, detail: { route: 'GET /campaigns/:id/contacts', campaignId: 1 } })));
  }
  const appendMs = ms(t0);
  console.log(`audit: appended ${M.toLocaleString('en')} entries in ${(appendMs / 1000).toFixed(1)} s (${((appendMs * 1000) / M).toFixed(1)} µs per entry, pages of 100)`);

  t0 = process.hrtime.bigint();
  const v = store.audit.verify();
  console.log(`audit verify: ${v.entries.toLocaleString('en')} entries, ${v.ok ? 'holds' : 'BROKEN'}, ${(ms(t0) / 1000).toFixed(2)} s`);

  const times: number[] = [];
  for (let i = 0; i < K; i++) {
    const d = 1 + Math.floor(((i + 1) * 7919 * 104729) % N);
    t0 = process.hrtime.bigint();
    store.erasure.erase(d, AT);
    store.erasure.checkpoint();
    times.push(ms(t0));
  }
  times.sort((a, b) => a - b);
  console.log(`erase one debtor (+ WAL checkpoint) among ${N.toLocaleString('en')}: median ${times[Math.floor(K / 2)]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms (${K} debtors)`);

  t0 = process.hrtime.bigint();
  const r = store.erasure.applyRetention({ callDetailsDays: 395, messagesDays: 395, importErrorsDays: 30, rejectedRowsDays: 7 }, Date.parse(AT) + 86_400_000);
  console.log(`retention pass, nothing expired: ${ms(t0).toFixed(0)} ms (${JSON.stringify(r)})`);
  t0 = process.hrtime.bigint();
  const all = store.erasure.applyRetention({ callDetailsDays: 1, messagesDays: 1, importErrorsDays: 1, rejectedRowsDays: 1 }, Date.parse(AT) + 3 * 86_400_000);
  console.log(`retention pass, everything expired: ${(ms(t0) / 1000).toFixed(1)} s (${JSON.stringify(all)})`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
