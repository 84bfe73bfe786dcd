/**
 * What a desktop may send over its socket, checked at the edge (STYLE.md: schemas at every
 * edge). A frame is a JSON object with an own `type`; each type has a closed schema, so a
 * prototype name (`__proto__`, `toString`, `constructor`) or an extra field is a value
 * that fails the check, never a lookup that reaches Object.prototype. A failed check is
 * answered with an error message naming the field; nothing a desktop sends can throw.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

/** The agent states a desktop may ask for (src/agents/states.ts SELF_SERVICE). */
export const SELF_STATES = ['available', 'paused', 'offline'] as const;

const closed = { additionalProperties: false } as const;
const SCHEMAS = {
  auth: Type.Object({ type: Type.Literal('auth'), token: Type.String({ minLength: 1, maxLength: 200 }) }, closed),
  state: Type.Object({ type: Type.Literal('state'), state: Type.Union(SELF_STATES.map((s) => Type.Literal(s))) }, closed),
  ping: Type.Object({ type: Type.Literal('ping') }, closed),
} satisfies Record<string, TSchema>;

export type ClientMessageType = keyof typeof SCHEMAS;
/** Desktop → server. */
export type ClientMessage = { [K in ClientMessageType]: Static<(typeof SCHEMAS)[K]> }[ClientMessageType];

const CHECKS = new Map<string, TypeCheck<TSchema>>(Object.entries(SCHEMAS).map(([k, s]) => [k, TypeCompiler.Compile(s)]));
const TYPES = Object.keys(SCHEMAS).join(', ');

/** Longest frame a desktop has any reason to send (a token is ~50 characters). */
export const MAX_MESSAGE_CHARS = 4096;

export type Parsed = { ok: true; msg: ClientMessage } | { ok: false; message: string };

/** A frame from the socket as it came off the wire: text, or binary (refused). */
export function parseClientMessage(data: unknown, isBinary: boolean): Parsed {
  if (isBinary) return { ok: false, message: 'binary frames are not accepted: send JSON text' };
  const raw = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : undefined;
  if (raw === undefined) return { ok: false, message: 'messages are single text frames of JSON' };
  if (raw.length > MAX_MESSAGE_CHARS) return { ok: false, message: `a message is at most ${MAX_MESSAGE_CHARS} characters; this one has ${raw.length}` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'a message is a JSON object with a type; this one is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: `a message is a JSON object with a type; got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}` };
  }
  const type = Object.hasOwn(value, 'type') ? (value as { type: unknown }).type : undefined;
  const check = typeof type === 'string' && Object.hasOwn(SCHEMAS, type) ? CHECKS.get(type) : undefined;
  if (!check) return { ok: false, message: `type must be one of ${TYPES}; got ${describe(type)}` };
  const first = check.Errors(value).First();
  if (first) return { ok: false, message: `message ${type}: ${explain(first.path, first.schema, first.value)}` };
  return { ok: true, msg: value as ClientMessage };
}

function explain(path: string, schema: TSchema, value: unknown): string {
  const field = path || '(message)';
  if (value === undefined) return `${field} is required`;
  const s = schema as { anyOf?: { const?: unknown }[]; maxLength?: number; minLength?: number; type?: string; additionalProperties?: boolean };
  if (s.anyOf) return `${field} must be one of ${s.anyOf.map((x) => String(x.const)).join(', ')}; got ${describe(value)}`;
  if (s.type === 'string' && typeof value === 'string') return `${field} must be ${s.minLength ?? 0}–${s.maxLength} characters long; got ${value.length}`;
  if (s.type === 'string') return `${field} must be text; got ${describe(value)}`;
  if (s.additionalProperties === false) return `${field} is not a known field`;
  return `${field} is not allowed (${describe(value)})`;
}

/** A short description of a value for an error message: never the whole of a huge value. */
function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v).slice(0, 40)}`;
}
