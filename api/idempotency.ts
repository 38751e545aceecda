// A retry is not a second command: a POST with an Idempotency-Key gets the first answer again, and the key
// also becomes the Temporal Update id, so two copies in flight at once run the command once.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { key: string; fingerprint: string };
  }
}

const KEY = /^[\x21-\x7e]{1,200}$/;

export const idempotencyKeyOf = (request: FastifyRequest): string | undefined => request.idempotency?.key;

function fingerprint(request: FastifyRequest): string {
  return createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
}

export function installIdempotency(app: FastifyInstance, db: Kysely<Database>): void {
  app.addHook('preHandler', async (request, reply) => {
    const raw = request.headers['idempotency-key'];
    if (request.method !== 'POST' || raw === undefined || !request.principal) return;
    const key = Array.isArray(raw) ? raw[0]! : raw;
    if (!KEY.test(key)) throw new HttpError(400, 'invalid_input', 'Idempotency-Key: 1 sampai 200 karakter ASCII yang terlihat.', 'Idempotency-Key');
    const print = fingerprint(request);
    const earlier = await db.selectFrom('idempotency_keys').selectAll().where('principal_id', '=', request.principal.id).where('key', '=', key).executeTakeFirst();
    if (earlier) {
      if (earlier.fingerprint !== print) {
        throw new HttpError(409, 'idempotency_key_reused', 'Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru.', 'Idempotency-Key');
      }
      request.log.info({ idempotencyKey: key }, 'retry answered with the first response');
      return reply.status(earlier.status).header('idempotent-replayed', 'true').send(earlier.response);
    }
    request.idempotency = { key, fingerprint: print };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem || !request.principal || reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    await db
      .insertInto('idempotency_keys')
      .values({ principal_id: request.principal.id, key: idem.key, fingerprint: idem.fingerprint, status: reply.statusCode, response: payload })
      .onConflict((oc) => oc.columns(['principal_id', 'key']).doNothing())
      .execute();
    return payload;
  });
}
