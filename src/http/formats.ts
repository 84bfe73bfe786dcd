/**
 * String formats used in route schemas. Registered with Fastify's Ajv and TypeBox's
 * FormatRegistry so both validate the same way.
 */
import { FormatRegistry } from '@sinclair/typebox';
import { E164 } from '../campaigns/service.ts';

const FORMATS: Record<string, RegExp> = { e164: E164 };

for (const [name, re] of Object.entries(FORMATS)) if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, (v) => re.test(v));

/** Ajv plugin (Fastify `ajv.plugins`). */
export function addFormats<A extends { addFormat(name: string, re: RegExp): unknown }>(ajv: A): A {
  for (const [name, re] of Object.entries(FORMATS)) ajv.addFormat(name, re);
  return ajv;
}
