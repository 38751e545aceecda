// A form's fields, turned into a /v1 body, checked by that route's own schema: the same 400, naming the same field.
import type { FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { validationRefusal } from '../errors.js';

export function validated<T>(request: FastifyRequest, schema: TSchema, body: unknown): T {
  const check = request.compileValidationSchema(schema as unknown as Record<string, unknown>);
  if (!check(body)) throw validationRefusal(check.errors ?? [], 'body');
  return body as T;
}
