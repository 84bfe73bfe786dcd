/**
 * Messaging test rig: a store with one debtor (a mobile number, an e-mail address, open
 * claims) and a channel double at the seam that answers as a test tells it to. End-to-end
 * tests use the simulated SMSC and mail server instead (src/sim).
 */
import { EventEmitter } from 'node:events';
import { openSqliteStore, sqliteHandle } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/repositories.ts';
import type { ChannelEvents, ChannelHealth, OutgoingSms, SmsChannel, SubmitResult } from '../../src/messaging/types.ts';

export interface SeededDebtor {
  debtorId: number;
  claimIds: number[];
  mobile: string;
  email: string;
}

let seq = 0;

export function seedDebtor(store: Store, o: { mobile?: string; email?: string; language?: 'nl' | 'en'; claims?: Array<{ cents: number; payUrl?: string | null }> } = {}): SeededDebtor {
  const db = sqliteHandle(store);
  const at = '2026-01-01T00:00:00.000Z';
  const n = ++seq;
  const mobile = o.mobile ?? `+316${String(10_000_000 + n).slice(-8)}`;
  const email = o.email ?? `debtor${n}@example.nl`;
  const debtorId = Number(
    db.prepare(`INSERT INTO debtors (external_ref, name, email, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`).run(`D${n}-${Date.now()}`, `Debtor ${n}`, email, o.language ?? 'nl', at, at).lastInsertRowid,
  );
  db.prepare(`INSERT INTO phones (debtor_id, e164, position, created_at, updated_at) VALUES (?, ?, 0, ?, ?)`).run(debtorId, mobile, at, at);
  const claimIds = (o.claims ?? [{ cents: 12_345, payUrl: 'https://pay.example.nl/i/1' }]).map((c, i) =>
    Number(
      db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, pay_url, created_at, updated_at) VALUES (?, 'Energie BV', ?, ?, ?, ?, ?)`).run(debtorId, `F-${n}-${i}`, c.cents, c.payUrl === undefined ? 'https://pay.example.nl/i/1' : c.payUrl, at, at).lastInsertRowid,
    ),
  );
  return { debtorId, claimIds, mobile, email };
}

export function memoryStore(): Store {
  return openSqliteStore(':memory:');
}

/** An SMS channel double: answers each submit with the next scripted result (default: accepted). */
export class ScriptedSmsChannel extends EventEmitter<ChannelEvents> implements SmsChannel {
  readonly kind = 'sms' as const;
  readonly sent: OutgoingSms[] = [];
  script: Array<SubmitResult | ((m: OutgoingSms) => Promise<SubmitResult>)> = [];
  private ids = 0;
  async start(): Promise<void> {}
  async submit(m: OutgoingSms): Promise<SubmitResult> {
    this.sent.push(m);
    const next = this.script.shift();
    if (typeof next === 'function') return next(m);
    return next ?? { ok: true, providerId: `p${++this.ids}`, parts: 1 };
  }
  health(): ChannelHealth {
    return { channel: 'sms', state: 'up', links: [] };
  }
  async stop(): Promise<void> {}
}
