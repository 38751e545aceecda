// Bearer tokens: the admin token from the environment, or hashed tokens from the database.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import { hashToken } from '../infra/secrets.js';
import type { Principal, Role } from '../services/access.js';
import { HttpError } from './errors.js';

export type { Principal, Role } from '../services/access.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export { hashToken };

function sameSecret(a: string, b: string): boolean {
  const [ha, hb] = [Buffer.from(hashToken(a), 'hex'), Buffer.from(hashToken(b), 'hex')];
  return timingSafeEqual(ha, hb);
}

export async function authenticate(db: Kysely<Database>, adminToken: string | undefined, header: string | undefined): Promise<Principal> {
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
  if (access === 'admin' && p.role !== 'admin') throw new HttpError(403, 'forbidden', 'Hanya admin yang boleh melakukan ini.');
  if (access === 'act' && p.role === 'viewer') throw new HttpError(403, 'forbidden', 'Token viewer hanya boleh membaca.');
  return p;
}

export function installAuth(app: FastifyInstance, db: Kysely<Database>, adminToken: string | undefined): void {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/v1/')) return;
    // A calendar feed authenticates by its own token in the URL (calendar clients send no headers).
    if (/^\/v1\/parties\/[^/]+\/calendar\.ics\?/.test(request.url)) return;
    request.principal = await authenticate(db, adminToken, request.headers.authorization);
  });
}
