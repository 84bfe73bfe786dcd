/**
 * The REST part of ARI the simulator serves: method + path under /ari + parameters
 * (query string and JSON body merged, as Asterisk accepts both) → status + body.
 */
import type { SimulatedAsterisk } from './asterisk.ts';
import { AriError, channelNotFound } from './ari-error.ts';
import { addChannels, bridgeMoh, createBridge, destroyBridge, getBridge, removeChannels } from './bridges.ts';
import { bridgeJson, channelJson } from './model.ts';
import { getPlayback, play, stopPlayback } from './playbacks.ts';
import { applicationJson, subscribe, unsubscribe } from './subscriptions.ts';
import { snoop } from './snoop.ts';
import { getLive, getStored, recordBridge, stopLive, storedJson, storedWav } from './recordings.ts';

export interface RestAnswer {
  status: number;
  body?: unknown;
  /** A file answer (a stored recording) instead of JSON. */
  file?: { contentType: string; data: Buffer };
}

export interface RestRequest {
  method: string;
  /** Segments after /ari, e.g. ['channels', '123.4', 'play']. */
  segments: string[];
  params: Record<string, string>;
  /** Repeated query parameters (media=a&media=b). */
  multi: Record<string, string[]>;
  variables: Record<string, string> | undefined;
  /** The JSON body, when there was one. */
  body?: unknown;
}

const ok = (body: unknown, status = 200): RestAnswer => ({ status, body });
const noContent: RestAnswer = { status: 204 };

