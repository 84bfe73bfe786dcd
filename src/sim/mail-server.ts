/**
 * The test mail server: real SMTP (smtp-server) on loopback, standing where the agency's relay
 * stands, so the production nodemailer transport is what tests and the benchmark exercise.
 * Shares no code with src/messaging (only the MIME reader in src/lib).
 *
 * What a recipient's address makes it do (defaultRecipientRule; tests may pass their own):
 *   - local part contains "bounce"   → RCPT refused, 550 5.1.1 (a dead mailbox: the bounce)
 *   - local part contains "tempfail" → RCPT refused, 451 4.3.0 (try again later)
 *   - local part contains "dropdata" → the whole message is taken in, then the connection is
 *     cut before the answer to DATA. The mail IS kept: a real relay may well have queued it,
 *     which is why the sender must call this "uncertain" and never resend it blindly.
 *   - local part contains "dropmid"  → the connection is cut as the first bytes of the message
 *     arrive: the server cannot have taken it (no final "."), the sender may resend.
 *   - anything else                  → accepted, 250 with a Postfix-like queue id.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { findPart, header, parseMime, textOf } from '../lib/mime.ts';

export interface ReceivedMail {
  /** The recipient this copy is for (one copy per accepted RCPT). */
  to: string;
  /** MAIL FROM, where bounces would go. */
  envelopeFrom: string;
  /** The id the server answered with ("queued as …"). */
  queueId: string;
  subject: string;
  text: string;
  html: string;
  /** Header name in lower case → first value, encoded words decoded. */
  headers: Record<string, string>;
  /** The message exactly as it came over DATA. */
  raw: string;
  /** Set when the connection was cut after DATA instead of answering. */
  droppedAfterData: boolean;
}

export type RecipientVerdict = 'accept' | 'drop-after-data' | 'drop-during-data' | { code: number; message: string };

export function defaultRecipientRule(address: string): RecipientVerdict {
  const at = address.lastIndexOf('@');
  const local = (at < 0 ? address : address.slice(0, at)).toLowerCase();
  if (local.includes('bounce')) return { code: 550, message: `5.1.1 <${address}>: Recipient address rejected: User unknown in virtual mailbox table` };
  if (local.includes('tempfail')) return { code: 451, message: '4.3.0 <' + address + '>: Temporary lookup failure, try again later' };
  if (local.includes('dropdata')) return 'drop-after-data';
  if (local.includes('dropmid')) return 'drop-during-data';
  return 'accept';
}

export interface SimMailServerOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  /** When set, AUTH is required with exactly these credentials (PLAIN/LOGIN over plain TCP). */
  auth?: { user: string; password: string };
  recipientRule?: (address: string) => RecipientVerdict;
  /** Keep and parse every message (default). false: count only (the benchmark, to measure the sender). */
  keep?: boolean;
}

export interface RunningMailServer {
  host: string;
  port: number;
  /** Messages received for one address (case-insensitive), oldest first. */
  inbox(address: string): ReceivedMail[];
  /** Messages accepted (or taken in before a drop) since start. */
  readonly received: number;
  /** Cuts every open SMTP connection at once, like a relay that crashed; the listener stays. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startSimMailServer(opts: SimMailServerOptions = {}): Promise<RunningMailServer> {
  const host = opts.host ?? '127.0.0.1';
  const rule = opts.recipientRule ?? defaultRecipientRule;
  const keep = opts.keep ?? true;
  const boxes = new Map<string, ReceivedMail[]>();
  const sockets = new Set<Socket>();
  const socketsByPort = new Map<number, Socket>();
  let received = 0;

  const server = new SMTPServer({
    secure: false,
    // No STARTTLS: the sim has no certificate a client would trust; the transport's own TLS
    // options are nodemailer's, proven by its own tests.
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const verdict = rule(address.address);
      if (typeof verdict === 'object') return callback(Object.assign(new Error(verdict.message), { responseCode: verdict.code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const recipientsNow = session.envelope.rcptTo.map((r) => r.address);
      if (recipientsNow.some((r) => rule(r) === 'drop-during-data')) {
        stream.once('data', () => socketsByPort.get(session.remotePort)?.destroy());
        stream.resume();
        return;
      }
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const recipients = recipientsNow;
        const drop = recipients.some((r) => rule(r) === 'drop-after-data');
        const queueId = randomBytes(5).toString('hex').toUpperCase();
        received++;
        if (keep) store(Buffer.concat(chunks), session, recipients, queueId, drop);
        if (drop) {
          socketsByPort.get(session.remotePort)?.destroy();
          return;
        }
        callback(null, `2.0.0 Ok: queued as ${queueId}`);
      });
    },
  });
  // smtp-server does not hand out the socket; a connection is known by its client port.
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    sockets.add(socket);
    socketsByPort.set(port, socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (socketsByPort.get(port) === socket) socketsByPort.delete(port);
    });
  });
  // A client that vanishes mid-session is normal here; smtp-server reports it as an error event.
  server.on('error', () => {});

  function store(raw: Buffer, session: SMTPServerSession, recipients: string[], queueId: string, dropped: boolean): void {
    const root = parseMime(raw);
    const headers: Record<string, string> = {};
    for (const name of root.headers.keys()) headers[name] = header(root, name) ?? '';
    const textPart = findPart(root, 'text/plain');
    const htmlPart = findPart(root, 'text/html');
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    for (const to of recipients) {
      const mail: ReceivedMail = {
        to,
        envelopeFrom,
        queueId,
        subject: headers.subject ?? '',
        // Line ends as a mail client shows them (SMTP carries CRLF).
        text: textPart ? textOf(textPart).replace(/\r\n/g, '\n') : '',
        html: htmlPart ? textOf(htmlPart).replace(/\r\n/g, '\n') : '',
        headers,
        raw: raw.toString('utf8'),
        droppedAfterData: dropped,
      };
      const key = to.toLowerCase();
      const box = boxes.get(key);
      if (box) box.push(mail);
      else boxes.set(key, [mail]);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    inbox: (address) => [...(boxes.get(address.toLowerCase()) ?? [])],
    get received() {
      return received;
    },
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
