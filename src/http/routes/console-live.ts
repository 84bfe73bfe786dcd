/**
 * The console's live view of one campaign: GET /campaigns/:id/live (one snapshot) and
 * GET /campaigns/:id/live/events (server-sent events: a snapshot every second until the
 * browser goes away).
 *
 * SSE rather than the WebSocket plugin: the data flows one way, it is plain HTTP, so the
 * same auth hook and roles as every other route apply (a bearer header; the page reads
 * the stream with fetch, since EventSource cannot send one), and a proxy or a test can read
 * it with curl. The agent desktop's WebSocket stays for what talks back.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import type { AppDeps } from '../app-deps.ts';
import { OPERATORS } from '../auth.ts';
import { IdParams, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { isoUtc } from '../../lib/clock.ts';
import { creditorsOf } from '../scope.ts';

const EVERY_MS = 1000;
/** Streams of one campaign share a snapshot this young (less than a tick, so each event is new). */
const SHARE_MS = 900;
const DAY_MS = 24 * 3600_000;
/** More live calls than this for one campaign are counted, not listed (the route reads one page). */
const LIVE_PAGE = 1000;
/** States in which an agent is working a campaign's calls (not offline, not on a break). */
const WORKING = new Set(['available', 'reserved', 'ringing', 'talking', 'wrap_up']);

export interface LiveSnapshot {
  at: string;
  campaign: { id: number; name: string; state: string; mode: string };
  calls: { ringing: number; inIvr: number; withAgent: number; total: number; lastMinute: number; answerRate: number | null };
  amd: Record<string, number>;
  abandon24h: { live: number; abandoned: number; rate: number | null; cap: number };
  pacing: { dialRatio: number | null; linesInFlight: number; agentsWorking: number; reason: string | null; mode: string };
  agents: { id: number; name: string; state: string; stateSince: string; secondsInState: number }[];
  messages: Record<string, number>;
  stats: Record<string, unknown>;
}

/**
 * creditors: a token limited to them sees the figures of the calls, contacts and messages
 * about their claims only, and a campaign holding none of their claims does not exist
 * (undefined). The agents and the pacing decision are the campaign's: they name no debtor.
 */
export function liveSnapshot(deps: AppDeps, id: number, creditors: string[] | null = null): LiveSnapshot | undefined {
  const { store, clock, engine } = deps;
  if (!store.campaigns.get(id)) return undefined;
  if (creditors && !store.contacts.holdsClaimOf(id, creditors)) return undefined;
  const campaign = deps.campaigns.get(id);
  const now = clock.now();
  const stats = engine?.dialer.stats(id, creditors);
  const live = store.calls.list({ campaignId: id, live: true, limit: LIVE_PAGE, creditors });
  // Agent legs carry the campaign too: a debtor with an agent is an agent leg that is up.
  const debtorCalls = live.filter((c) => c.direction !== 'agent');
  const withAgent = live.filter((c) => c.direction === 'agent' && c.state === 'up').length;
  const up = debtorCalls.filter((c) => c.state === 'up').length;
  const ended = stats ? stats.calls.total - stats.calls.live : 0;
  const since24h = isoUtc(now - DAY_MS);
  // AMDSTATUS as Asterisk names it (HUMAN, MACHINE, NOTSURE, HANGUP), over the same 24 h as the abandon rate.
  const amd = Object.fromEntries(store.reports.amdVerdicts(id, since24h, creditors).map((v) => [v.status.toLowerCase(), v.n]));
  const a24 = store.reports.abandonSince(id, since24h, creditors);
  const agents = (deps.agents?.registry.list() ?? store.agents.list()).filter((a) => !campaign.settings.agentSkill || a.skills.includes(campaign.settings.agentSkill));
  const working = agents.filter((a) => WORKING.has(a.state)).length;
  const decision = engine?.pacing.lastDecision(id);
  return {
    at: isoUtc(now),
    campaign: { id, name: campaign.name, state: campaign.state, mode: campaign.mode },
    calls: {
      ringing: debtorCalls.length - up,
      inIvr: Math.max(0, up - withAgent),
      withAgent,
      total: stats?.calls.total ?? 0,
      lastMinute: store.reports.callsSince(id, isoUtc(now - 60_000), creditors),
      answerRate: stats && ended > 0 ? stats.answered / ended : null,
    },
    amd,
    abandon24h: { ...a24, rate: a24.live > 0 ? a24.abandoned / a24.live : null, cap: campaign.settings.abandonRateCap },
    pacing: {
      // Lines dialled or up per agent working the campaign: the dial ratio a supervisor reads.
      dialRatio: working > 0 ? debtorCalls.length / working : null,
      linesInFlight: debtorCalls.length,
      agentsWorking: working,
      reason: decision?.reason ?? null,
      mode: decision?.effectiveMode ?? campaign.mode,
    },
    agents: agents.map((a) => ({ id: a.id, name: a.name, state: a.state, stateSince: a.stateSince, secondsInState: Math.max(0, Math.round((now - Date.parse(a.stateSince)) / 1000)) })),
    messages: { ...store.messages.campaignStats(id, creditors) },
    stats: { ...(stats ?? {}) },
  };
}