function list(req: RestRequest, name: string): string[] {
  const values = req.multi[name] ?? (req.params[name] !== undefined ? [req.params[name]] : []);
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function handleRest(sim: SimulatedAsterisk, req: RestRequest): RestAnswer {
  const [root, id, sub, subId] = req.segments;
  const m = req.method;
  const p = req.params;
  switch (root) {
    case 'channels':
      return channels(sim, req, m, id, sub, subId);
    case 'bridges':
      return bridges(sim, req, m, id, sub, subId);
    case 'playbacks':
      if (!id) break;
      if (m === 'GET' && !sub) return ok(getPlayback(sim, id));
      if (m === 'DELETE' && !sub) return stopPlayback(sim, id), noContent;
      if (m === 'POST' && sub === 'control') return getPlayback(sim, id), noContent;
      break;
    case 'recordings':
      return recordings(sim, m, id, sub, subId);
    case 'asterisk':
      if (m === 'GET' && id === 'info') return ok(info(sim));
      if (id === 'config' && sub === 'dynamic') {
        const a = sim.pjsip.handle(m, req.segments.slice(3), req.body);
        return a.status === 204 ? noContent : ok(a.body);
      }
      if (m === 'GET' && id === 'ping') return ok({ asterisk_id: '02:fc:00:00:00:01', ping: 'pong', timestamp: new Date(sim.clock.now()).toISOString().replace('Z', '+0000') });
      break;
    case 'applications':
      if (id && sub === 'eventFilter') {
        if (m !== 'PUT') throw new AriError(405, { message: 'Invalid method' });
        if (!sim.hub.apps.has(id)) throw new AriError(404, { message: 'Application not found' });
        sim.hub.setFilter(id, req.body);
        return ok(applicationJson(sim, id));
      }
      if (id && sub === 'subscription') {
        if (m === 'POST') return ok(subscribe(sim, id, list(req, 'eventSource')));
        if (m === 'DELETE') return ok(unsubscribe(sim, id, list(req, 'eventSource')));
        throw new AriError(405, { message: 'Invalid method' });
      }
      if (m !== 'GET' || sub) break;
      if (!id) return ok([...sim.hub.apps].map((a) => applicationJson(sim, a)));
      if (!sim.hub.apps.has(id)) throw new AriError(404, { message: 'Application not found' });
      return ok(applicationJson(sim, id));
    case 'endpoints':
      if (m !== 'GET') break;
      return ok(endpoints(sim, id, sub, p));
  }
  throw new AriError(404, { message: 'Resource not found' });
}

function channels(sim: SimulatedAsterisk, req: RestRequest, m: string, id?: string, sub?: string, subId?: string): RestAnswer {
  const p = req.params;
  if (!id) {
    if (m === 'GET') return ok(sim.channelsSnapshot());
    if (m === 'POST') return ok(sim.originate({ ...p, variables: req.variables }));
    throw new AriError(405, { message: 'Invalid method' });
  }
  if (!sub) {
    if (m === 'GET') return ok(channelJson(sim.getChannel(id)));
    if (m === 'DELETE') return sim.hangupByApp(id, p.reason, p.reason_code), noContent;
    if (m === 'POST') return ok(sim.originate({ ...p, channelId: id, variables: req.variables }));
    throw new AriError(405, { message: 'Invalid method' });
  }
  switch (`${m} ${sub}`) {
    case 'POST answer':
      return sim.answer(id), noContent;
    case 'POST ring':
    case 'DELETE ring':
      return sim.control(id), noContent;
    case 'POST play':
      return ok(play(sim, { channel: sim.control(id) }, list(req, 'media'), p.lang, subId ?? p.playbackId), 201);
    case 'POST moh':
    case 'DELETE moh': {
      const ch = sim.control(id);
      ch.moh = m === 'POST' ? (p.mohClass ?? 'default') : null;
      ch.phone.mohChanged(ch.moh);
      return noContent;
    }
    case 'GET variable':
      return ok({ value: sim.getVar(id, p.variable) });
    case 'POST variable':
      return sim.setVar(id, p.variable, p.value ?? ''), noContent;
    case 'POST dtmf':
      return sim.control(id), noContent;
    case 'POST snoop':
      return ok(snoop(sim, id, p, subId ?? p.snoopId));
    case 'GET rtp_statistics':
      return ok(rtpStatistics(sim, id));
  }
  if (!sim.channels.has(id)) throw channelNotFound();
  throw new AriError(404, { message: 'Resource not found' });
}

function bridges(sim: SimulatedAsterisk, req: RestRequest, m: string, id?: string, sub?: string, subId?: string): RestAnswer {
  const p = req.params;
  if (!id) {
    if (m === 'GET') return ok([...sim.bridges.values()].map((b) => bridgeJson(b, true)));
    if (m === 'POST') return ok(createBridge(sim, p.type, p.bridgeId, p.name));
    throw new AriError(405, { message: 'Invalid method' });
  }
  if (!sub) {
    if (m === 'GET') return ok(bridgeJson(getBridge(sim, id), true));
    if (m === 'DELETE') return destroyBridge(sim, id), noContent;
    if (m === 'POST') return ok(createBridge(sim, p.type, id, p.name));
    throw new AriError(405, { message: 'Invalid method' });
  }
  switch (`${m} ${sub}`) {
    case 'POST addChannel':
      return addChannels(sim, id, list(req, 'channel')), noContent;
    case 'POST removeChannel':
      return removeChannels(sim, id, list(req, 'channel')), noContent;
    case 'POST play':
      return ok(play(sim, { bridge: getBridge(sim, id) }, list(req, 'media'), p.lang, subId ?? p.playbackId), 201);
    case 'POST moh':
      return bridgeMoh(sim, id, p.mohClass ?? 'default'), noContent;
    case 'DELETE moh':
      return bridgeMoh(sim, id, null), noContent;
    case 'POST record':
      return ok(recordBridge(sim, getBridge(sim, id), p), 201);
  }
  getBridge(sim, id);
  throw new AriError(404, { message: 'Resource not found' });
}

/** /recordings/live/{name}[/stop] and /recordings/stored[/{name}[/file]]. */
function recordings(sim: SimulatedAsterisk, m: string, kind?: string, name?: string, sub?: string): RestAnswer {
  if (kind === 'live' && name) {
    if (m === 'GET' && !sub) return ok(getLive(sim, name));
    if (m === 'DELETE' && !sub) return stopLive(sim, name, true), noContent;
    if (m === 'POST' && sub === 'stop') return stopLive(sim, name), noContent;
  }
  if (kind === 'stored') {
    if (!name && m === 'GET') return ok([...sim.recordings.stored.values()].map(storedJson));
    if (name && !sub && m === 'GET') return ok(storedJson(getStored(sim, name)));
    if (name && !sub && m === 'DELETE') return getStored(sim, name), sim.recordings.stored.delete(name), noContent;
    if (name && sub === 'file' && m === 'GET') return { status: 200, file: { contentType: 'audio/wav', data: storedWav(getStored(sim, name)) } };
  }
  throw new AriError(404, { message: 'Resource not found' });
}

function info(sim: SimulatedAsterisk): Record<string, unknown> {
  const t = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
  return {
    build: { os: 'Linux', kernel: '6.x', machine: 'x86_64', options: 'OPTIONAL_API', date: t(sim.startedAtMs), user: 'bereik' },
    system: { version: '22.10.1', entity_id: '02:fc:00:00:00:01' },
    // Labelled, so nobody mistakes the simulator for a real Asterisk.
    config: { name: 'bereik simulated Asterisk', default_language: 'en', setid: { user: '', group: '' } },
    status: { startup_time: t(sim.startedAtMs), last_reload_time: t(sim.startedAtMs) },
  };
}

function endpoints(sim: SimulatedAsterisk, tech: string | undefined, resource: string | undefined, _p: Record<string, string>): unknown {
  const all = [...sim.knownEndpoints].map((r) => ({
    technology: 'PJSIP',
    resource: r,
    state: 'online',
    channel_ids: [...sim.channels.values()].filter((c) => c.name.startsWith(`PJSIP/${r}-`)).map((c) => c.id),
  }));
  if (!tech) return all;
  if (tech !== 'PJSIP') throw new AriError(404, { message: 'No Endpoints found - invalid tech' });
  if (!resource) return all;
  const one = all.find((e) => e.resource === resource);
  if (!one) throw new AriError(404, { message: 'Endpoint not found' });
  return one;
}

/**
 * RTP counters of a channel: 50 packets a second each way (20 ms ptime) since it was
 * answered, as a phone that sends audio all the time would give. A channel not answered
 * has none yet; Asterisk answers 404 for a channel without RTP, here only for a gone one.
 */
function rtpStatistics(sim: SimulatedAsterisk, id: string): Record<string, unknown> {
  const ch = sim.getChannel(id);
  const answered = ch.phone.record.answeredAt ? Date.parse(ch.phone.record.answeredAt) : undefined;
  const packets = answered === undefined || ch.state !== 'Up' ? 0 : Math.floor((sim.clock.now() - answered) / 20);
  return { txcount: packets, rxcount: packets, txploss: 0, rxploss: 0, local_ssrc: 1, remote_ssrc: 2, channel_uniqueid: ch.id };
}
