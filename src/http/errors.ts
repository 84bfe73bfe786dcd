/**
 * One error shape for every route: { error: { code, message, details? } } with codes from
 * src/lib/errors.ts. Schema validation failures become 400 VALIDATION naming the field
 * ("body/callerId must match E.164").
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { BereikError, ErrorCodes, type ErrorCode } from '../lib/errors.ts';
import { handlerErrors } from '../lib/handler-errors.ts';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(Object.keys(ErrorCodes).map((c) => Type.Literal(c))),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every error, with a stable code (docs/errors.md)' },
);

const STATUS: Partial<Record<ErrorCode, number>> = {
  AUTH_MISSING: 401,
  AUTH_INVALID: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_RATE_LIMITED: 429,
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CAMPAIGN_BAD_TRANSITION: 409,
  IMPORT_BAD_FILE: 422,
  IMPORT_BAD_ROW: 422,
  IMPORT_TOO_LARGE: 413,
  PAYMENT_BAD_FILE: 422,
  RECORDING_KEY_UNKNOWN: 404,
  RECORDING_NOT_AUDIO: 422,
  RECORDING_FORMAT_UNSUPPORTED: 415,
  RECORDING_SILENT: 422,
  RECORDING_CLIPPED: 422,
  RECORDING_TOO_LONG: 413,
  PAYMENT_WEBHOOK_UNSIGNED: 401,
  PAYMENT_WEBHOOK_BAD_SIGNATURE: 401,
  PAYMENT_WEBHOOK_STALE: 401,
  PAYMENT_WEBHOOK_REPLAYED: 401,
  PAYMENT_WEBHOOK_DISABLED: 503,
  WA_WEBHOOK_UNSIGNED: 401,
  WA_WEBHOOK_BAD_SIGNATURE: 401,
  WA_WEBHOOK_MALFORMED: 400,
  WA_WEBHOOK_VERIFY_FAILED: 403,
  WA_DISABLED: 503,
};

export function statusOf(err: BereikError): number {
  return err.httpStatus ?? STATUS[err.code] ?? 500;
}

/** Friendly names for the string formats our schemas use. */
const FORMAT_NAMES: Record<string, string> = { e164: 'E.164 (e.g. +31201234567)' };

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function describeValidation(context: string | undefined, errors: AjvError[]): { message: string; details: unknown } {
  const items = errors.map((e) => {
    let path = `${context ?? 'request'}${e.instancePath}`;
    if (e.keyword === 'required') path += `/${String(e.params.missingProperty)}`;
    if (e.keyword === 'additionalProperties') path += `/${String(e.params.additionalProperty)}`;
    let msg = e.message ?? e.keyword;
    if (e.keyword === 'format') msg = `must match ${FORMAT_NAMES[String(e.params.format)] ?? String(e.params.format)}`;
    if (e.keyword === 'required') msg = 'is required';
    if (e.keyword === 'additionalProperties') msg = 'is not a known field';
    return { field: path, message: `${path} ${msg}` };
  });
  return { message: items.map((i) => i.message).join('; '), details: items };
}

function clientWentAway(err: { code?: string }, socketDestroyed: boolean | undefined): boolean {
  return socketDestroyed === true && (err.code === 'ECONNRESET' || err.code === 'ERR_STREAM_PREMATURE_CLOSE');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | BereikError, req, reply) => {
    if (err instanceof BereikError) {
      const status = statusOf(err);
      if (status >= 500) handlerErrors.report(req.log, 'http', err, { method: req.method, route: req.routeOptions.url ?? 'unknown', code: err.code }, 'request failed');
      return reply.status(status).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const { message, details } = describeValidation(fe.validationContext, fe.validation as AjvError[]);
      return reply.status(400).send({ error: { code: 'VALIDATION', message, details } });
    }
    if (clientWentAway(fe, req.raw.socket?.destroyed)) {
      // A body cut by the idle timeout or dropped by the client: nobody to answer, no bug of ours.
      req.log.info({ code: fe.code, route: req.routeOptions.url }, 'client went away before its request was read');
      return reply.status(400).send({ error: { code: 'VALIDATION', message: 'the request body ended early' } });
    }
    const status = fe.statusCode ?? 500;
    if (status >= 500) {
      handlerErrors.report(req.log, 'http', err, { method: req.method, route: req.routeOptions.url ?? 'unknown' }, 'request failed');
      return reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
    }
    // Fastify's own client errors (bad JSON, unsupported media type, body too large).
    return reply.status(status).send({ error: { code: 'VALIDATION', message: fe.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });
}
