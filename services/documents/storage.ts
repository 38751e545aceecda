// Where a document's bytes live, behind one small interface: PostgreSQL today (a database backup holds
// everything); an S3-compatible bucket can implement the same three calls later.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';

export interface BlobStore {
  /** Keeps the bytes under their SHA-256; the same bytes twice are kept once. */
  put(sha256: string, bytes: Buffer): Promise<void>;
  get(sha256: string): Promise<Buffer | undefined>;
  /** Every stored blob, one at a time (for `sinergi documents verify`). */
  each(): AsyncIterable<{ sha256: string; bytes: Buffer }>;
}

export function postgresBlobs(db: Kysely<Database>): BlobStore {
  return {
    async put(sha256, bytes) {
      await db
        .insertInto('blobs')
        .values({ sha256, size: bytes.length, bytes })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    },
    async get(sha256) {
      return (await db.selectFrom('blobs').select('bytes').where('sha256', '=', sha256).executeTakeFirst())?.bytes;
    },
    async *each() {
      let after = '';
      for (;;) {
        const next = await db
          .selectFrom('blobs')
          .select(['sha256', 'bytes'])
          .where('sha256', '>', after)
          .orderBy('sha256')
          .limit(1)
          .executeTakeFirst();
        if (!next) return;
        after = next.sha256;
        yield next;
      }
    },
  };
}
