/**
 * A call originated into the dialplan (AMD, then Stasis) is not the app's until Stasis().
 * Subscribing to its channel after the originate is too late when the far end answers
 * 486 or 404 at once: the channel is gone within a millisecond (traces 02a, 10-*) and the
 * real cause (17 busy, 1 unallocated) would be lost. So before the first such originate
 * the app subscribes to the endpoint the call goes out on (PJSIP/+316…@trunk → PJSIP/trunk):
 * Asterisk forwards each channel's topic to its endpoint's (main/endpoints.c,
 * ast_endpoint_add_channel) and a subscribed endpoint's topic to the app
 * (res/stasis/app.c, forwards_create_endpoint), so the app hears the call from creation.
 *
 * Consequences handled elsewhere: events of channels on that endpoint that are not ours
 * (an inbound call over the trunk before Stasis) are ignored by the router; while a call
 * of ours is also subscribed directly (in Stasis, or originated with app) Asterisk sends
 * each channel event twice, which the events socket drops (repeat-filter.ts).
 *
 * The subscriptions are made again on every (re)connect: a restarted Asterisk forgot them.
 * Refused (422: no such endpoint, e.g. a PJSIP/{number} template) means the caller falls
 * back to subscribing to each channel; the refusal is remembered until the next connect.
 */
import { ariStatus } from './ari-rest.ts';
import type { AriContext } from './context.ts';

/** Refusals remembered at most (a PJSIP/{number} template refuses once per number). */
const MAX_REMEMBERED = 2000;
/** Refusals logged as warnings per connection; the rest at debug. */
const WARN_REFUSALS = 3;

/** The endpoint a dial string goes out on: PJSIP/x@trunk and PJSIP/trunk/sip:… → PJSIP/trunk; PJSIP/debtor → itself. */
export function endpointOfDialString(dial: string): string | undefined {
  const slash = dial.indexOf('/');
  if (slash <= 0) return undefined;
  const tech = dial.slice(0, slash);
  const rest = dial.slice(slash + 1);
  const uri = rest.indexOf('/');
  const at = rest.lastIndexOf('@');
  const resource = uri >= 0 ? rest.slice(0, uri) : at >= 0 ? rest.slice(at + 1) : rest;
  return resource ? `${tech}/${resource}` : undefined;
}

export class EndpointSubscriptions {
  private readonly subs = new Map<string, Promise<boolean>>();
  private readonly subscribed = new Set<string>();
  private refusals = 0;

  constructor(private readonly ctx: AriContext) {}

  /** Resolves true when the app hears the channels of this endpoint from their creation. */
  ensure(endpoint: string): Promise<boolean> {
    let p = this.subs.get(endpoint);
    if (!p) {
      if (this.subs.size >= MAX_REMEMBERED) this.forgetRefused();
      p = this.subscribe(endpoint);
      this.subs.set(endpoint, p);
    }
    return p;
  }

  /** After every (re)connect: make each known subscription again (an originate waits for it). */
  async renew(): Promise<void> {
    this.refusals = 0;
    const all = [...this.subs.keys()].map((endpoint) => {
      const p = this.subscribe(endpoint);
      this.subs.set(endpoint, p);
      return p;
    });
    await Promise.all(all);
  }

  private async subscribe(endpoint: string): Promise<boolean> {
    try {
      await this.ctx.rest.request('POST', `/applications/${encodeURIComponent(this.ctx.app)}/subscription`, { eventSource: `endpoint:${endpoint}` });
      this.subscribed.add(endpoint);
      return true;
    } catch (err) {
      this.subscribed.delete(endpoint);
      const level = ++this.refusals <= WARN_REFUSALS ? 'warn' : 'debug';
      this.ctx.log[level]({ err, endpoint, status: ariStatus(err) }, 'endpoint subscription refused; following each dialplan call by its channel instead');
      return false;
    }
  }

  private forgetRefused(): void {
    for (const endpoint of this.subs.keys()) if (!this.subscribed.has(endpoint)) this.subs.delete(endpoint);
  }
}
