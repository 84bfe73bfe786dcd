/**
 * Why a channel entered the Stasis app, read once from its Stasis() arguments (the
 * StasisStart event's args, or app_data after a restart) and handed on typed. These are
 * the shapes Bereik's dialplan (dialplans/extensions.conf) and its originates produce:
 *
 *   outbound,<call id>,<AMDSTATUS>,<AMDCAUSE>   bereik-outbound (after AMD())
 *   outbound,<call id>,NOTCHECKED,              bereik-outbound-noamd
 *   outbound,<call id>[,,]                      the dialer's originate straight into the app
 *   inbound,<exten>                             bereik-inbound
 *   agent,<call id>,<agent id>                  an agent's leg of a transfer
 *
 * Anything else is `unknown`, with the reason, so the caller can log it and hang up
 * rather than guess: a dialplan that passes other arguments is a configuration error.
 * AMD's verdict is upper-cased (Asterisk writes it so; a hand-written dialplan may not);
 * AMD off or an empty AMDSTATUS is NOTCHECKED. Pure.
 */

export const AMD_STATUSES = ['HUMAN', 'MACHINE', 'NOTSURE', 'HANGUP', 'NOTCHECKED'] as const;
export type AmdStatus = (typeof AMD_STATUSES)[number];

/** AMD()'s verdict as the dialplan passed it: AMDSTATUS and AMDCAUSE (e.g. TOOLONG-4921). */
export interface AmdVerdict {
  status: AmdStatus;
  cause: string;
}

export type StasisEntry =
  /** A call the dialer placed: its call id, and what AMD heard before Stasis. */
  | { kind: 'outbound'; callId: string; amd: AmdVerdict }
  /** A debtor calling in, to this dialled number. */
  | { kind: 'inbound'; exten: string }
  /** An agent's leg, rung to take over the call with this call id. */
  | { kind: 'agent'; callId: string; agentId: number }
  /** Arguments Bereik does not produce: why, and what they were. */
  | { kind: 'unknown'; reason: string; raw: readonly string[] };

export type StasisEntryKind = StasisEntry['kind'];

const STATUSES: ReadonlySet<string> = new Set(AMD_STATUSES);

function unknown(raw: readonly string[], reason: string): StasisEntry {
  return { kind: 'unknown', reason, raw: [...raw] };
}

/** The Stasis() arguments after the app name → what the channel is here for. */
export function parseStasisEntry(args: readonly string[]): StasisEntry {
  const [kind, ...rest] = args;
  switch (kind) {
    case 'outbound': {
      if (rest.length > 3) return unknown(args, `outbound takes at most a call id, AMDSTATUS and AMDCAUSE, got ${rest.length} arguments`);
      const [callId = '', status = '', cause = ''] = rest;
      if (!callId) return unknown(args, 'outbound without a call id (is BEREIK_CALL_ID set on the originate?)');
      const upper = status.toUpperCase() || 'NOTCHECKED';
      if (!STATUSES.has(upper)) return unknown(args, `AMD status "${status}" is not one of ${AMD_STATUSES.join(', ')}`);
      return { kind: 'outbound', callId, amd: { status: upper as AmdStatus, cause } };
    }
    case 'inbound': {
      if (rest.length > 1) return unknown(args, `inbound takes only the dialled extension, got ${rest.length} arguments`);
      return { kind: 'inbound', exten: rest[0] ?? '' };
    }
    case 'agent': {
      if (rest.length !== 2) return unknown(args, `agent takes a call id and an agent id, got ${rest.length} arguments`);
      const [callId = '', agent = ''] = rest;
      if (!callId) return unknown(args, 'agent leg without a call id');
      if (!/^[1-9][0-9]{0,15}$/.test(agent)) return unknown(args, `agent id "${agent}" is not a positive whole number`);
      return { kind: 'agent', callId, agentId: Number(agent) };
    }
    default:
      return unknown(args, kind ? `unknown entry "${kind}": expected outbound, inbound or agent` : 'no Stasis arguments');
  }
}
