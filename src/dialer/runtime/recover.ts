/**
 * Restart safety: what the store believes is live is compared with the channels Asterisk
 * has now. A call still ringing (or in AMD) is followed again to its end; a call that is
 * gone, or was mid-flow when the process stopped (that flow's state is lost), is recorded
 * as interrupted and its contact goes back to pending. Nothing is lost, nothing is
 * dialled twice: a contact stays in progress exactly as long as its channel lives.
 */
import { isoUtc, type Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { DialerRepository } from '../../store/dialer.ts';
import type { Telephony } from '../../telephony/types.ts';
import type { LiveAttempts } from './live.ts';
import { recordAttempt } from './record.ts';
import type { WindowsFor } from './deps.ts';

export interface RecoveryReport {
  adopted: number;
  interrupted: number;
  released: number;
}

export async function recoverInFlight(deps: {
  store: DialerRepository;
  telephony: Telephony;
  clock: Clock;
  log: Logger;
  live: LiveAttempts;
  windowsFor?: WindowsFor | undefined;
}): Promise<RecoveryReport> {
  const { store, telephony, clock, log, live } = deps;
  const rows = store.liveCalls().filter((r) => !live.has(r.callId));
  const report: RecoveryReport = { adopted: 0, interrupted: 0, released: 0 };
  const alive = rows.length ? new Set((await telephony.listChannels()).map((c) => c.id)) : new Set<string>();
  for (const row of rows) {
    const channelId = row.channelId ?? row.callId;
    const call = alive.has(channelId) ? (telephony.getCall(channelId) ?? (await telephony.attach(channelId))) : undefined;
    const a = store.attemptContext(row.callId);
    if (call && !call.ended && !call.inStasis && a) {
      live.watch(call, { callId: a.callId, campaignId: a.campaignId, contactId: a.contactId, debtorId: a.debtorId, claimId: a.claimId, phoneId: a.phoneId ?? 0 }, Date.parse(row.createdAt));
      report.adopted++;
      continue;
    }
    // Mid-flow: the session that ran it died with the old process; the debtor would hear silence.
    if (call && !call.ended) await call.hangup().catch((err: unknown) => log.warn({ err, callId: row.callId }, 'hang-up of an interrupted call failed'));
    const recorded = recordAttempt(deps, row.callId, { hangup: null, reachedStasis: false, amdStatus: '', summary: null }, { state: 'interrupted' });
    if (!recorded) store.interruptCall(row.callId, isoUtc(clock.now()));
    report.interrupted++;
  }
  report.released = store.releaseOrphanContacts(isoUtc(clock.now()), isoUtc(clock.now()));
  if (report.adopted || report.interrupted || report.released) log.info(report, 'dialer recovered calls in flight');
  return report;
}
