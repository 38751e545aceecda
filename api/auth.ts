// Bearer tokens: the admin token from the environment, or hashed tokens from the database.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import { hashToken } from '../infra/secrets.js';
import type { Principal, Role } from '../services/access.js';
import { FailureWindow } from './auth-failures.js';
import { HttpError } from './errors.js';
import { READ_ONLY } from '../domain/allowed.js';

export type { Principal, Role } from '../services/access.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** A /v1 route that carries its own credential (a calendar feed's token) and takes no bearer header. */
    public?: boolean;
  }
}

export { hashToken };

function sameSecret(a: string, b: string): boolean {
  const [ha, hb] = [Buffer.from(hashToken(a), 'hex'), Buffer.from(hashToken(b), 'hex')];
  return timingSafeEqual(ha, hb);
}

export async function authenticate(
  db: Kysely<Database>,
  adminToken: string | undefined,
  header: string | undefined,
): Promise<Principal> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) throw new HttpError(401, 'unauthenticated', 'Sertakan header Authorization: Bearer <token>.');
  if (adminToken && sameSecret(token, adminToken)) return { kind: 'token', id: 'env-admin', role: 'admin' };
  const row = await db.selectFrom('tokens').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now())) {
    throw new HttpError(401, 'unauthenticated', 'Token tidak dikenal, sudah dicabut, atau kedaluwarsa.');
  }
  return { kind: 'token', id: row.id, role: row.role as Role, ...(row.party_id ? { partyId: row.party_id } : {}) };
}

export type Access = 'read' | 'act' | 'admin';

export function requireAccess(request: FastifyRequest, access: Access): Principal {
  const p = request.principal;
  if (!p) throw new HttpError(401, 'unauthenticated', 'Sertakan header Authorization: Bearer <token>.');
  if (access === 'admin' && p.role !== 'admin')
    throw new HttpError(403, 'forbidden', 'Hanya admin yang boleh melakukan ini.');
  if (access === 'act' && p.role === 'viewer') throw new HttpError(403, 'forbidden', READ_ONLY);
  return p;
}

export function installAuth(
  app: FastifyInstance,
  db: Kysely<Database>,
  adminToken: string | undefined,
  failuresPerMinute = 0,
): void {
  const failures = new FailureWindow(failuresPerMinute);
  app.addHook('onRequest', async (request, reply) => {
    // Decided on the route that matched, not on the raw URL (`/%761/agreements` is `/v1/agreements` too).
    const route = request.routeOptions.url;
    if (!route?.startsWith('/v1/') || request.routeOptions.config.public) return;
    const wait = failures.retryAfter(request.ip);
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      throw new HttpError(429, 'rate_limited', `Terlalu banyak token yang ditolak; coba lagi dalam ${wait} detik.`);
    }
    try {
      request.principal = await authenticate(db, adminToken, request.headers.authorization);
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 401) failures.record(request.ip);
      throw err;
    }
  });
}
