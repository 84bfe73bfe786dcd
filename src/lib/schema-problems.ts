/**
 * TypeBox errors as problems a person can act on: each names its field path
 * (`settings.callingWindows[0].start`, `strategy.segments[1].steps[0].action`), a stable
 * rule and why. Shared by every JSON document Bereik validates against a schema (campaign
 * settings, strategies); the checks a schema cannot express stay with their document.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';

/** Stable names for why a value was refused by its schema (API clients may branch on them). */
export type SchemaRule = 'unknown_field' | 'required' | 'type' | 'too_small' | 'too_large' | 'format' | 'not_allowed' | 'duplicate';

export interface SchemaProblem<R extends string = SchemaRule> {
  field: string;
  rule: R;
  message: string;
}

/** At most this many problems are reported at once. */
export const MAX_PROBLEMS = 20;

/** `/callingWindows/0/start` → `<root>.callingWindows[0].start`. */
export function fieldPath(pointer: string, root: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : `${out}.${p}`), root);
}

/** A value as quoted in a message, cut short. */
export function shown(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function ruleOf(e: ValueError): SchemaRule {
  const name = ValueErrorType[e.type] ?? '';
  if (e.type === ValueErrorType.ObjectAdditionalProperties) return 'unknown_field';
  if (e.type === ValueErrorType.ObjectRequiredProperty) return 'required';
  if (/Maximum|MaxItems|MaxLength/.test(name)) return 'too_large';
  if (/Minimum|MinItems|MinLength/.test(name)) return 'too_small';
  if (/Pattern|Format/.test(name)) return 'format';
  if (/Union|Literal/.test(name)) return 'not_allowed';
  if (/UniqueItems/.test(name)) return 'duplicate';
  return 'type';
}

function phrase(e: ValueError, rule: SchemaRule, what: string): string {
  const s = e.schema as Record<string, unknown>;
  switch (rule) {
    case 'unknown_field':
      return `is not a known ${what}`;
    case 'required':
      return 'is required';
    case 'too_large':
      if (s.maxLength !== undefined) return `must be at most ${String(s.maxLength)} characters`;
      if (s.maxItems !== undefined) return `must have at most ${String(s.maxItems)} entries`;
      return s.exclusiveMaximum !== undefined ? `must be below ${String(s.exclusiveMaximum)}` : `must be at most ${String(s.maximum)}`;
    case 'too_small':
      if (s.minLength !== undefined) return `must be at least ${String(s.minLength)} characters`;
      if (s.minItems !== undefined) return `must have at least ${String(s.minItems)} entries`;
      return s.exclusiveMinimum !== undefined ? `must be above ${String(s.exclusiveMinimum)}` : `must be at least ${String(s.minimum)}`;
    case 'format':
      return `must be ${String(s.description ?? `text matching ${String(s.pattern)}`)}`;
    case 'not_allowed': {
      const options = ((s.anyOf ?? []) as { const?: unknown }[]).map((o) => o.const).filter((c) => c !== undefined);
      return options.length ? `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}` : 'has a value that is not allowed';
    }
    case 'duplicate':
      return 'must not repeat an entry';
    default:
      return e.message.replace(/^Expected/, 'must be');
  }
}

/** Every way `value` breaks `schema`, one problem per field, paths under `root`; `what` names an unknown key ("setting", "field"). */
export function schemaProblems(schema: TSchema, value: unknown, root: string, what: string): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const e of Value.Errors(schema, value)) {
    const rule = ruleOf(e);
    const field = fieldPath(e.path, root);
    const got = rule === 'unknown_field' || rule === 'required' ? '' : `, got ${shown(e.value)}`;
    // A union reports every member's complaint; the first says enough.
    if (out.some((p) => p.field === field)) continue;
    out.push({ field, rule, message: `${field} ${phrase(e, rule, what)}${got}` });
    if (out.length >= MAX_PROBLEMS) break;
  }
  return out;
}
