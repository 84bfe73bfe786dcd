/**
 * GET /metrics: Prometheus text for the administrator (DESIGN.md: metrics; logs without
 * personal data — nothing here names a debtor or a number). Admin token only, as every
 * route without roles; a scraper gets its own admin token.
 */
import type { RouteModule } from '../route-module.ts';
import { AGENT_STATES } from '../../agents/types.ts';
import { HEALTH_STATES } from '../../telephony/types.ts';
import { countCallsByDisposition } from '../../store/calls.ts';
import { handlerErrors } from '../../lib/handler-errors.ts';

function line(name: string, value: number, labels: Record<string, string> = {}): string {
  const l = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return `${name}${l.length ? `{${l.join(',')}}` : ''} ${value}`;
}

const routes: RouteModule = async (app, deps) => {
  const started = deps.clock.now();
  app.get('/metrics', { schema: { tags: ['admin'], summary: 'Prometheus metrics', produces: ['text/plain'] } }, async (_req, reply) => {
    const out: string[] = [];
    const help = (name: string, type: 'gauge' | 'counter', text: string) => out.push(`# HELP ${name} ${text}`, `# TYPE ${name} ${type}`);
    help('bereik_uptime_seconds', 'gauge', 'seconds since the service started');
    out.push(line('bereik_uptime_seconds', Math.round((deps.clock.now() - started) / 1000)));
    const engine = deps.engine;
    if (engine) {
      const h = engine.telephony.health();
      help('bereik_ari_state', 'gauge', '1 for the current state of the ARI connection');
      for (const s of HEALTH_STATES) out.push(line('bereik_ari_state', s === h.state ? 1 : 0, { state: s, simulated: String(h.simulated) }));
      help('bereik_ari_reconnects_total', 'counter', 'times the ARI events socket reconnected');
      out.push(line('bereik_ari_reconnects_total', h.reconnects));
      help('bereik_live_sessions', 'gauge', 'call sessions running now');
      out.push(line('bereik_live_sessions', engine.calls.live.size));
      help('bereik_dialer_live_calls', 'gauge', 'outbound calls the dialer follows now');
      out.push(line('bereik_dialer_live_calls', engine.dialer.liveCalls));
      const dc = engine.dialer.counters;
      help('bereik_dialer_ticks_total', 'counter', 'dialer rounds over the running campaigns');
      out.push(line('bereik_dialer_ticks_total', dc.ticks));
      help('bereik_dialer_held_ticks_total', 'counter', 'rounds held back because Asterisk was down or refused every originate');
      out.push(line('bereik_dialer_held_ticks_total', dc.heldTicks));
      help('bereik_dialer_originated_total', 'counter', 'calls originated');
      out.push(line('bereik_dialer_originated_total', dc.originated));
      help('bereik_dialer_originate_failed_total', 'counter', 'originates Asterisk refused or that failed on the way');
      out.push(line('bereik_dialer_originate_failed_total', dc.originateFailed));
      help('bereik_dialer_last_tick_ms', 'gauge', 'real milliseconds the last dialer round took');
      out.push(line('bereik_dialer_last_tick_ms', dc.lastTickMs));
      help('bereik_agents', 'gauge', 'agents by state');
      const counts = new Map<string, number>(AGENT_STATES.map((s) => [s, 0]));
      for (const a of engine.desk.registry.list()) counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
      for (const [state, n] of counts) out.push(line('bereik_agents', n, { state }));
      const cache = engine.ttsCache;
      if (cache?.last) {
        help('bereik_tts_cache_files', 'gauge', 'cached audio files after the last prune');
        out.push(line('bereik_tts_cache_files', cache.last.kept));
        help('bereik_tts_cache_bytes', 'gauge', 'bytes of cached audio after the last prune');
        out.push(line('bereik_tts_cache_bytes', cache.last.keptBytes));
        help('bereik_tts_cache_pruned_total', 'counter', 'cached audio files deleted (unused too long, or over the size cap)');
        out.push(line('bereik_tts_cache_pruned_total', cache.removedTotal));
      }
    }
    help('bereik_handler_errors_total', 'counter', 'exceptions caught at an edge (http route, desktop socket, ARI event, timer, process) instead of ending the process');
    for (const [edge, n] of Object.entries(handlerErrors.snapshot())) out.push(line('bereik_handler_errors_total', n, { edge }));
    help('bereik_calls_total', 'counter', 'calls stored, by direction and disposition');
    for (const r of countCallsByDisposition(deps.db)) out.push(line('bereik_calls_total', r.n, { direction: r.direction, disposition: r.disposition ?? 'none' }));
    reply.type('text/plain; version=0.0.4');
    return out.join('\n') + '\n';
  });
};

export default routes;
