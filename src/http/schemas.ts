/** TypeBox schemas shared by route modules. */
import { Type, type TSchema } from '@sinclair/typebox';

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

export const Err = Type.Ref('ErrorResponse');

/** Standard error responses, so OpenAPI lists them for every route. */
export function errors(...codes: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = { 401: Err, 403: Err, 429: Err };
  for (const c of codes) out[c] = Err;
  return out;
}

/** A union of string literals that keeps its literal TypeScript type. */
export function Literals<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v)), options));
}
