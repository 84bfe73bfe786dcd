/**
 * The agent desktop: a plain HTML/JS page (GET /desktop, no build step) and its live
 * WebSocket (GET /agent/ws). Browsers cannot put a bearer header on a WebSocket, so the
 * socket is public at the HTTP level and authenticates with the agent token in its first
 * message ({type:'auth', token}). Not in the URL: request logs carry URLs, never tokens.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { ApiInstance } from '../route-module.ts';
import type { AppDeps } from '../app-deps.ts';
import { hashToken } from '../tokens.ts';
import { DeskHub } from '../../agents/hub.ts';
import type { AgentDeskService } from '../../agents/desk.ts';
import type { ScreenPop } from '../../agents/case.ts';
import { parseClientMessage } from '../../agents/desk-messages.ts';
import { handlerErrors } from '../../lib/handler-errors.ts';
import { BereikError } from '../../lib/errors.ts';
import { DeskMessageFeed, type DeskInboxMessage, type DeskMessage } from '../../agents/desk-inbox.ts';
import agentMessageRoutes from './agent-messages.ts';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const FILES: Record<string, { file: string; type: string }> = {
  '/desktop': { file: 'desktop.html', type: 'text/html; charset=utf-8' },
  '/desktop/desktop.js': { file: 'desktop.js', type: 'text/javascript; charset=utf-8' },
  '/desktop/desktop.css': { file: 'desktop.css', type: 'text/css; charset=utf-8' },
  '/desktop/desktop-messages.js': { file: 'desktop-messages.js', type: 'text/javascript; charset=utf-8' },
  '/desktop/desktop-line.js': { file: 'desktop-line.js', type: 'text/javascript; charset=utf-8' },
  '/desktop/desktop-softphone.js': { file: 'desktop-softphone.js', type: 'text/javascript; charset=utf-8' },
};
/**
 * SIP.js (the softphone's SIP library, docs/agent-softphone.md) is pure ES modules with
 * relative `.js` imports only, so the browser loads its lib/ folder as it is: no bundler,
 * no CDN. Resolved from the package, so it is the installed version in dev and in dist.
 */
const SIPJS_DIR = dirname(fileURLToPath(import.meta.resolve('sip.js')));
const SIPJS_PREFIX = '/desktop/vendor/sip.js/';
/** A socket that has not said who it is by then is closed. */
const AUTH_TIMEOUT_MS = 10_000;
/** Frames past this close the socket (1009); desk-messages.ts answers long ones below it. */
const MAX_FRAME_BYTES = 64 * 1024;

