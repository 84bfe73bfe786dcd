/**
 * Asterisk keeps no events for a disconnected app and sends no new StasisStart after a
 * reconnect (trace 08), so on every (re)connect we list what Asterisk has and settle our
 * handles with it: a call whose channel is gone ends now (cause 0, "vanished while the
 * events connection was down") so no call is silently lost; a call that answered or
 * reached Stasis meanwhile catches up; playbacks that finished unseen are finished.
 *
 * The sweep hangs up channels in our app that no handle owns, and destroys empty bridges
 * of ours, but only after they were seen that way on two sweeps in a row: after a restart
 * the calling code attaches the channels it knows from the store, and a bridge may sit
 * empty for a moment while a transfer is being set up.
 */
import type { TimerHandle } from '../lib/clock.ts';
import type { AriBridgeHandle } from './ari-bridge.ts';
import type { AriCall } from './ari-call.ts';
import { narrowBridge, narrowChannel, type AriBridge, type AriChannel } from './ari-events.ts';
import { ariStatus } from './ari-rest.ts';
import { VANISHED_TEXT } from './causes.ts';
import type { AriContext, TrackedPlayback } from './context.ts';
import type { ReconcileReport } from './types.ts';
import { handlerErrors } from '../lib/handler-errors.ts';

/** A channel gone from the list may still have its ChannelDestroyed in flight on the socket. */
const GONE_GRACE_MS = 500;

/** What the reconciler needs from the client that owns the handles (AriTelephony). */
export interface HandleRegistry {
  readonly calls: ReadonlyMap<string, AriCall>;
  readonly bridges: ReadonlyMap<string, AriBridgeHandle>;
  /** Handles whose channel or bridge Asterisk may not list yet (request in flight). */
  readonly pending: ReadonlySet<string>;
  /** Reconciles and tells the client's listeners; the sweep goes through it. */
  reconcile(reconnect: boolean, fromSweep?: boolean): Promise<ReconcileReport>;
}

interface AppInfo {
  channel_ids?: unknown;
  bridge_ids?: unknown;
}

interface Snapshot {
  channels: Map<string, AriChannel>;
  bridges: Map<string, AriBridge>;
  appChannels: string[];
  appBridges: string[];
}

export class Reconciler {
  private sweepTimer: TimerHandle | undefined;
  private readonly graceTimers = new Map<string, TimerHandle>();
  private readonly suspectChannels = new Map<string, number>();
  private readonly suspectBridges = new Map<string, number>();
  private running = false;

  constructor(
    private readonly tel: HandleRegistry,
    private readonly ctx: AriContext,
    private readonly sweepIntervalMs: number,
  ) {}

  startSweep(): void {
    this.running = true;
    if (this.sweepIntervalMs <= 0 || this.sweepTimer) return;
    const tick = () => {
      this.sweepTimer = this.ctx.clock.setTimeout(() => {
        void this.sweep()
          .catch((err: unknown) => handlerErrors.report(this.ctx.log, 'timer', err, { timer: 'orphan sweep' }, 'orphan sweep failed'))
          .finally(() => {
            if (this.running) tick();
          });
      }, this.sweepIntervalMs);
    };
    tick();
  }

  stop(): void {
    this.running = false;
    this.sweepTimer?.cancel();
    this.sweepTimer = undefined;
    // Settle now what would have been settled after the grace: nothing stays half-known.
    for (const [id, t] of this.graceTimers) {
      t.cancel();
      this.tel.calls.get(id)?.endGone(0, VANISHED_TEXT);
    }
    this.graceTimers.clear();
  }

  /** The calling code took a channel: it is not an orphan. */
  owned(channelId: string): void {
    this.suspectChannels.delete(channelId);
  }

  async reconcile(reconnect: boolean, fromSweep = false): Promise<ReconcileReport> {
    // Only handles that existed before we asked can be judged by the answer.
    const calls = [...this.tel.calls.values()].filter((c) => !this.tel.pending.has(c.id));
    const bridges = [...this.tel.bridges.values()].filter((b) => !this.tel.pending.has(b.id));
    const playbacks = [...this.ctx.playbacks.values()];
    const snap = await this.snapshot();
    const alive: string[] = [];
    const gone: string[] = [];
    for (const call of calls) {
      if (call.ended) continue;
      const ch = snap.channels.get(call.id);
      if (!ch) {
        gone.push(call.id);
        this.endAfterGrace(call.id);
        continue;
      }
      alive.push(call.id);
      call.applySnapshot(ch);
      call.adoptStasisFromSnapshot(ch);
    }
    for (const b of bridges) {
      const live = snap.bridges.get(b.id);
      if (live) b.setMembers(live.channels);
      else b.markDestroyed();
    }
    // Finished playbacks are only missed while disconnected: check them after a connect.
    if (!fromSweep) await this.settlePlaybacks(playbacks);
    const unknownChannels = snap.appChannels.filter((id) => !this.tel.calls.has(id));
    const report: ReconcileReport = { reconnect, alive, gone, unknownChannels };
    this.ctx.log.info({ reconnect, alive: alive.length, gone: gone.length, unknown: unknownChannels.length }, 'ARI reconciled');
    return report;
  }

