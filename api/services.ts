// The services every door uses, built once per app and registered as decorators (as fastify/demo does with its
// repositories): route files read them from the instance and import nothing from app.ts.
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../schema/database.js';
import { AgreementService } from '../services/agreements.js';
import { SignedCopyService } from '../services/documents/signed-copies.js';
import { DraftService } from '../services/documents/drafts.js';
import { DocumentService } from '../services/documents/service.js';
import { DEFAULT_READING_LIMITS, DocumentReader, type ReadingLimits } from '../services/documents/reading/pool.js';
import { postgresBlobs } from '../services/documents/storage.js';
import { DEFAULT_DRAFT_TEMPLATE } from '../services/documents/draft/template.js';
import { DEFAULT_FEED_DAYS } from '../services/calendar-feeds.js';

declare module 'fastify' {
  interface FastifyInstance {
    agreements: AgreementService;
    /** Documents kept in Sinergi: upload, download, search, comparison of draft versions. */
    documents: DocumentService;
    /** First drafts written from an agreement's data. */
    drafts: DraftService;
    /** Signed copies of an electronic round: verified, kept, recorded as their step. */
    signedCopies: SignedCopyService;
    /** The directory and the other tables a door reads directly. */
    db: Kysely<Database>;
    /** Base of the links Sinergi hands out (calendar feeds); empty: links relative to this server. */
    publicUrl: string;
    /** Days a new calendar feed lives (SINERGI_FEED_DAYS). */
    feedDays: number;
  }
}

export interface ServiceDeps {
  db: Kysely<Database>;
  temporal: Client;
  log: Logger;
  publicUrl?: string;
  /** The JSON template of generated first drafts (SINERGI_DRAFT_TEMPLATE). */
  draftTemplate?: string;
  /** The CA certificates electronic signatures must chain to (SINERGI_TTE_TRUST_DIR); none: every copy refused. */
  tteTrustDir?: string;
  feedDays?: number;
  /** Limits of the document pool that reads text and compares versions. */
  reading?: ReadingLimits;
}

export function installServices(app: FastifyInstance, deps: ServiceDeps): void {
  const reader = new DocumentReader(deps.reading ?? DEFAULT_READING_LIMITS, deps.log);
  app.addHook('onClose', () => reader.close());
  const documents = new DocumentService(deps.db, postgresBlobs(deps.db), deps.publicUrl ?? '', reader);
  const agreements = new AgreementService(deps.db, deps.temporal, deps.log, documents);
  app.decorate('db', deps.db);
  app.decorate('agreements', agreements);
  app.decorate('documents', documents);
  app.decorate(
    'drafts',
    new DraftService(deps.db, agreements, documents, deps.draftTemplate ?? DEFAULT_DRAFT_TEMPLATE),
  );
  app.decorate('signedCopies', new SignedCopyService(deps.db, agreements, documents, deps.tteTrustDir ?? ''));
  app.decorate('publicUrl', deps.publicUrl ?? '');
  app.decorate('feedDays', deps.feedDays ?? DEFAULT_FEED_DAYS);
}
