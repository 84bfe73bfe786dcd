/**
 * Q.850 cause codes and texts as Asterisk 22 reports them, and how a final SIP answer
 * from the far end maps to a cause and a Dial status (../shared/ari-traces, 02a and 10-*).
 */
export const CAUSE_TEXT: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  26: 'Answered elsewhere',
  27: 'Destination out of order',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  127: 'Interworking, unspecified',
};

export function causeText(cause: number): string {
  return CAUSE_TEXT[cause] ?? 'Unknown';
}

export interface SipFailure {
  cause: number;
  dialStatus: 'BUSY' | 'NOANSWER' | 'CONGESTION' | 'CHANUNAVAIL';
}

/** Final SIP status → cause + Dial status, as recorded (404, 480, 486, 503, 603) or as chan_pjsip maps the rest. */
export function sipFailure(status: number): SipFailure {
  switch (status) {
    case 486:
    case 600:
      return { cause: 17, dialStatus: 'BUSY' };
    case 404:
    case 604:
      return { cause: 1, dialStatus: 'NOANSWER' };
    case 408:
    case 480:
    case 487:
      return { cause: 19, dialStatus: 'NOANSWER' };
    case 603:
    case 403:
      return { cause: 21, dialStatus: 'NOANSWER' };
    case 500:
    case 502:
    case 503:
      return { cause: 34, dialStatus: 'CONGESTION' };
    default:
      return { cause: status >= 500 ? 38 : 21, dialStatus: 'NOANSWER' };
  }
}

/** ARI DELETE /channels/{id}?reason=… → the cause the channel ends with. */
export const HANGUP_REASON_CAUSE: Record<string, number> = {
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 18,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 38,
  answered_elsewhere: 26,
};
