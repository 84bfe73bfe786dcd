/**
 * Bearer-token auth as one onRequest hook. Each route says who may call it in its
 * config: `{ config: { roles: ['operator'] } }` (admin may always do what an operator
 * may), or `{ config: { public: true } }` for /healthz and pages without data (/desktop, the
 * /docs page; the API description it loads needs a token). A route
 * that says nothing is admin-only, so a forgotten declaration fails closed.
 *
 * Failed attempts (missing or unknown token) are counted per client address in a
 * one-minute window; past config.auth.maxFailedPerMinute the address gets 429 with
 * Retry-After until the window ends, valid token or not, so guessing stays slow.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BereikError } from '../lib/errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { TokenRepository } from '../store/repositories.ts';
import type { Role } from '../store/tokens.ts';
import { hashToken } from './tokens.ts';
import { checkScope, type ScopePolicy } from './scope.ts';

export interface AuthInfo {
  tokenId: number;
  name: string;
  role: Role;
  agentId: number | null;
  /** The creditors the token is limited to; empty = every creditor (src/http/scope.ts). */
  creditors: string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on this route besides admin. */
    roles?: Role[];
    /** No token needed (health check, API description). */
    public?: boolean;
    /** How a token limited to some creditors is treated here (src/http/scope.ts); required on every non-public route. */
    scope?: ScopePolicy;
  }
  interface FastifyRequest {
    auth: AuthInfo | null;
  }
  interface FastifyInstance {
    /** Failed attempts per client address, shared with the desktop socket (routes/desktop.ts). */
    authFailures: FailureCounter;
  }
}

const WINDOW_MS = 60_000;
/** last_used_at is a hint for `token list`, not an audit log: write it at most once a minute. */
const TOUCH_EVERY_MS = 60_000;

export class FailureCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly clock: Clock, private readonly max: number) {}

  /** Seconds until this address may try again, or 0 when it is not blocked. */
  blockedFor(addr: string): number {
    const w = this.current(addr);
    if (!w || w.count < this.max) return 0;
    return Math.max(1, Math.ceil((w.start + WINDOW_MS - this.clock.now()) / 1000));
  }

  fail(addr: string): void {
    const now = this.clock.now();
    const w = this.current(addr);
    if (w) w.count++;
    else this.windows.set(addr, { start: now, count: 1 });
    if (this.windows.size > 10_000) this.prune(now);
  }

  private current(addr: string) {
    const w = this.windows.get(addr);
    if (w && this.clock.now() - w.start >= WINDOW_MS) {
      this.windows.delete(addr);
      return undefined;
    }
    return w;
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(k);
  }
}

export function registerAuth(app: FastifyInstance, deps: { tokens: TokenRepository; clock: Clock; maxFailedPerMinute: number }): void {
  const tokens = deps.tokens;
  const failures = new FailureCounter(deps.clock, deps.maxFailedPerMinute);
  const touched = new Map<number, number>();
  app.decorateRequest('auth', null);
  app.decorate('authFailures', failures);

  const authenticate = (req: FastifyRequest): AuthInfo => {
    const wait = failures.blockedFor(req.ip);
    if (wait > 0) {
      throw new BereikError('AUTH_RATE_LIMITED', `too many failed attempts from this address; try again in ${wait} s`, { retryAfterSec: wait });
    }
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) {
      failures.fail(req.ip);
      throw new BereikError('AUTH_MISSING', 'send Authorization: Bearer <token> (create one with `bereik token create`)');
    }
    const row = tokens.findActiveByHash(hashToken(m[1]!));
    if (!row) {
      failures.fail(req.ip);
      throw new BereikError('AUTH_INVALID', 'the bearer token is unknown or revoked');
    }
    const now = deps.clock.now();
    if ((touched.get(row.id) ?? 0) + TOUCH_EVERY_MS <= now) {
      touched.set(row.id, now);
      tokens.touch(row.id, new Date(now).toISOString());
    }
    return { tokenId: row.id, name: row.name, role: row.role, agentId: row.agentId, creditors: row.creditors };
  };

  app.addHook('onRequest', async (req, reply) => {
    const cfg = req.routeOptions.config ?? {};
    if (cfg.public) return;
    try {
      req.auth = authenticate(req);
    } catch (err) {
      if (err instanceof BereikError && err.code === 'AUTH_RATE_LIMITED') {
        reply.header('Retry-After', String((err.details as { retryAfterSec: number }).retryAfterSec));
      }
      throw refused(reply, err);
    }
    const allowed = cfg.roles ?? [];
    if (req.auth.role !== 'admin' && !allowed.includes(req.auth.role)) {
      throw refused(reply, new BereikError('AUTH_FORBIDDEN', `this route needs role ${['admin', ...allowed].join(' or ')}; the token has role ${req.auth.role}`));
    }
    try {
      checkScope(cfg.scope, req.auth.creditors.length ? req.auth.creditors : null, `${req.method} ${req.routeOptions.url ?? req.url}`);
    } catch (err) {
      throw refused(reply, err);
    }
  });
}

/**
 * A refused request ends its connection: its body (an upload, perhaps never finished) is
 * not read, and a client that cannot authenticate gets no socket to hold on to.
 */
function refused(reply: FastifyReply, err: unknown): unknown {
  reply.header('connection', 'close');
  return err;
}

/**
 * Role sets used by route modules, so "who may do what" reads the same everywhere
 * (docs/roles.md). There is no "everyone" set on purpose: an agent token reaches only
 * AGENT_ONLY routes, which answer about the agent behind the token (agentOf), and the API
 * description. test/api/agent-token-sees-only-its-own-cases-on-every-route.test.ts walks
 * every registered route with agent tokens against an explicit allow-list.
 */
export const OPERATORS: Role[] = ['operator'];
/** The agent's own routes (/agent/...): each reads or acts on agentOf(req) only, and within creditorsOf(req) for a limited agent. */
export const AGENT_ONLY: { roles: Role[]; scope: ScopePolicy } = { roles: ['agent'], scope: 'own-cases' };
/** The API description holds no data: any valid token may read it. */
export const API_DESCRIPTION: Role[] = ['operator', 'agent', 'client', 'supervisor'];
/** Read-only routes a creditor's own staff (role client, always limited to their creditors) may call. */
export const READERS: Role[] = ['operator', 'client'];
/** Listening in on live agent calls (docs/supervisors.md). */
export const SUPERVISORS: Role[] = ['supervisor'];

/** The agent behind the token; admins and operators have none. */
export function agentOf(req: FastifyRequest): number {
  const id = req.auth?.agentId;
  if (id == null) throw new BereikError('AUTH_FORBIDDEN', 'this token is not linked to an agent (create one with POST /agents/:id/token)', undefined, 403);
  return id;
}
