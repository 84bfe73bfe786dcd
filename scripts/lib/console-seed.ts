/**
 * The console benchmarks' store: N debtors (one phone, one claim and one contact each in
 * one campaign), 5 outbound calls per debtor on 5 days (answered, busy, no answer, with AMD
 * verdicts, the IVR's flags and results), an SMS for one debtor in five and a promise for
 * one in ten. Used by scripts/bench-debtor-lookup.ts and scripts/bench-console.ts.
 */
import { openSqliteStore, sqliteHandle } from '../../src/store/sqlite.ts';

export const CALLS_PER_DEBTOR = 5;
export const AT = '2026-11-01T08:00:00.000Z';
const FIRST = ['Anna', 'Bram', 'Cor', 'Daan', 'Eva', 'Fleur', 'Gijs', 'Hanna', 'Ivo', 'Joke'];
export const name = (d: number) => `${FIRST[d % 10]} ${['Jansen', 'de Vries', 'Bakker', 'Visser', 'Smit'][d % 5]} ${d}`;
export const phone = (d: number) => `+3161${String(d).padStart(7, '0')}`;
const time = (d: number, i: number) => new Date(Date.parse(AT) + (d % 86_400) * 1000 + i * 86_400_000).toISOString();

/** disposition, AMD verdict, identity confirmed, message heard, result: ten outcomes in turn. */
const OUTCOMES: [string, string, number, number, string | null][] = [
  ['answered', 'HUMAN', 1, 1, 'paylink_requested'], ['answered', 'HUMAN', 1, 1, 'no_choice'], ['answered', 'HUMAN', 1, 0, 'hangup_early'],
  ['answered', 'HUMAN', 0, 0, 'identity_not_confirmed'], ['answered', 'NOTSURE', 1, 1, 'transferred'], ['answered', 'HUMAN', 1, 1, 'dispute'],
  ['busy', '', 0, 0, null], ['no_answer', '', 0, 0, null], ['machine', 'MACHINE', 0, 0, null], ['no_answer', '', 0, 0, null],
];

/**
 * Seeds the store at path; returns the campaign's id (paused: a dialer would not call anyone).
 * creditors: the claims' creditors in turn (debtor d owes creditors[d % length]), all in the one campaign.
 */
export function seedConsoleStore(path: string, N: number, creditors: readonly string[] = ['Energie BV']): number {
  const store = openSqliteStore(path);
  const db = sqliteHandle(store);
  db.pragma('foreign_keys = OFF');
  const campaign = Number(db.prepare(`INSERT INTO campaigns (name, mode, state, caller_id, settings, created_at, updated_at) VALUES ('bench', 'agentless', 'paused', '+31201234567', '{}', ?, ?)`).run(AT, AT).lastInsertRowid);
  const s = {
    debtor: db.prepare(`INSERT INTO debtors (id, external_ref, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`),
    phone: db.prepare(`INSERT INTO phones (debtor_id, e164, created_at, updated_at) VALUES (?, ?, ?, ?)`),
    claim: db.prepare(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (?, ?, ?, ?, 12345, ?, ?)`),
    contact: db.prepare(`INSERT INTO contacts (id, campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`),
    call: db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, to_number, state, disposition, amd_status, identity_confirmed, message_heard, result, dtmf_path, created_at, answered_at, ended_at)
      VALUES (?, 'outbound', ?, ?, ?, ?, 'ended', ?, ?, ?, ?, ?, '1', ?, ?, ?)`),
    message: db.prepare(`INSERT INTO messages (channel, source, debtor_id, claim_id, to_addr, sender, body, status, next_attempt_at, created_at, updated_at)
      VALUES ('sms', 'campaign', ?, ?, ?, 'Incasso', 'Betaal via de link', 'delivered', ?, ?, ?)`),
    disposition: db.prepare(`INSERT INTO dispositions (claim_id, kind, created_at) VALUES (?, 'promise_to_pay', ?)`),
  };
  const per = 50_000;
  for (let start = 1; start <= N; start += per) {
    db.transaction(() => {
      for (let d = start; d < start + per && d <= N; d++) {
        s.debtor.run(d, `D${d}`, name(d), AT, AT);
        s.phone.run(d, phone(d), AT, AT);
        s.claim.run(d, d, creditors[d % creditors.length], `INV-${d}`, AT, AT);
        s.contact.run(d, campaign, d, d, AT, AT);
        for (let i = 0; i < CALLS_PER_DEBTOR; i++) {
          const o = OUTCOMES[(d + i) % OUTCOMES.length]!;
          s.call.run(`c${d}-${i}`, campaign, d, d, phone(d), o[0], o[1], o[2], o[3], o[4], time(d, i), o[0] === 'answered' ? time(d, i) : null, time(d, i));
        }
        if (d % 5 === 0) s.message.run(d, d, phone(d), time(d, 1), time(d, 1), time(d, 1));
        if (d % 10 === 0) s.disposition.run(d, time(d, 2));
      }
    })();
    process.stdout.write(`\rseeded ${Math.min(start + per - 1, N).toLocaleString('en')} debtors`);
  }
  process.stdout.write('\n');
  db.exec('ANALYZE');
  store.close();
  return campaign;
}

