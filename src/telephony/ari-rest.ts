/**
 * ARI's REST half: Basic auth, a deadline per request, typed errors, over a bounded pool
 * of keep-alive connections (ari-http.ts: why the bound, and which failures prove that
 * Asterisk never acted). Such a failure is sent once more on a fresh attempt, within the
 * same deadline; a request that may have been executed never is.
 * Asterisk answers errors as {"message": …} except 500 "Allocation failed" on an
 * unknown endpoint, which comes as {"error": …} (trace 06): both become ARI_HTTP with
 * the status and Asterisk's words. Connection failures and deadlines are ARI_UNREACHABLE.
 */
import { BereikError } from '../lib/errors.ts';
import { AriHttpPool, AriTransportError, describeNodeError, type AriAnswer } from './ari-http.ts';
import { AppRequestGate } from './app-request-gate.ts';

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface AriRestOptions {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8088 (ARI is under /ari). */
  url: string;
  user: string;
  password: string;
  /** Network deadline per request. Wall time on purpose: it bounds a socket, not a call flow. */
  requestTimeoutMs: number;
  /** Most connections open at once; keep it below Asterisk's http.conf sessionlimit (default 100). */
  maxConnections: number;
  /** Told when a request is sent again after a failure that proves Asterisk never saw it. */
  onRetry?: (info: { method: string; path: string; why: string }) => void;
}

export interface AriHttpDetails {
  method: string;
  path: string;
  status: number;
  /** Asterisk's own words ("Channel not found", "Allocation failed"). */
  ariMessage: string;
}

/** Base URL ending in /ari, whether or not the configured URL already had it. */
export function ariBase(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/ari') ? trimmed : `${trimmed}/ari`;
}

export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) sp.append(k, v.join(','));
    else sp.append(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Maps an error answer to ARI_HTTP, keeping Asterisk's message whichever field it used. */
export function ariHttpError(method: string, path: string, status: number, body: unknown): BereikError {
  let ariMessage = '';
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    if (typeof b.message === 'string') ariMessage = b.message;
    else if (typeof b.error === 'string') ariMessage = b.error;
  } else if (typeof body === 'string') {
    ariMessage = body.trim();
  }
  const details: AriHttpDetails = { method, path, status, ariMessage };
  return new BereikError('ARI_HTTP', `Asterisk answered ${status} to ${method} ${path}${ariMessage ? `: ${ariMessage}` : ''}`, details, status);
}

export function ariUnreachable(method: string, path: string, cause: unknown, base: string): BereikError {
  const why = cause instanceof AriTransportError ? cause.message
    : cause instanceof Error ? (cause.name === 'TimeoutError' ? 'no answer before the request deadline' : describe(cause)) : String(cause);
  return new BereikError('ARI_UNREACHABLE', `Asterisk at ${base} could not be reached for ${method} ${path}: ${why}`, { method, path, why });
}

function describe(err: Error): string {
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) return `${err.message} (${(cause as NodeJS.ErrnoException).code ?? cause.message})`;
  return describeNodeError(err);
}

/** The HTTP status of an ARI_HTTP error, else undefined. */
export function ariStatus(err: unknown): number | undefined {
  return err instanceof BereikError && err.code === 'ARI_HTTP' ? err.httpStatus : undefined;
}

export class AriRest {
  readonly base: string;
  private readonly auth: string;
  private readonly pool: AriHttpPool;
  /** A change of the app's event filter never overlaps another request on the app (app-request-gate.ts). */
  private readonly appGate = new AppRequestGate();

  constructor(private readonly opts: AriRestOptions) {
    this.base = ariBase(opts.url);
    this.auth = 'Basic ' + Buffer.from(`${opts.user}:${opts.password}`).toString('base64');
    this.pool = new AriHttpPool(this.base, opts.maxConnections);
  }

  get authorization(): string {
    return this.auth;
  }

  /** Connections open to Asterisk now (busy + idle), at most maxConnections. */
  get openConnections(): number {
    return this.pool.openSockets;
  }

  /** Closes the idle pooled connections (stop); a request in flight still gets its answer. */
  closeIdle(): void {
    this.pool.closeIdle();
  }

  async request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query?: Query, body?: unknown): Promise<T> {
    const answer = await this.send(method, path, query, body);
    let parsed: unknown = undefined;
    if (answer.text) {
      try {
        parsed = JSON.parse(answer.text);
      } catch {
        parsed = answer.text;
      }
    }
    if (answer.status >= 400) throw ariHttpError(method, path, answer.status, parsed);
    return parsed as T;
  }

  /** A GET whose answer is a file (a stored recording): its bytes, or undefined on 404. */
  async download(path: string): Promise<Buffer | undefined> {
    const answer = await this.send('GET', path, undefined, undefined);
    if (answer.status === 404) return undefined;
    if (answer.status >= 400) {
      let parsed: unknown = answer.text;
      try {
        parsed = JSON.parse(answer.text);
      } catch {
        // not JSON: Asterisk's words as text
      }
      throw ariHttpError('GET', path, answer.status, parsed);
    }
    return answer.bytes;
  }

  private send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query | undefined, body: unknown): Promise<AriAnswer> {
    const gate = AppRequestGate.kind(method, path);
    if (!gate) return this.sendNow(method, path, query, body);
    return this.appGate[gate](() => this.sendNow(method, path, query, body));
  }

  private async sendNow(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query | undefined, body: unknown): Promise<AriAnswer> {
    const pathAndQuery = path + buildQuery(query);
    const headers: Record<string, string> = { authorization: this.auth };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const payload = body !== undefined ? JSON.stringify(body) : undefined;
    const deadlineAt = performance.now() + this.opts.requestTimeoutMs;
    let answer: AriAnswer;
    try {
      answer = await this.pool.attempt(method, pathAndQuery, headers, payload, deadlineAt);
    } catch (err) {
      if (!(err instanceof AriTransportError) || !err.neverReached) throw ariUnreachable(method, path, err, this.base);
      this.opts.onRetry?.({ method, path, why: err.message });
      try {
        answer = await this.pool.attempt(method, pathAndQuery, headers, payload, deadlineAt);
      } catch (again) {
        throw ariUnreachable(method, path, again, this.base);
      }
    }
    return answer;
  }

  /** Like request(), but a 404 (already gone) is a normal answer: returns false. */
  async requestUnlessGone(method: 'POST' | 'DELETE', path: string, query?: Query): Promise<boolean> {
    try {
      await this.request(method, path, query);
      return true;
    } catch (err) {
      if (ariStatus(err) === 404) return false;
      throw err;
    }
  }
}
