/**
 * Dial strings as chan_pjsip reads them: PJSIP/<endpoint> or PJSIP/<number>@<endpoint>.
 * An endpoint that is not configured, or another technology, fails allocation
 * (500 "Allocation failed", trace 06).
 */
export interface DialTarget {
  /** The PJSIP endpoint the call goes out on (names the channel: PJSIP/<endpoint>-0000000n). */
  endpoint: string;
  /** The number dialled through a trunk, if any. */
  number?: string;
  /** What Dial events show as dialstring: everything after the technology. */
  dialstring: string;
}

export function resolveDialString(dial: string, known: (endpoint: string) => boolean): DialTarget | null {
  const slash = dial.indexOf('/');
  if (slash <= 0) return null;
  const tech = dial.slice(0, slash);
  const rest = dial.slice(slash + 1);
  if (tech.toUpperCase() !== 'PJSIP' || !rest) return null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const number = rest.slice(0, at);
    const endpoint = rest.slice(at + 1);
    if (!number || !known(endpoint)) return null;
    return { endpoint, number, dialstring: rest };
  }
  if (!known(rest)) return null;
  return { endpoint: rest, dialstring: rest };
}
