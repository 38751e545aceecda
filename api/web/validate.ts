// A form's fields, turned into a /v1 body, checked by that route's own schema: the same field named, in Indonesian.
import type { FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { formRefusal } from './refusals.js';

export function validated<T>(request: FastifyRequest, schema: TSchema, body: unknown): T {
  const check = request.compileValidationSchema(schema as unknown as Record<string, unknown>);
  if (!check(body)) throw formRefusal(check.errors ?? []);
  return body as T;
}
