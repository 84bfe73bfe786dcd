/**
 * The connections under ARI's REST half: a bounded pool of keep-alive HTTP/1.1 sockets.
 *
 * Asterisk's HTTP server serves at most `sessionlimit` connections (http.conf, default
 * 100, the events WebSocket included) and closes any connection over it at once, unread
 * ("HTTP session count exceeded 100 sessions"). An unbounded client (global fetch) opened
 * one per concurrent request and lost plays under load. So: at most maxConnections
 * sockets, kept alive and reused; a request finding none free waits in the pool's queue,
 * and its deadline counts the wait.
 *
 * One attempt either answers (status + body), or fails with `neverReached` telling whether
 * Asterisk cannot have acted on it:
 * - connection refused: nothing was sent;
 * - the connection closed or reset (ECONNRESET, EPIPE, "socket hang up") before one byte
 *   of the answer came back. Asterisk's HTTP server reads a request, acts, then writes the
 *   answer; it closes a session without answering only when it did not read the request
 *   (over sessionlimit, or a keep-alive session it timed out just as we reused it).
 * Anything else may have been executed: a deadline, a reset after any byte of the answer
 * (inside the headers or the body), a parse error. Those are never retried.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';

/**
 * Idle keep-alive sockets are closed by us first: below Asterisk's session_keep_alive
 * (15 s by default) and Node's server default (5 s), so a reuse rarely races the server's
 * own close; the retry covers the rare race that is left.
 */
export const IDLE_SOCKET_MS = 4000;

export interface AriAnswer {
  status: number;
  text: string;
  /** The body as it came (a stored recording's audio). */
  bytes: Buffer;
}

/** Why one attempt failed; `neverReached` = Asterisk cannot have acted on it (safe to send again). */
export class AriTransportError extends Error {
  constructor(
    message: string,
    readonly neverReached: boolean,
    /** 'deadline' when our own deadline ended it (while queued for a socket, or waiting for the answer). */
    readonly kind: 'deadline' | 'refused' | 'closed-unanswered' | 'failed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = kind === 'deadline' ? 'TimeoutError' : 'AriTransportError';
  }
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

export class AriHttpPool {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private readonly target: URL;

  constructor(base: string, readonly maxConnections: number) {
    this.target = new URL(base);
    const https = this.target.protocol === 'https:';
    const opts = { keepAlive: true, maxSockets: maxConnections, maxTotalSockets: maxConnections, maxFreeSockets: maxConnections, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
    // lifo: the busiest sockets stay warm and the rest time out, so a quiet hour holds few.
    this.agent = https ? new HttpsAgent(opts) : new HttpAgent(opts);
    this.send = https ? (httpsRequest as typeof httpRequest) : httpRequest;
  }

  /** Sockets open now (busy + idle): never more than maxConnections. */
  get openSockets(): number {
    let n = 0;
    for (const list of Object.values(this.agent.sockets)) n += list?.length ?? 0;
    for (const list of Object.values(this.agent.freeSockets)) n += list?.length ?? 0;
    return n;
  }

  /** Closes the idle sockets; busy ones finish their request, then time out idle. */
  closeIdle(): void {
    for (const list of Object.values(this.agent.freeSockets)) for (const s of list ?? []) s.destroy();
  }

  /** One attempt. `pathAndQuery` is appended to the base URL's path; `deadlineAt` is a performance.now() instant. */
  attempt(method: string, pathAndQuery: string, headers: Record<string, string>, body: string | undefined, deadlineAt: number): Promise<AriAnswer> {
    return new Promise<AriAnswer>((resolve, reject) => {
      let socket: Socket | undefined;
      let readBefore = 0;
      let answered = false;
      let settled = false;
      const finish = (err: AriTransportError | undefined, answer?: AriAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(answer!);
      };
      const req: ClientRequest = this.send({
        agent: this.agent,
        protocol: this.target.protocol,
        hostname: this.target.hostname,
        port: this.target.port,
        method,
        path: this.target.pathname.replace(/\/+$/, '') + pathAndQuery,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      const timer = setTimeout(() => {
        const why = socket ? 'no answer before the request deadline' : `no free ARI connection before the request deadline (all ${this.maxConnections} busy)`;
        const err = new AriTransportError(why, false, 'deadline');
        finish(err);
        req.destroy(err);
      }, Math.max(0, deadlineAt - performance.now()));
      req.on('socket', (s: Socket) => {
        socket = s;
        readBefore = s.bytesRead;
      });
      req.on('response', (res: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          finish(undefined, { status: res.statusCode ?? 0, text: bytes.toString('utf8'), bytes });
        });
        res.on('error', (err) => finish(new AriTransportError(`answer cut short: ${describeNodeError(err)}`, false, 'failed', { cause: err })));
        res.on('close', () => {
          if (!res.complete) finish(new AriTransportError('answer cut short: connection closed mid-answer', false, 'failed'));
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => finish(classify(err, answered, socket, readBefore)));
      req.end(body);
    });
  }
}

function classify(err: NodeJS.ErrnoException, answered: boolean, socket: Socket | undefined, readBefore: number): AriTransportError {
  if (err instanceof AriTransportError) return err;
  const why = describeNodeError(err);
  if (err.code === 'ECONNREFUSED') return new AriTransportError(why, true, 'refused', { cause: err });
  const nothingBack = !answered && (socket === undefined || socket.bytesRead === readBefore);
  if (RESET_CODES.has(err.code ?? '') && nothingBack) {
    return new AriTransportError(`${why}, before any answer`, true, 'closed-unanswered', { cause: err });
  }
  return new AriTransportError(why, false, 'failed', { cause: err });
}

export function describeNodeError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}
