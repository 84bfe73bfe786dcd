/**
 * POST/DELETE /applications/{app}/subscription?eventSource=…: an app asks for the events
 * of a channel, bridge, endpoint or device state it does not own, as res_stasis does it
 * (stasis.c app_handle_subscriptions; answers from resource_applications.c). Sources are
 * handled in order and the first failure answers, so sources before it stay changed.
 * The point for Bereik: a channel originated into the AMD dialplan is not the app's until
 * Stasis(); subscribed, the app hears its Dial, hang-up and ChannelDestroyed with the real
 * cause (busy 17, no answer 19…). Subscribed to the channel's endpoint instead, the app
 * hears the channel from its creation: main/endpoints.c (ast_endpoint_add_channel →
 * ast_channel_forward_endpoint) forwards every channel's topic to its endpoint's topic,
 * and res/stasis/app.c (forwards_create_endpoint) forwards that topic to the app.
 */
import type { SimCore } from './core.ts';
import { AriError, badRequest } from './ari-error.ts';
import type { SimChannel } from './model.ts';

const SCHEMES = ['channel:', 'bridge:', 'endpoint:', 'deviceState:'] as const;

/** Endpoint and device-state subscriptions per app (channels and bridges carry their own). */
const others = new WeakMap<SimCore, Map<string, { endpoints: Set<string>; devices: Set<string> }>>();

function othersOf(sim: SimCore, app: string): { endpoints: Set<string>; devices: Set<string> } {
  let byApp = others.get(sim);
  if (!byApp) others.set(sim, (byApp = new Map()));
  let o = byApp.get(app);
  if (!o) byApp.set(app, (o = { endpoints: new Set(), devices: new Set() }));
  return o;
}

/** The Application object of GET /applications/{app} and of the subscription answers. */
export function applicationJson(sim: SimCore, name: string): Record<string, unknown> {
  const o = othersOf(sim, name);
  return {
    name,
    channel_ids: [...sim.channels.values()].filter((c) => c.app === name && c.subscriptions > 0).map((c) => c.id),
    bridge_ids: [...sim.bridges.values()].filter((b) => b.app === name && b.subscriptions > 0).map((b) => b.id),
    endpoint_ids: [...o.endpoints],
    device_names: [...o.devices],
    ...sim.hub.filterJson(name),
  };
}

/** Drops one subscription of the channel's app; at none the app no longer hears it. */
export function unsubscribeChannel(ch: SimChannel): void {
  ch.subscriptions = Math.max(0, ch.subscriptions - 1);
  if (ch.subscriptions === 0) ch.app = null;
}

const notFound = (): AriError => new AriError(422, { message: 'Event source does not exist' });
const notSubscribed = (): AriError => new AriError(422, { message: 'Event source was not subscribed to' });

function split(uri: string): [scheme: Scheme, id: string] {
  const scheme = SCHEMES.find((s) => uri.startsWith(s));
  if (!scheme) throw badRequest('Invalid event source URI scheme');
  return [scheme, uri.slice(scheme.length)];
}

/** endpoint:PJSIP (every PJSIP endpoint) or endpoint:PJSIP/name, as the sim knows them. */
function endpointExists(sim: SimCore, id: string): boolean {
  const [tech, resource] = id.split('/', 2);
  if (tech !== 'PJSIP') return false;
  return resource === undefined || sim.hasEndpoint(resource);
}

type Scheme = (typeof SCHEMES)[number];

/** Checks the request, then applies the change to each source in order (the first failure answers). */
function change(sim: SimCore, app: string, sources: string[], apply: Record<Scheme, (id: string) => void>): Record<string, unknown> {
  if (sources.length === 0) throw badRequest('Missing parameter eventSource');
  if (!sim.hub.apps.has(app)) throw new AriError(404, { message: 'Application not found' });
  for (const uri of sources) {
    const [scheme, id] = split(uri);
    apply[scheme](id);
  }
  return applicationJson(sim, app);
}

export function subscribe(sim: SimCore, app: string, sources: string[]): Record<string, unknown> {
  return change(sim, app, sources, {
    'channel:': (id) => {
      const ch = sim.channels.get(id);
      if (!ch || ch.gone) throw notFound();
      // One app per channel in the simulator: a second app cannot listen in.
      if (ch.app && ch.app !== app) throw new AriError(500, { message: 'Error processing request' });
      ch.app = app;
      ch.subscriptions++;
    },
    'bridge:': (id) => {
      const b = sim.bridges.get(id);
      if (!b) throw notFound();
      if (b.app && b.app !== app && b.subscriptions > 0) throw new AriError(500, { message: 'Error processing request' });
      b.app = app;
      b.subscriptions++;
    },
    // The endpoint's channels are heard (endpointListeners); the simulator sends no
    // EndpointStateChange.
    'endpoint:': (id) => {
      if (!endpointExists(sim, id)) throw notFound();
      othersOf(sim, app).endpoints.add(id);
    },
    // Listed only: the simulator has no device states that change.
    'deviceState:': (id) => {
      if (!id) throw notFound();
      othersOf(sim, app).devices.add(id);
    },
  });
}

export function unsubscribe(sim: SimCore, app: string, sources: string[]): Record<string, unknown> {
  return change(sim, app, sources, {
    'channel:': (id) => {
      const ch = sim.channels.get(id);
      if (!ch || ch.app !== app || ch.subscriptions === 0) throw notSubscribed();
      unsubscribeChannel(ch);
    },
    'bridge:': (id) => {
      const b = sim.bridges.get(id);
      if (!b || b.app !== app || b.subscriptions === 0) throw notSubscribed();
      b.subscriptions--;
    },
    'endpoint:': (id) => {
      if (!othersOf(sim, app).endpoints.delete(id)) throw notSubscribed();
    },
    'deviceState:': (id) => {
      if (!othersOf(sim, app).devices.delete(id)) throw notSubscribed();
    },
  });
}

/**
 * The apps that hear a channel through endpoint subscriptions, once per matching
 * subscription: PJSIP/trunk and the technology-wide PJSIP (the endpoint's topic forwards
 * to its technology's). Stasis forwards topics without merging subscribers, so an app that
 * is also subscribed to the channel itself (in Stasis, or originated with app) gets every
 * channel event twice; a client must drop the repeats.
 */
export function endpointListeners(sim: SimCore, ch: SimChannel): string[] {
  const byApp = others.get(sim);
  if (!byApp) return [];
  const endpoint = ch.name.slice(0, ch.name.lastIndexOf('-'));
  const tech = endpoint.slice(0, endpoint.indexOf('/'));
  const apps: string[] = [];
  for (const [app, o] of byApp) {
    if (o.endpoints.has(endpoint)) apps.push(app);
    if (o.endpoints.has(tech)) apps.push(app);
  }
  return apps;
}
