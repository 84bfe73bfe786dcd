/**
 * From deliver_sm receipts to one 'receipt' event per message.
 *
 * - A multi-part message is known by the id of its first part (SubmitResult.providerId).
 *   Its parts' final receipts are gathered and ONE receipt is emitted: DELIVRD when every
 *   part was delivered, otherwise the first part (in order) that was not, with its error.
 *   When some parts never report, what is known is emitted `multipartWaitMs` after the
 *   first final one. Intermediate states (ENROUTE, ACCEPTD) are emitted for the first part only.
 * - A receipt can beat its submit_sm_resp (the SMSC answers on its own schedule): an unknown
 *   id is held `holdMs`; if the resp brings that id meanwhile the receipt is applied then,
 *   otherwise it is emitted as it is (the message may come from before a restart, which the
 *   outbox still knows by its provider id).
 * - Duplicate receipts (SMSCs resend when a deliver_sm_resp was slow) are emitted once.
 */
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { DeliveryReceipt, ReceiptState } from '../types.ts';
import { receiptIdCandidates } from './dlr.ts';

const FINAL = new Set<ReceiptState>(['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED', 'UNKNOWN']);

interface Tracked {
  providerId: string;
  parts: number;
  finals: Array<DeliveryReceipt | undefined>;
  finalCount: number;
  ids: string[];
  at: number;
  timer?: TimerHandle;
}

export interface ReceiptBookOptions {
  clock: Clock;
  holdMs: number;
  multipartWaitMs: number;
  /** How long a sent message waits for its receipts before it is forgotten. */
  trackMs: number;
  /** Receipt keys remembered to drop duplicates. */
  dedupeSize: number;
  /** Most part ids awaiting receipts; past it the oldest are forgotten (their receipts then pass unmatched). */
  maxTracked: number;
  emit(receipt: DeliveryReceipt): void;
}

export class ReceiptBook {
  private readonly byPartId = new Map<string, { t: Tracked; index: number }>();
  private readonly held = new Map<string, { receipt: DeliveryReceipt; timer: TimerHandle }>();
  private readonly emitted = new Map<string, true>();
  private sweepTimer: TimerHandle | undefined;
  duplicates = 0;

  constructor(private readonly o: ReceiptBookOptions) {}

  /** A message with `parts` parts is being sent; returns the handle its part ids are added to. */
  track(parts: number): Tracked {
    return { providerId: '', parts, finals: new Array(parts), finalCount: 0, ids: [], at: this.o.clock.now() };
  }

  /** Part `index` was accepted with `id` (part 0's id becomes the provider id). */
  accepted(t: Tracked, index: number, id: string): void {
    if (index === 0) t.providerId = id;
    t.ids.push(id);
    this.byPartId.set(id, { t, index });
    if (this.byPartId.size > this.o.maxTracked) this.byPartId.delete(this.byPartId.keys().next().value!);
    this.ensureSweep();
    const held = this.held.get(id);
    if (held) {
      this.held.delete(id);
      held.timer.cancel();
      this.apply(t, index, held.receipt);
    }
  }

  receive(receipt: DeliveryReceipt): void {
    const found = this.lookup(receipt.providerId);
    if (found) return this.apply(found.t, found.index, receipt);
    if (this.held.has(receipt.providerId)) return void this.duplicates++;
    const timer = this.o.clock.setTimeout(() => {
      this.held.delete(receipt.providerId);
      this.emitOnce(receipt, FINAL.has(receipt.state) ? 'final' : receipt.state);
    }, this.o.holdMs);
    this.held.set(receipt.providerId, { receipt, timer });
  }

  /** Emits held receipts as they are (on stop: better an unmatched receipt than none). */
  close(): void {
    for (const { receipt, timer } of this.held.values()) {
      timer.cancel();
      this.emitOnce(receipt, FINAL.has(receipt.state) ? 'final' : receipt.state);
    }
    this.held.clear();
    for (const { t } of this.byPartId.values()) t.timer?.cancel();
    this.sweepTimer?.cancel();
  }

  get tracked(): number {
    return this.byPartId.size;
  }

  private lookup(id: string): { t: Tracked; index: number } | undefined {
    const direct = this.byPartId.get(id);
    if (direct) return direct;
    for (const c of receiptIdCandidates(id)) {
      const hit = this.byPartId.get(c);
      if (hit) return hit;
    }
    return undefined;
  }

  private apply(t: Tracked, index: number, r: DeliveryReceipt): void {
    if (!FINAL.has(r.state)) {
      if (index === 0) this.emitOnce({ ...r, providerId: t.providerId }, r.state);
      return;
    }
    if (t.finals[index]) return void this.duplicates++;
    t.finals[index] = r;
    t.finalCount++;
    if (t.finalCount === t.parts) return this.finish(t);
    t.timer ??= this.o.clock.setTimeout(() => this.finish(t), this.o.multipartWaitMs);
  }

  private finish(t: Tracked): void {
    t.timer?.cancel();
    if (!t.providerId) return; // part 0 not accepted (yet): nothing the outbox could match
    const known = t.finals.filter((r): r is DeliveryReceipt => r !== undefined);
    const failed = known.find((r) => r.state !== 'DELIVRD');
    const doneAt = known.map((r) => r.doneAt).filter((d): d is string => !!d).sort().at(-1);
    const base = failed ?? known[0]!;
    this.emitOnce({ channel: 'sms', providerId: t.providerId, state: base.state, errorCode: base.errorCode, ...(doneAt ? { doneAt } : {}) }, 'final');
    for (const id of t.ids) this.byPartId.delete(id);
  }

  private emitOnce(r: DeliveryReceipt, kind: string): void {
    const key = `${r.providerId}|${kind}`;
    if (this.emitted.has(key)) return void this.duplicates++;
    this.emitted.set(key, true);
    if (this.emitted.size > this.o.dedupeSize) this.emitted.delete(this.emitted.keys().next().value!);
    this.o.emit(r);
  }

  private ensureSweep(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = this.o.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      const cutoff = this.o.clock.now() - this.o.trackMs;
      for (const [id, v] of this.byPartId) if (v.t.at < cutoff) this.byPartId.delete(id);
      if (this.byPartId.size > 0) this.ensureSweep();
    }, Math.min(this.o.trackMs, 3_600_000));
  }
}
