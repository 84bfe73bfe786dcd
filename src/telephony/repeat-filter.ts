/**
 * Drops an events frame that repeats one of the last few byte for byte. An app subscribed
 * both to a channel and to its endpoint gets each of the channel's events twice (stasis
 * forwards topics without merging subscribers: the app's subscription sits on the
 * channel's topic once per path). Both copies are built from the same message, timestamp
 * included, so they are identical; two real events never are (a key press lasts 280 ms).
 */
const WINDOW = 64;

export class RepeatFilter {
  private readonly seen = new Set<string>();
  private readonly order: string[] = [];

  /** True when the frame is new (and remembers it); false for a repeat. */
  admit(frame: string): boolean {
    if (this.seen.has(frame)) return false;
    this.seen.add(frame);
    this.order.push(frame);
    if (this.order.length > WINDOW) this.seen.delete(this.order.shift()!);
    return true;
  }

  clear(): void {
    this.seen.clear();
    this.order.length = 0;
  }
}
