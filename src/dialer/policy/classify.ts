/**
 * What telephony reported about an attempt → the disposition stored on the call
 * (calls.disposition) and what it teaches about the phone number.
 *
 * | answered | AMD / session          | Q.850 cause                       | disposition | phone    |
 * |----------|------------------------|-----------------------------------|-------------|----------|
 * | no       | —                      | originate refused / no channel    | unreachable | —        |
 * | no       | —                      | 17 user busy                      | busy        | —        |
 * | no       | —                      | 18 no user responding, 19 no      | no_answer   | —        |
 * |          |                        | answer, 16 normal clearing (our   |             |          |
 * |          |                        | ring timeout), 0 / unknown        |             |          |
 * | no       | —                      | 1 unallocated, 22 number changed, | failed      | invalid  |
 * |          |                        | 28 invalid number format          |             |          |
 * | no       | —                      | 21 call rejected                  | failed      | —        |
 * | no       | —                      | 34 no circuit, 38 network out of  | failed      | —        |
 * |          |                        | order, 41 temporary failure, 42   |             |          |
 * |          |                        | congestion, 47 resource unavail.  |             |          |
 * | no       | —                      | 3 no route, 20 subscriber absent, | unreachable | —        |
 * |          |                        | 27 destination out of order       |             |          |
 * | yes      | MACHINE                | any                               | machine     | active   |
 * | yes      | HANGUP (hung up during | any                               | abandoned   | active   |
 * |          | detection silence)     |                                   |             |          |
 * | yes      | person, no agent in 2 s| any                               | abandoned   | active   |
 * | yes      | HUMAN / NOTSURE / none | any                               | answered    | active   |
 *
 * Strict choices (Ofcom counts any live person connected to nothing as abandoned):
 * NOTSURE is treated as a person; a hang-up during AMD's silence is counted as an
 * abandoned call, since we cannot tell a person who gave up from a machine.
 */

import type { CallDisposition as Disposition, PhoneStatus } from '../../store/types.ts';

export type { Disposition, PhoneStatus };

export interface AttemptInfo {
  /** The far end answered (the channel went Up). */
  answered: boolean;
  /** Q.850 hang-up cause, when the channel existed. */
  hangupCause?: number;
  /** AMDSTATUS from the dialplan: HUMAN, MACHINE, NOTSURE, HANGUP; absent without AMD. */
  amdStatus?: string;
  /** The originate was refused or no channel came up at all (trunk down, no route). */
  originateFailed?: boolean;
  /** The session reports a person was answered and no agent joined within 2 s. */
  abandoned?: boolean;
}

export interface Classified {
  disposition: Disposition;
  /** What the attempt taught about the number; null = leave it as it is. */
  phoneStatus: PhoneStatus | null;
  /** Short machine-readable why, for the events log. */
  reason: string;
}

const INVALID_NUMBER = new Set([1, 22, 28]);
const NO_ANSWER = new Set([0, 16, 18, 19]);
const UNREACHABLE = new Set([3, 20, 27]);
const NETWORK_FAILURE = new Set([34, 38, 41, 42, 47]);

export function classifyAttempt(info: AttemptInfo): Classified {
  if (info.answered) {
    const amd = info.amdStatus?.toUpperCase();
    if (amd === 'MACHINE') return { disposition: 'machine', phoneStatus: 'active', reason: 'amd_machine' };
    if (amd === 'HANGUP') return { disposition: 'abandoned', phoneStatus: 'active', reason: 'hangup_during_amd' };
    if (info.abandoned) return { disposition: 'abandoned', phoneStatus: 'active', reason: 'no_agent_within_2s' };
    return { disposition: 'answered', phoneStatus: 'active', reason: amd === 'NOTSURE' ? 'amd_notsure_as_person' : 'answered' };
  }
  if (info.originateFailed) return { disposition: 'unreachable', phoneStatus: null, reason: 'originate_failed' };
  const cause = info.hangupCause ?? 0;
  if (cause === 17) return { disposition: 'busy', phoneStatus: null, reason: 'cause_17_busy' };
  if (INVALID_NUMBER.has(cause)) return { disposition: 'failed', phoneStatus: 'invalid', reason: `cause_${cause}_invalid_number` };
  if (cause === 21) return { disposition: 'failed', phoneStatus: null, reason: 'cause_21_rejected' };
  if (NETWORK_FAILURE.has(cause)) return { disposition: 'failed', phoneStatus: null, reason: `cause_${cause}_network` };
  if (UNREACHABLE.has(cause)) return { disposition: 'unreachable', phoneStatus: null, reason: `cause_${cause}_unreachable` };
  if (NO_ANSWER.has(cause)) return { disposition: 'no_answer', phoneStatus: null, reason: `cause_${cause}_no_answer` };
  // Unknown causes: a retryable failure, never a verdict on the number.
  return { disposition: 'failed', phoneStatus: null, reason: `cause_${cause}_other` };
}
