/**
 * ARI's REST half over fetch: Basic auth, a deadline per request, typed errors.
 * Asterisk answers errors as {"message": …} except 500 "Allocation failed" on an
 * unknown endpoint, which comes as {"error": …} (trace 06): both become ARI_HTTP with
 * the status and Asterisk's words. Connection failures and deadlines are ARI_UNREACHABLE.
 */
import { BereikError } from '../lib/errors.ts';

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface AriRestOptions {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8088 (ARI is under /ari). */
  url: string;
  user: string;
  password: string;
  /** Network deadline per request. Wall time on purpose: it bounds a socket, not a call flow. */
  requestTimeoutMs: number;
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
  const why = cause instanceof Error ? (cause.name === 'TimeoutError' ? 'no answer before the request deadline' : describe(cause)) : String(cause);
  return new BereikError('ARI_UNREACHABLE', `Asterisk at ${base} could not be reached for ${method} ${path}: ${why}`, { method, path, why });
}

function describe(err: Error): string {
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) return `${err.message} (${(cause as NodeJS.ErrnoException).code ?? cause.message})`;
  return err.message;
}

/** The HTTP status of an ARI_HTTP error, else undefined. */
export function ariStatus(err: unknown): number | undefined {
  return err instanceof BereikError && err.code === 'ARI_HTTP' ? err.httpStatus : undefined;
}

export class AriRest {
  readonly base: string;
  private readonly auth: string;

  constructor(private readonly opts: AriRestOptions) {
    this.base = ariBase(opts.url);
    this.auth = 'Basic ' + Buffer.from(`${opts.user}:${opts.password}`).toString('base64');
  }

  get authorization(): string {
    return this.auth;
  }

  async request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query?: Query, body?: unknown): Promise<T> {
    const url = this.base + path + buildQuery(query);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: this.auth,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs),
      });
    } catch (err) {
      throw ariUnreachable(method, path, err, this.base);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw ariUnreachable(method, path, err, this.base);
    }
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (res.status >= 400) throw ariHttpError(method, path, res.status, parsed);
    return parsed as T;
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
