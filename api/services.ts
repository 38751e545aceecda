// The services every door uses, built once per app and registered as decorators (as fastify/demo does with its
// repositories): route files read them from the instance and import nothing from app.ts.
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../schema/database.js';
import { AgreementService } from '../services/agreements.js';

declare module 'fastify' {
  interface FastifyInstance {
    agreements: AgreementService;
    /** The directory and the other tables a door reads directly. */
    db: Kysely<Database>;
    /** Base of the links Sinergi hands out (calendar feeds); empty: links relative to this server. */
    publicUrl: string;
  }
}

export function installServices(app: FastifyInstance, deps: { db: Kysely<Database>; temporal: Client; log: Logger; publicUrl?: string }): void {
  app.decorate('db', deps.db);
  app.decorate('agreements', new AgreementService(deps.db, deps.temporal, deps.log));
  app.decorate('publicUrl', deps.publicUrl ?? '');
}