  async sweep(): Promise<{ hungUp: string[]; destroyedBridges: string[] }> {
    const report = await this.tel.reconcile(false, true);
    const hungUp: string[] = [];
    const destroyedBridges: string[] = [];
    const unknown = new Set(report.unknownChannels);
    for (const id of [...this.suspectChannels.keys()]) if (!unknown.has(id)) this.suspectChannels.delete(id);
    for (const id of unknown) {
      const seen = (this.suspectChannels.get(id) ?? 0) + 1;
      this.suspectChannels.set(id, seen);
      if (seen < 2 || this.tel.calls.has(id)) continue;
      this.suspectChannels.delete(id);
      this.ctx.log.warn({ channel: id }, 'hanging up a channel no call owns');
      await this.ctx.rest.requestUnlessGone('DELETE', `/channels/${encodeURIComponent(id)}`, { reason: 'normal' });
      hungUp.push(id);
    }
    const snap = await this.snapshot();
    const now = this.ctx.clock.now();
    const emptyOrphans = new Set<string>();
    for (const id of snap.appBridges) {
      const b = snap.bridges.get(id);
      if (!b || b.channels.length > 0) continue;
      const handle = this.tel.bridges.get(id);
      if (handle) {
        if (handle.destroyed || this.tel.pending.has(id) || now - handle.lastUsedAt < this.sweepIntervalMs) continue;
        this.ctx.log.info({ bridge: id }, 'destroying a bridge that stayed empty');
        await handle.destroy();
        destroyedBridges.push(id);
        continue;
      }
      emptyOrphans.add(id);
      const seen = (this.suspectBridges.get(id) ?? 0) + 1;
      this.suspectBridges.set(id, seen);
      if (seen < 2) continue;
      this.suspectBridges.delete(id);
      this.ctx.log.info({ bridge: id }, 'destroying an empty bridge left by an earlier run');
      await this.ctx.rest.requestUnlessGone('DELETE', `/bridges/${encodeURIComponent(id)}`);
      destroyedBridges.push(id);
    }
    for (const id of [...this.suspectBridges.keys()]) if (!emptyOrphans.has(id)) this.suspectBridges.delete(id);
    return { hungUp, destroyedBridges };
  }

  private endAfterGrace(id: string): void {
    if (this.graceTimers.has(id)) return;
    const t = this.ctx.clock.setTimeout(() => {
      this.graceTimers.delete(id);
      this.tel.calls.get(id)?.endGone(0, VANISHED_TEXT);
    }, GONE_GRACE_MS);
    this.graceTimers.set(id, t);
    void this.tel.calls.get(id)?.whenEnded().then(() => {
      this.graceTimers.get(id)?.cancel();
      this.graceTimers.delete(id);
    });
  }

  private async settlePlaybacks(playbacks: TrackedPlayback[]): Promise<void> {
    for (const pb of playbacks) {
      if (pb.done) continue;
      try {
        await this.ctx.rest.request('GET', `/playbacks/${encodeURIComponent(pb.id)}`);
      } catch (err) {
        // Finished while we were not listening; whether to the end we cannot know.
        if (ariStatus(err) === 404) pb.onFinished('done');
      }
    }
  }

  private async snapshot(): Promise<Snapshot> {
    const [channelList, bridgeList, app] = await Promise.all([
      this.ctx.rest.request<unknown[]>('GET', '/channels'),
      this.ctx.rest.request<unknown[]>('GET', '/bridges'),
      this.ctx.rest.request<AppInfo>('GET', `/applications/${encodeURIComponent(this.ctx.app)}`).catch((err): AppInfo => {
        if (ariStatus(err) === 404) return {}; // the app is not registered yet: it owns nothing
        throw err;
      }),
    ]);
    const channels = new Map<string, AriChannel>();
    for (const raw of Array.isArray(channelList) ? channelList : []) {
      const ch = narrowChannel(raw);
      if (ch) channels.set(ch.id, ch);
    }
    const bridges = new Map<string, AriBridge>();
    for (const raw of Array.isArray(bridgeList) ? bridgeList : []) {
      const b = narrowBridge(raw);
      if (b) bridges.set(b.id, b);
    }
    const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return { channels, bridges, appChannels: ids(app.channel_ids).filter((id) => channels.has(id)), appBridges: ids(app.bridge_ids) };
  }
}
