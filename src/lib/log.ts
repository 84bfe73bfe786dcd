import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Structured, private logs (STYLE.md habit 7): child loggers per call carry callId and
 * campaignId; phone numbers are masked; names and amounts never appear at info level.
 * Fields with these names are redacted wherever they appear, as a safety net.
 */
const REDACT = [
  'name', '*.name', 'debtorName', '*.debtorName',
  'amountCents', '*.amountCents', 'amount', '*.amount',
  'email', '*.email', 'token', '*.token', 'password', '*.password',
  'authorization', '*.authorization', 'req.headers.authorization',
];

export type { Logger };

export function createLogger(opts: { level?: string; pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { svc: 'bereik' },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination as pino.DestinationStream) : pino(options);
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** +31612345678 → +3161234**** : enough to tell calls apart, not enough to call anyone. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const keep = Math.max(0, phone.length - 4);
  return phone.slice(0, keep) + '*'.repeat(phone.length - keep);
}

/**
 * jan.jansen@voorbeeld.nl → j***@v***.nl : tells a log reader which message it was next to
 * the outbox id, not who it went to (a personal domain can be a family name, so it is cut too).
 */
export function maskEmail(address: string | null | undefined): string {
  if (!address) return '';
  const at = address.lastIndexOf('@');
  if (at < 0) return address.slice(0, 1) + '***';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}

/**
 * /calls?access_token=brk_… → /calls?access_token=[redacted]: a query string may carry a
 * token or a phone number, and request logs keep URLs. Parameter names stay, to debug by.
 */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url.slice(q + 1).split('&').map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? (p ? '[redacted]' : p) : `${p.slice(0, eq)}=[redacted]`;
  });
  return `${url.slice(0, q)}?${params.join('&')}`;
}
