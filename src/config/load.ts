import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { ConfigSchema, type Config } from './schema.ts';
import { BereikError } from '../lib/errors.ts';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULTS_FILE = join(PROJECT_ROOT, 'config/bereik.json');

type Json = Record<string, unknown>;

/** What the environment said, as typed, for error messages. */
const rawEnv = new Map<string, string>();

/**
 * Loads config/bereik.json, then the file named by BEREIK_CONFIG (if any), then
 * BEREIK_<SECTION>_<KEY> environment variables (BEREIK_HTTP_PORT → http.port,
 * BEREIK_ARI_RECONNECT_MIN_MS → ari.reconnectMinMs), and validates the result once.
 * A bad value throws CONFIG_INVALID naming the key, the value, where it came from, and
 * what is allowed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Json = {}): Config {
  rawEnv.clear();
  const merged = readJson(DEFAULTS_FILE);
  const origin = new Map<string, string>();
  if (env.BEREIK_CONFIG) {
    const extra = readJson(resolve(env.BEREIK_CONFIG));
    for (const [section, fileVar] of [['ari', 'BEREIK_ARI_PASSWORD_FILE'], ['email', 'email.passwordFile']] as const) {
      if (hasPath(extra, [section, 'password'])) {
        throw new BereikError('CONFIG_INVALID', `config: ${section}.password must not be in a config file (${env.BEREIK_CONFIG}); set BEREIK_${section.toUpperCase()}_PASSWORD or ${fileVar}`);
      }
    }
    if (hasPath(extra, ['tts', 'httpKey'])) {
      throw new BereikError('CONFIG_INVALID', `config: tts.httpKey must not be in a config file (${env.BEREIK_CONFIG}); set BEREIK_TTS_HTTP_KEY or tts.httpKeyFile (BEREIK_TTS_HTTP_KEY_FILE)`);
    }
    if (hasPath(extra, ['payments', 'webhookSecret'])) {
      throw new BereikError('CONFIG_INVALID', `config: payments.webhookSecret must not be in a config file (${env.BEREIK_CONFIG}); set BEREIK_PAYMENTS_WEBHOOK_SECRET or payments.webhookSecretFile`);
    }
    for (const key of WHATSAPP_SECRETS) {
      if (hasPath(extra, ['whatsapp', key])) {
        throw new BereikError('CONFIG_INVALID', `config: whatsapp.${key} must not be in a config file (${env.BEREIK_CONFIG}); set BEREIK_WHATSAPP_${camelToSnake(key)} or whatsapp.${key}File`);
      }
    }
    deepMerge(merged, extra, origin, env.BEREIK_CONFIG);
  }
  applyEnv(merged, env, origin);
  if (env.BEREIK_ARI_PASSWORD_FILE) {
    (merged.ari as Json).password = readFileSync(env.BEREIK_ARI_PASSWORD_FILE, 'utf8').trim();
  }
  readSecretFile(merged, 'payments', 'webhookSecret', 'webhookSecretFile', 'BEREIK_PAYMENTS_WEBHOOK_SECRET');
  readSecretFile(merged, 'tts', 'httpKey', 'httpKeyFile', 'BEREIK_TTS_HTTP_KEY');
  for (const key of WHATSAPP_SECRETS) readSecretFile(merged, 'whatsapp', key, `${key}File`, `BEREIK_WHATSAPP_${camelToSnake(key)}`);
  deepMerge(merged, overrides, origin, 'code');
  validate(merged, origin);
  return merged as unknown as Config;
}

/**
 * <section>.<fileKey> → <section>.<key>: a secret (payments.webhookSecret, tts.httpKey) is read
 * from a file or the environment, never kept in a config file.
 */
