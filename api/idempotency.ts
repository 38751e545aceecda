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
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

export const DEFAULT_IDEMPOTENCY_HOURS = 24;
const SWEEP_EVERY_MS = 10 * 60_000;

/** Answers older than this are forgotten: a retry after that is a new request. */
const keptSince = (hours: number): Date => new Date(Date.now() - hours * 3_600_000);

/** Deletes the answers past their time; returns how many. */
export async function forgetOldAnswers(db: Kysely<Database>, hours: number): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', keptSince(hours)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function installIdempotency(app: FastifyInstance, db: Kysely<Database>, hours: number): void {
  const sweep = async () => {
    const removed = await forgetOldAnswers(db, hours);
    if (removed > 0) app.log.info({ removed }, 'old idempotency answers removed');
  };
  const timer = setInterval(
    () => void sweep().catch((err: Error) => app.log.warn({ err: err.message }, 'idempotency sweep failed')),
    SWEEP_EVERY_MS,
  );
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  app.addHook('preHandler', async (request, reply) => {
    const raw = request.headers['idempotency-key'];
    if (request.method !== 'POST' || raw === undefined || !request.principal) return;
    const key = Array.isArray(raw) ? raw[0]! : raw;
    if (!KEY.test(key))
      throw new HttpError(
        400,
        'invalid_input',
        'Idempotency-Key: 1 sampai 200 karakter ASCII yang terlihat.',
        'Idempotency-Key',
      );
    const print = fingerprint(request);
    const earlier = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('principal_id', '=', request.principal.id)
      .where('key', '=', key)
      .where('created_at', '>=', keptSince(hours))
      .executeTakeFirst();
    if (earlier) {
      if (earlier.fingerprint !== print) {
        throw new HttpError(
          409,
          'idempotency_key_reused',
          'Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru.',
          'Idempotency-Key',
        );
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
      .values({
        principal_id: request.principal.id,
        key: idem.key,
        fingerprint: idem.fingerprint,
        status: reply.statusCode,
        response: payload,
      })
      // A key seen before its answer was forgotten is a new request: its answer replaces the old one.
      .onConflict((oc) =>
        oc
          .columns(['principal_id', 'key'])
          .doUpdateSet({
            fingerprint: idem.fingerprint,
            status: reply.statusCode,
            response: payload,
            created_at: new Date(),
          })
          .where('idempotency_keys.created_at', '<', keptSince(hours)),
      )
      .execute();
    return payload;
  });
}
