/**
 * GET /metrics: the app's Prometheus registry (src/lib/metrics.ts) for the administrator
 * (DESIGN.md: metrics; logs without personal data — nothing here names a debtor or a
 * number). Admin token only, as every route without roles; a scraper gets its own admin
 * token. The figures other modules keep (dialer counters, ARI state, agents, TTS cache,
 * stored calls) are read at each scrape by collect() callbacks registered here; the
 * histograms are observed where the time passes. docs/metrics.md lists them all.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RouteModule } from '../route-module.ts';
import type { Engine } from '../../engine.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallRepository, MessageRepository } from '../../store/repositories.ts';
import type { Messaging } from '../../messaging/service.ts';
import { AGENT_STATES } from '../../agents/types.ts';
import { HEALTH_STATES } from '../../telephony/types.ts';
import { createMetrics } from '../../lib/metrics.ts';
import { FallbackTts } from '../../tts/fallback.ts';

/** A counter whose total is kept elsewhere: each scrape copies it in. */
function copiedCounter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name, help, registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

function copiedGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name, help, registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

function registerAppMetrics(registry: Registry, calls: Pick<CallRepository, 'countByDisposition'>, clock: Clock): void {
  const started = clock.now();
  copiedGauge(registry, 'bereik_uptime_seconds', 'seconds since the service started', () => Math.round((clock.now() - started) / 1000));
  new Counter({
    name: 'bereik_calls_total',
    help: 'calls stored, by direction and disposition',
    labelNames: ['direction', 'disposition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of calls.countByDisposition()) this.inc({ direction: r.direction, disposition: r.disposition ?? 'none' }, r.n);
    },
  });
}

function registerEngineMetrics(registry: Registry, engine: Engine): void {
  new Gauge({
    name: 'bereik_ari_state',
    help: '1 for the current state of the ARI connection',
    labelNames: ['state', 'simulated'],
    registers: [registry],
    collect() {
      const h = engine.telephony.health();
      for (const s of HEALTH_STATES) this.set({ state: s, simulated: String(h.simulated) }, s === h.state ? 1 : 0);
    },
  });
  copiedCounter(registry, 'bereik_ari_reconnects_total', 'times the ARI events socket reconnected', () => engine.telephony.health().reconnects);
  copiedGauge(registry, 'bereik_live_sessions', 'call sessions running now', () => engine.calls.live.size);
  copiedGauge(registry, 'bereik_dialer_live_calls', 'outbound calls the dialer follows now', () => engine.dialer.liveCalls);
  const dc = engine.dialer.counters;
  copiedCounter(registry, 'bereik_dialer_ticks_total', 'dialer rounds over the running campaigns', () => dc.ticks);
  copiedCounter(registry, 'bereik_dialer_held_ticks_total', 'rounds held back because Asterisk was down or refused every originate', () => dc.heldTicks);
  copiedCounter(registry, 'bereik_dialer_originated_total', 'calls originated', () => dc.originated);
  copiedCounter(registry, 'bereik_dialer_originate_failed_total', 'originates Asterisk refused or that failed on the way', () => dc.originateFailed);
  copiedGauge(registry, 'bereik_dialer_last_tick_ms', 'real milliseconds the last dialer round took', () => dc.lastTickMs);
  new Counter({
    name: 'bereik_tts_fallbacks_total',
    help: 'prompts spoken by the next engine of tts.engine because the one before failed or ran out of tts.renderTimeoutMs',
    labelNames: ['from', 'to', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      if (engine.tts instanceof FallbackTts) for (const f of engine.tts.fallbacks()) this.inc({ from: f.from, to: f.to, reason: f.reason }, f.count);
    },
  });
  new Gauge({
    name: 'bereik_agents',
    help: 'agents by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = new Map<string, number>(AGENT_STATES.map((s) => [s, 0]));
      for (const a of engine.desk.registry.list()) counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
}

/**
 * The TTS cache's figures are unknown until its first prune has finished: they join the
 * registry then, because a 0 before it would read as an empty cache.
 */
function ttsCacheMetrics(registry: Registry, engine: Engine): () => void {
  let registered = false;
  return () => {
    const cache = engine.ttsCache;
    if (registered || !cache?.last) return;
    registered = true;
    copiedGauge(registry, 'bereik_tts_cache_files', 'cached audio files after the last prune', () => cache.last?.kept ?? 0);
    copiedGauge(registry, 'bereik_tts_cache_bytes', 'bytes of cached audio after the last prune', () => cache.last?.keptBytes ?? 0);
    copiedCounter(registry, 'bereik_tts_cache_pruned_total', 'cached audio files deleted (unused too long, or over the size cap)', () => cache.removedTotal);
  };
}

/** Messages by channel and status (from the store), the channels' health, the outbox's work in flight. */
function registerMessagingMetrics(registry: Registry, messages: Pick<MessageRepository, 'countByStatus'>, messaging: Messaging | undefined): void {
  new Gauge({
    name: 'bereik_messages',
    help: 'messages stored, by channel and status (queued, submitted, delivered, failed, uncertain…)',
    labelNames: ['channel', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of messages.countByStatus()) this.set({ channel: r.channel, status: r.status }, r.n);
    },
  });
  if (!messaging) return;
  copiedGauge(registry, 'bereik_outbox_in_flight', 'messages handed to a channel and waiting for its answer', () => messaging.outbox.pending);
  new Gauge({
    name: 'bereik_message_channel_up',
    help: '1 when the channel can send now (up), 0.5 degraded, 0 down',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      for (const h of messaging.health()) this.set({ channel: h.channel }, h.state === 'up' ? 1 : h.state === 'degraded' ? 0.5 : 0);
    },
  });
}

const routes: RouteModule = async (app, deps) => {
  const { registry } = (deps.metrics ??= createMetrics());
  registerAppMetrics(registry, deps.store.calls, deps.clock);
  const engine = deps.engine;
  if (engine) registerEngineMetrics(registry, engine);
  registerMessagingMetrics(registry, deps.store.messages, deps.messaging);
  const syncTtsCache = engine ? ttsCacheMetrics(registry, engine) : () => {};
  app.get('/metrics', { config: { scope: 'all-creditors' }, schema: { tags: ['admin'], summary: 'Prometheus metrics', produces: ['text/plain'] } }, async (_req, reply) => {
    syncTtsCache();
    reply.type(registry.contentType);
    return registry.metrics();
  });
};

export default routes;
