/**
 * The agent desktop: a plain HTML/JS page (GET /desktop, no build step) and its live
 * WebSocket (GET /agent/ws). Browsers cannot put a bearer header on a WebSocket, so the
 * socket is public at the HTTP level and authenticates with the agent token in its first
 * message ({type:'auth', token}). Not in the URL: request logs carry URLs, never tokens.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { ApiInstance } from '../route-module.ts';
import type { AppDeps } from '../../app.ts';
import { TokenStore } from '../../store/tokens.ts';
import { hashToken } from '../tokens.ts';
import { DeskHub } from '../../agents/hub.ts';
import type { AgentDeskService } from '../../agents/desk.ts';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const FILES: Record<string, { file: string; type: string }> = {
  '/desktop': { file: 'desktop.html', type: 'text/html; charset=utf-8' },
  '/desktop/desktop.js': { file: 'desktop.js', type: 'text/javascript; charset=utf-8' },
  '/desktop/desktop.css': { file: 'desktop.css', type: 'text/css; charset=utf-8' },
};
/** A socket that has not said who it is by then is closed. */
const AUTH_TIMEOUT_MS = 10_000;

/** Registered by routes/agents.ts, which owns the desk lookup. */
export default async function desktopRoutes(app: ApiInstance, deps: AppDeps, desk: AgentDeskService): Promise<void> {
  const hub = new DeskHub(desk);
  const tokens = new TokenStore(deps.db);
  app.addHook('onClose', async () => hub.closeAll());

  for (const [url, { file, type }] of Object.entries(FILES)) {
    app.get(url, { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      reply.header('cache-control', 'no-cache').type(type);
      return readFile(join(PUBLIC_DIR, file));
    });
  }

  if (!app.hasDecorator('websocketServer')) await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  /** The agent id behind an agent token, or undefined. */
  const agentFor = (token: unknown): number | undefined => {
    if (typeof token !== 'string' || !token) return undefined;
    const row = tokens.findActiveByHash(hashToken(token));
    return row?.role === 'agent' && row.agentId != null ? row.agentId : undefined;
  };

  app.get('/agent/ws', { websocket: true, config: { public: true } }, (socket: WebSocket) => {
    let agentId: number | undefined;
    const deny = (why: string) => {
      socket.send(JSON.stringify({ type: 'error', code: 'AUTH_INVALID', message: why }));
      socket.close(4401, 'unauthorised');
    };
    const start = (id: number) => {
      agentId = id;
      if (!hub.attach(id, socket)) deny('the agent of this token no longer exists');
    };
    const timer = deps.clock.setTimeout(() => agentId === undefined && deny('send {"type":"auth","token":"…"} first'), AUTH_TIMEOUT_MS);

    socket.on('message', (data) => {
      const raw = data.toString();
      if (agentId !== undefined) return hub.handle(agentId, socket, raw);
      let token: unknown;
      try {
        token = (JSON.parse(raw) as { type?: string; token?: unknown }).token;
      } catch {
        token = undefined;
      }
      const id = agentFor(token);
      if (id === undefined) return deny('the token is unknown, revoked, or not an agent token');
      start(id);
    });
    socket.on('close', () => {
      timer.cancel();
      if (agentId !== undefined) hub.detach(agentId, socket);
    });
  });
}
