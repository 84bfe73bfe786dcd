/**
 * The email config section turned into what the SMTP transport needs, with the checks the
 * schema cannot make (an address that does not parse, a password file that is not there, a
 * password that would cross the network in clear). Every refusal is CONFIG_INVALID naming the
 * key; a password never appears in a message.
 */
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import addressparser from 'nodemailer/lib/addressparser';
import { EmailConfigSchema, type EmailConfig } from '../../config/schema.ts';
import { BereikError } from '../../lib/errors.ts';

export interface SmtpTarget {
  host: string;
  port: number;
  /** The built-in test mail server (logged as such, never used when a host is configured). */
  simulated?: boolean;
}

export interface ResolvedTransport {
  host: string;
  port: number;
  security: EmailConfig['security'];
  simulated: boolean;
  auth?: { user: string; pass: string };
  /** The RFC 5322 From as configured, and its bare address. */
  from: string;
  fromAddress: string;
  /** MAIL FROM: where DSNs go. */
  envelopeFrom: string;
  poolSize: number;
  maxMessagesPerConnection: number;
  ratePerSecond: number;
  connectionTimeoutMs: number;
  socketTimeoutMs: number;
}

function invalid(key: string, why: string): BereikError {
  return new BereikError('CONFIG_INVALID', `config: email.${key} ${why}`, [`/email/${key}`]);
}

/** The one address in `value`, or undefined when it holds none, several, or a group. */
export function singleAddress(value: string): string | undefined {
  const parsed = addressparser(value);
  if (parsed.length !== 1) return undefined;
  const address = parsed[0]!.address;
  return address && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address) ? address : undefined;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;

export function resolveTransport(config: EmailConfig, target?: SmtpTarget): ResolvedTransport {
  // Callers that build the section by hand (tests, tools) get the schema's checks too.
  const schemaError = [...Value.Errors(EmailConfigSchema, config)][0];
  if (schemaError) {
    const key = schemaError.path.replace(/^\//, '').replaceAll('/', '.') || '(section)';
    const shown = key.startsWith('password') ? '[hidden]' : JSON.stringify(schemaError.value);
    throw invalid(key, `= ${shown} is not allowed: ${schemaError.message}`);
  }
  const simulated = config.host === '';
  if (simulated && !target) {
    throw invalid('host', 'is empty and no test mail server was started: set BEREIK_EMAIL_HOST to the SMTP relay');
  }
  const host = simulated ? target!.host : config.host;
  const port = simulated ? target!.port : config.port;
  if (!simulated && port === 0) throw invalid('port', '= 0 is not allowed with a relay host: expected the relay\'s port (465 for tls, 587 for starttls)');

  const fromAddress = singleAddress(config.from);
  if (!fromAddress) throw invalid('from', `= ${JSON.stringify(config.from)} is not one e-mail address (expected e.g. "Incasso Noord" <noreply@example.nl>)`);
  let envelopeFrom = fromAddress;
  if (config.bounceAddress) {
    const bounce = singleAddress(config.bounceAddress);
    if (!bounce) throw invalid('bounceAddress', `= ${JSON.stringify(config.bounceAddress)} is not one e-mail address`);
    envelopeFrom = bounce;
  }

  let pass = config.password;
  if (config.passwordFile) {
    if (config.password) throw invalid('passwordFile', 'and email.password are both set: keep one (BEREIK_EMAIL_PASSWORD or BEREIK_EMAIL_PASSWORD_FILE)');
    try {
      pass = readFileSync(config.passwordFile, 'utf8').trim();
    } catch (err) {
      throw invalid('passwordFile', `= ${JSON.stringify(config.passwordFile)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!pass) throw invalid('passwordFile', `= ${JSON.stringify(config.passwordFile)} is empty`);
  }
  if (config.user && !pass) throw invalid('password', 'is empty while email.user is set: set BEREIK_EMAIL_PASSWORD or BEREIK_EMAIL_PASSWORD_FILE');
  if (!config.user && pass) throw invalid('user', 'is empty while a password is set: the relay needs both');
  if (config.user && config.security === 'none' && !simulated && !LOOPBACK.test(host)) {
    throw invalid('security', `= "none" would send the password to ${host} in clear: use "starttls" or "tls"`);
  }

  return {
    host,
    port,
    security: simulated ? 'none' : config.security,
    simulated,
    auth: config.user ? { user: config.user, pass } : undefined,
    from: config.from,
    fromAddress,
    envelopeFrom,
    poolSize: config.poolSize,
    maxMessagesPerConnection: config.maxMessagesPerConnection,
    ratePerSecond: config.ratePerSecond,
    connectionTimeoutMs: config.connectionTimeoutMs,
    socketTimeoutMs: config.socketTimeoutMs,
  };
}