function readSecretFile(cfg: Json, section: string, key: string, fileKey: string, envName: string): void {
  const p = cfg[section] as Json | undefined;
  const file = p?.[fileKey];
  if (!p || typeof file !== 'string' || file === '') return;
  if (p[key]) throw new BereikError('CONFIG_INVALID', `config: ${section}.${fileKey} and ${envName} are both set: keep one`);
  if (!existsSync(file)) throw new BereikError('CONFIG_INVALID', `config: ${section}.${fileKey} = ${JSON.stringify(file)} does not exist`);
  p[key] = readFileSync(file, 'utf8').trim();
}

const WHATSAPP_SECRETS = ['accessToken', 'appSecret', 'verifyToken'] as const;

function readJson(file: string): Json {
  if (!existsSync(file)) throw new BereikError('CONFIG_INVALID', `config: file ${file} does not exist`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (err) {
    throw new BereikError('CONFIG_INVALID', `config: file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

function hasPath(obj: Json, path: string[]): boolean {
  let cur: unknown = obj;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null || !(k in cur)) return false;
    cur = (cur as Json)[k];
  }
  return true;
}

function deepMerge(target: Json, src: Json, origin: Map<string, string>, from: string, prefix = ''): void {
  for (const [k, v] of Object.entries(src)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object') {
      deepMerge(target[k] as Json, v as Json, origin, from, key);
    } else {
      target[k] = v;
      origin.set(key, from);
    }
  }
}

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();

function applyEnv(cfg: Json, env: NodeJS.ProcessEnv, origin: Map<string, string>): void {
  const props = (ConfigSchema as unknown as { properties: Record<string, { properties: Record<string, TSchema> }> }).properties;
  for (const [section, sectionSchema] of Object.entries(props)) {
    for (const [key, schema] of Object.entries(sectionSchema.properties)) {
      const name = `BEREIK_${camelToSnake(section)}_${camelToSnake(key)}`;
      const raw = env[name];
      if (raw === undefined) continue;
      const kind = (schema as { type?: string }).type;
      let value: unknown = raw;
      if (kind === 'integer' || kind === 'number') value = raw.trim() === '' ? NaN : Number(raw);
      else if (kind === 'boolean') value = raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
      // An optional section (sms) may be absent from the files: the variable creates it.
      ((cfg[section] ??= {}) as Json)[key] = value;
      origin.set(`${section}.${key}`, name);
      rawEnv.set(`${section}.${key}`, raw);
    }
  }
}

function validate(cfg: Json, origin: Map<string, string>): void {
  const errors = [...Value.Errors(ConfigSchema, cfg)];
  if (errors.length === 0) return;
  const lines = errors.slice(0, 10).map((e) => {
    const key = e.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    // A section a file or the code added whole (tts.http) is recorded under its own key.
    const from = key.split('.').map((_, i, parts) => origin.get(parts.slice(0, parts.length - i).join('.'))).find(Boolean) ?? 'config/bereik.json';
    const shown = /(password|Secret|Token|Key)$/.test(key) ? '[hidden]' : JSON.stringify(rawEnv.get(key) ?? e.value);
    return `config: ${key} = ${shown} (from ${from}) is not allowed: ${describe(e.schema, e.message)}`;
  });
  throw new BereikError('CONFIG_INVALID', lines.join('\n'), errors.map((e) => e.path));
}

function describe(schema: TSchema, fallback: string): string {
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.anyOf) && typeof s.description === 'string') return s.description;
  if (Array.isArray(s.anyOf)) return 'expected one of ' + (s.anyOf as Array<{ const?: unknown }>).map((x) => JSON.stringify(x.const)).join(', ');
  if (s.type === 'integer' || s.type === 'number') {
    const range = [s.minimum !== undefined ? `>= ${s.minimum}` : s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : '', s.maximum !== undefined ? `<= ${s.maximum}` : ''].filter(Boolean).join(' and ');
    return `expected ${s.type === 'integer' ? 'a whole number' : 'a number'}${range ? ' ' + range : ''}`;
  }
  if (s.type === 'string' && s.pattern) return `expected text matching ${s.pattern}`;
  if (s.type === 'string' && s.minLength) return 'expected non-empty text';
  return fallback;
}
