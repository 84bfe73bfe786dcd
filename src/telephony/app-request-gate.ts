/**
 * Keeps a change of the application's event filter apart from every other request on the
 * application (docs/asterisk-ci.md, "The event filter race").
 *
 * Asterisk 22.10.1 answers GET /applications/{app}, POST and DELETE .../subscription and
 * PUT .../eventFilter with the application's JSON, built by stasis_app_event_filter_to_json
 * (res/stasis/app.c) from the filter arrays without the application's lock, while PUT
 * .../eventFilter swaps and releases those arrays. When the two overlapped, a later PUT
 * freed an array that was already gone: heap corruption and an abort of the whole Asterisk,
 * with every call on it. Bereik overlapped them on every connect (the filter, the
 * reconcile's look at the application, the renewed subscriptions, all at once).
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