const Snapshot = Type.Object({}, { additionalProperties: true, description: 'calls ringing / in the IVR / with an agent, calls in the last minute, answer rate, AMD verdicts, the 24 h abandon rate and its cap, pacing, agents with time in state, messages, and the campaign stats' });

const routes: RouteModule = async (app, deps) => {
  const snapshot = (id: number, creditors: string[] | null) => {
    const s = liveSnapshot(deps, id, creditors);
    if (!s) throw new BereikError('NOT_FOUND', `campaign ${id} does not exist`, { id }, 404);
    return s;
  };
  app.get('/campaigns/:id/live', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: { tags: ['campaigns'], summary: "A running campaign's live figures (one snapshot)", params: IdParams, response: { 200: Snapshot, ...errors(404) } },
  }, async (req) => snapshot(req.params.id, creditorsOf(req)));

  // Every tab watching a campaign gets the same second's snapshot: at 1,000,000 contacts one
  // costs ~100 ms, so ten operators must not cost ten. Tabs of tokens limited to other
  // creditors see other figures: the key is the campaign and the creditors.
  const recent = new Map<string, { at: number; snapshot: LiveSnapshot | undefined }>();
  const shared = (id: number, creditors: string[] | null) => {
    const key = `${id}:${creditors ? JSON.stringify([...creditors].sort()) : '*'}`;
    const hit = recent.get(key);
    if (hit && performance.now() - hit.at < SHARE_MS) return hit.snapshot;
    const snapshot = liveSnapshot(deps, id, creditors);
    recent.set(key, { at: performance.now(), snapshot });
    return snapshot;
  };

  // Open streams are never idle: without ending them, closing the server would wait for every console tab.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get('/campaigns/:id/live/events', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: { tags: ['campaigns'], summary: 'The live figures as server-sent events: a `snapshot` event every second', params: IdParams, produces: ['text/event-stream'] },
  }, async (req, reply) => {
    const creditors = creditorsOf(req);
    const first = snapshot(req.params.id, creditors); // a missing campaign (or another creditor's) is a 404, before the stream starts
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (s: LiveSnapshot | undefined) => s && res.write(`event: snapshot\ndata: ${JSON.stringify(s)}\n\n`);
    send(first);
    // Real time on purpose: the browser wants a figure every wall-clock second, whatever the service's clock does.
    const timer = setInterval(() => {
      try {
        send(shared(req.params.id, creditors));
      } catch (err) {
        req.log.warn({ err, campaignId: req.params.id }, 'live snapshot failed');
      }
    }, EVERY_MS);
    const stop = () => (clearInterval(timer), open.delete(end));
    const end = () => (stop(), res.end());
    open.add(end);
    req.raw.on('close', stop);
    res.on('error', stop);
  });
};

export default routes;
