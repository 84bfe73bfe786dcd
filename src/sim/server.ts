/**
 * HTTP + WebSocket front of the simulator on loopback: ARI under /ari with Basic auth
 * (or ?api_key=user:password, which ARI also accepts), the events socket at
 * /ari/events?app=…, and a few /sim/ routes to drive the virtual phones from another
 * process (benchmarks, the standalone CLI). Plain node:http: it must stay fast.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { SimulatedAsterisk } from './asterisk.ts';
import { AriError } from './ari-error.ts';
import { handleRest, type RestRequest } from './rest.ts';
import { parseBehaviour } from './scenario.ts';

export interface SimServerOptions {
  user: string;
  password: string;
  /** Like http.conf sessionlimit (Asterisk's default 100): connections over it are closed unread. */
  sessionLimit?: number;
  /** Kept up to date by the server: what a test or benchmark reads. */
  sessions?: SessionStats;
}

export interface SessionStats {
  open: number;
  /** Most connections open at once since the start. */
  peak: number;
  /** Connections served since the start. */
  accepted: number;
  /** Connections closed unread because the limit was reached. */
  refused: number;
}

/** Asterisk's defaults (http.conf): sessionlimit 100, session_keep_alive 15 s. */
export const SESSION_LIMIT = 100;
const SESSION_KEEP_ALIVE_MS = 15_000;

function authorised(req: IncomingMessage, query: URLSearchParams, o: SimServerOptions): boolean {
  const want = `${o.user}:${o.password}`;
  const h = req.headers.authorization;
  if (h?.startsWith('Basic ')) return Buffer.from(h.slice(6), 'base64').toString('utf8') === want;
  return query.get('api_key') === want;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined || status === 204) {
    res.writeHead(status, { 'content-length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  if (req.method === 'GET' || req.headers['content-length'] === '0') return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function toRest(method: string, path: string, query: URLSearchParams, bodyText: string): RestRequest {
  const params: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of query) {
    if (k === 'api_key') continue;
    params[k] = v;
    (multi[k] ??= []).push(v);
  }
  let variables: Record<string, string> | undefined;
  let body: unknown;
  if (bodyText.trim()) {
    try {
      body = JSON.parse(bodyText);
    } catch {
      throw new AriError(400, { message: 'Invalid JSON body' });
    }
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
        if (k === 'variables' && v && typeof v === 'object') {
          variables = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([a, b]) => [a, String(b)]));
        } else if (Array.isArray(v)) {
          multi[k] = v.map(String);
          params[k] = v.map(String).join(',');
        } else if (v !== null && v !== undefined) params[k] = String(v);
      }
    }
  }
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { method, segments, params, multi, variables, body };
}

/** /sim/… control routes (not ARI): inspect phones, start inbound calls, change behaviours. */
async function simRoute(sim: SimulatedAsterisk, method: string, segments: string[], query: URLSearchParams, bodyText: string): Promise<[number, unknown]> {
  let body: Record<string, unknown> = {};
  try {
    if (bodyText.trim()) body = JSON.parse(bodyText) as Record<string, unknown>;
  } catch {
    return [400, { message: 'Invalid JSON body' }];
  }
  const [what] = segments;
  if (method === 'GET' && what === 'calls') return [200, sim.calls()];
  if (method === 'GET' && what === 'phone') return [200, sim.phone(query.get('key') ?? '')];
  if (method === 'POST' && what === 'inbound') {
    const behaviour = body.behaviour === undefined ? undefined : parseBehaviour('request', 'behaviour', body.behaviour);
    const id = await sim.callIn({ from: String(body.from ?? ''), exten: String(body.exten ?? ''), behaviour });
    return [200, { channelId: id }];
  }
  if (method === 'POST' && what === 'behaviour') {
    sim.setBehaviour(String(body.phone ?? ''), parseBehaviour('request', 'behaviour', body.behaviour));
    return [204, undefined];
  }
  if (method === 'POST' && what === 'drop-events') return [200, { closed: sim.dropEventSockets() }];
  return [404, { message: 'Resource not found' }];
}

export function createSimServer(sim: SimulatedAsterisk, o: SimServerOptions): Server {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = createServer(async (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    const query = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
    const method = req.method ?? 'GET';
    if (!authorised(req, query, o)) {
      res.setHeader('www-authenticate', 'Basic realm="Asterisk REST Interface"');
      return send(res, 401, { error: 'Authentication required' });
    }
    let bodyText = '';
    try {
      bodyText = await readBody(req);
      if (path.startsWith('/sim/')) {
        const [status, body] = await simRoute(sim, method, path.split('/').filter(Boolean).slice(1), query, bodyText);
        return send(res, status, body);
      }
      if (!path.startsWith('/ari/')) return send(res, 404, { message: 'Resource not found' });
      const rest = toRest(method, path.slice(4), query, bodyText);
      sim.hub.hold();
      try {
        const answer = handleRest(sim, rest);
        if (answer.file) {
          res.writeHead(answer.status, { 'content-type': answer.file.contentType, 'content-length': answer.file.data.length });
          res.end(answer.file.data);
        } else send(res, answer.status, answer.body);
      } finally {
        sim.hub.release();
      }
    } catch (err) {
      if (err instanceof AriError) return send(res, err.status, err.body);
      const e = err as { code?: string; message?: string };
      if (e.code === 'CONFIG_INVALID') return send(res, 400, { message: e.message });
      sim.log.error({ err, method, path }, 'simulated Asterisk: request failed');
      send(res, 500, { message: 'Internal Server Error' });
    }
  });
  server.keepAliveTimeout = SESSION_KEEP_ALIVE_MS;
  // Asterisk counts every HTTP session (the events WebSocket too) and, over the limit,
  // logs "HTTP session count exceeded 100 sessions" and closes the new one before reading it.
  const limit = o.sessionLimit ?? SESSION_LIMIT;
  const stats = o.sessions ?? { open: 0, peak: 0, accepted: 0, refused: 0 };
  server.on('connection', (socket) => {
    if (stats.open >= limit) {
      stats.refused++;
      sim.log.warn({ limit }, `HTTP session count exceeded ${limit} sessions`);
      socket.destroy();
      return;
    }
    stats.accepted++;
    stats.peak = Math.max(stats.peak, ++stats.open);
    socket.once('close', () => stats.open--);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    const query = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
    const reject = (status: string) => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (path !== '/ari/events') return reject('404 Not Found');
    if (!authorised(req, query, o)) return reject('401 Unauthorized');
    const apps = (query.get('app') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    if (apps.length === 0) return reject('400 Bad Request');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sim.hub.attach(apps, ws);
      ws.on('error', () => ws.terminate());
    });
  });
  server.on('close', () => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  });
  return server;
}
