/**
 * Hang-up causes as Bereik reports them. Asterisk sends the Q.850 code and text on
 * ChannelDestroyed; when the call ends some other way (StasisEnd of a dialplan channel,
 * a channel that vanished while we were disconnected) we fill in the text ourselves.
 * Kept apart from src/sim on purpose: the simulator is a separate component.
 */
const Q850: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  27: 'Destination out of order',
  32: 'Normal Clearing',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
};

export function q850Text(cause: number): string {
  return Q850[cause] ?? 'Unknown';
}

/** The cause text used when a channel disappeared while the events socket was down. */
export const VANISHED_TEXT = 'Channel vanished while the events connection was down';
/** The cause text used when a dialplan-routed channel ended before it reached Stasis. */
export const NEVER_REACHED_APP_TEXT = 'Channel ended in the dialplan before reaching the app';
/** The cause text used when Asterisk answered 404 for a channel we thought was live. */
export const GONE_TEXT = 'Channel no longer exists in Asterisk';