/** Registered by routes/agents.ts, which owns the desk lookup. */
export default async function desktopRoutes(app: ApiInstance, deps: AppDeps, desk: AgentDeskService): Promise<void> {
  const hub = new DeskHub(desk);
  const feed = new DeskMessageFeed(deps.store, hub, { ...(deps.inboxFeed ? { inbox: deps.inboxFeed } : {}), ...(deps.messaging ? { outbox: deps.messaging.outbox } : {}) });
  const tokens = deps.store.tokens;
  app.addHook('onClose', async () => {
    feed.close();
    hub.closeAll();
  });
  await agentMessageRoutes(app, deps);

  for (const [url, { file, type }] of Object.entries(FILES)) {
    app.get(url, { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      reply.header('cache-control', 'no-cache').type(type);
      return readFile(join(PUBLIC_DIR, file));
    });
  }

  app.get(`${SIPJS_PREFIX}*`, { config: { public: true, scope: 'none' }, schema: { hide: true } }, async (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    const file = resolve(SIPJS_DIR, rel);
    // Only the library's own .js files: no other file of the machine, whatever the path says.
    if (!file.startsWith(SIPJS_DIR + sep) || !file.endsWith('.js')) throw new BereikError('NOT_FOUND', `no file ${SIPJS_PREFIX}${rel}`, undefined, 404);
    const body = await readFile(file).catch(() => undefined);
    if (!body) throw new BereikError('NOT_FOUND', `no file ${SIPJS_PREFIX}${rel}`, undefined, 404);
    // The version is in the package, not the URL: revalidate, do not cache for ever.
    reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8');
    return body;
  });

  if (!app.hasDecorator('websocketServer')) {
    await app.register(websocket, {
      // A frame past maxPayload is refused by ws itself: the socket closes with 1009.
      options: { maxPayload: MAX_FRAME_BYTES },
      // Errors of the socket itself (a frame too large, a broken connection) are the
      // client's; ours are caught in the message handler below.
      errorHandler: (err, socket, req) => {
        req.log.warn({ err: { message: err.message, code: (err as { code?: string }).code }, route: '/agent/ws' }, 'desktop socket error; closing it');
        socket.terminate();
      },
    });
  }

  /** The agent token row, or undefined. */
  const agentFor = (token: string) => {
    const row = tokens.findActiveByHash(hashToken(token));
    return row?.role === 'agent' && row.agentId != null ? { ...row, agentId: row.agentId } : undefined;
  };

  app.get('/agent/ws', { websocket: true, config: { public: true } }, (socket: WebSocket, req) => {
    let agentId: number | undefined;
    const deny = (code: 'AUTH_INVALID' | 'AUTH_RATE_LIMITED', why: string) => {
      hub.refuse(socket, code, why);
      socket.close(code === 'AUTH_RATE_LIMITED' ? 4429 : 4401, code === 'AUTH_RATE_LIMITED' ? 'too many failed attempts' : 'unauthorised');
    };
    const start = (t: NonNullable<ReturnType<typeof agentFor>>) => {
      agentId = t.agentId;
      // Each case shown on this desktop is an access to the debtor's data (docs/data-protection.md).
      const actor = { tokenId: t.id, tokenName: t.name, role: t.role, address: req.ip ?? null };
      const onScreenPop = (pop: ScreenPop) =>
        deps.store.audit.append(actor, new Date(deps.clock.now()).toISOString(), [{ debtorId: pop.debtor?.id ?? null, access: 'screen_pop', detail: { callId: pop.callId } }]);
      const creditors = t.creditors.length ? t.creditors : null;
      if (!hub.attach(t.agentId, socket, { creditors, onScreenPop, ...(creditors ? { scoped: scopedPush(deps.store, t.agentId, creditors) } : {}) })) deny('AUTH_INVALID', 'the agent of this token no longer exists');
    };
    const timer = deps.clock.setTimeout(() => agentId === undefined && deny('AUTH_INVALID', 'send {"type":"auth","token":"…"} first'), AUTH_TIMEOUT_MS);
    // The same per-address budget as a bearer token over HTTP (auth.ts): guessing stays slow.
    const authenticate = (token: string | undefined) => {
      const wait = app.authFailures.blockedFor(req.ip);
      if (wait > 0) return deny('AUTH_RATE_LIMITED', `too many failed attempts from this address; try again in ${wait} s`);
      const id = token === undefined ? undefined : agentFor(token);
      if (!id) {
        app.authFailures.fail(req.ip);
        return deny('AUTH_INVALID', token === undefined ? 'the first message must be {"type":"auth","token":"…"}' : 'the token is unknown, revoked, or not an agent token');
      }
      start(id);
    };

    socket.on('message', (data, isBinary) => {
      const parsed = parseClientMessage(data, isBinary);
      try {
        if (agentId === undefined) return authenticate(parsed.ok && parsed.msg.type === 'auth' ? parsed.msg.token : undefined);
        if (!parsed.ok) return hub.refuse(socket, 'VALIDATION', parsed.message);
        hub.handle(agentId, socket, parsed.msg);
      } catch (err) {
        // A bug of ours behind one message: that desktop hears it, every call goes on.
        handlerErrors.report(req.log, 'ws', err, { route: '/agent/ws', agentId, messageType: parsed.ok ? parsed.msg.type : 'invalid' });
        hub.refuse(socket, 'INTERNAL', 'internal error; the log has the details');
      }
    });
    socket.on('close', () => {
      timer.cancel();
      if (agentId !== undefined) hub.detach(agentId, socket);
    });
  });
}

/**
 * What a desktop limited to creditors hears of the inbox and of messages: a reply or message
 * about its creditors (the store's scope rules, as /agent/inbox and /messages), with its own
 * badge count; nothing of another creditor's.
 */
function scopedPush(store: AppDeps['store'], agentId: number, creditors: string[]) {
  return (msg: DeskInboxMessage | { type: 'message'; message: DeskMessage }) => {
    if (msg.type === 'message') return store.messages.visibleTo(msg.message.id, creditors) ? msg : null;
    const id = 'row' in msg ? msg.row.id : msg.gone;
    if (!store.replies.visibleTo(id, creditors)) return null;
    return { ...msg, count: store.replies.agentInboxCount(agentId, creditors) };
  };
}
