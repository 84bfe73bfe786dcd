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
