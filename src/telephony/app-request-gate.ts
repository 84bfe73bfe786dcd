/**
 * Keeps a change of the application's event filter apart from every other request on the
 * application (docs/asterisk-ci.md, "The event filter race").
 *
 * Asterisk 22.10.1 answers GET /applications/{app}, POST and DELETE .../subscription and
 * PUT .../eventFilter with the application's JSON, which stasis_app_event_filter_to_json
 * (res/stasis/app.c) builds from the filter arrays without the application's lock, while
 * PUT .../eventFilter swaps and releases those arrays. With several clients on one
 * application sending the filter among their other requests, Asterisk aborted within
 * seconds, in stasis_app_event_filter_set freeing a filter that was already freed. Bereik sent
 * the filter, the reconcile's look at the application and the renewed subscriptions all at
 * once on every connect. The client now sends the filter only when Asterisk's differs
 * (ari-telephony.ts), and this gate keeps its own requests from overlapping it.
 *
 * A reader-writer gate: requests that only read or subscribe share it; a filter change
 * waits until those in flight are answered and holds back new ones until it is answered.
 */
export class AppRequestGate {
  private readers = 0;
  private writer: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  /** Runs fn beside other shared requests, but never beside an exclusive one. */
  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.writer) await this.writer;
    this.readers++;
    try {
      return await fn();
    } finally {
      if (--this.readers === 0) this.drained?.();
    }
  }

  /** Runs fn alone: after the shared requests in flight, before any new one starts. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.writer) await this.writer;
    let release!: () => void;
    this.writer = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.readers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = undefined;
      return await fn();
    } finally {
      this.writer = undefined;
      release();
    }
  }

  /** Which way a request on this path goes: the filter change alone, the rest shared, others not at all. */
  static kind(method: string, path: string): 'exclusive' | 'shared' | undefined {
    if (!path.startsWith('/applications')) return undefined;
    return method === 'PUT' ? 'exclusive' : 'shared';
  }
}
