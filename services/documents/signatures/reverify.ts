// Every signed copy of the electronic rounds checked again, each against the copy before it, with the trust
// anchors as they are now (after the operator changed the folder, say) and at the time the copy was accepted.
import { sql, type Kysely } from 'kysely';
import type { SignatureReason } from '../../../domain/signers.js';
import type { ElectronicSigning } from '../../../domain/types.js';
import type { Database } from '../../../schema/database.js';
import { postgresBlobs } from '../storage.js';
import { anchorsFrom } from './cms.js';
import { readTrustAnchors } from './trust.js';
import { verifySignedCopy } from './verify.js';

export interface CopyVerdict {
  agreementId: string;
  /** 1-based, as a person counts the steps. */
  step: number;
  name: string;
  ok: boolean;
  reason?: SignatureReason | 'missing_file';
  detail?: string;
}

/** The agreements with an electronic round: the one asked for, or all of them. */
async function roundsOf(db: Kysely<Database>, agreementId?: string) {
  let query = db
    .selectFrom('agreements')
    .select(['id', 'view'])
    .where(sql<string>`view->'signing'->>'method'`, '=', 'electronic');
  if (agreementId) query = query.where('id', '=', agreementId);
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, round: r.view.signing as ElectronicSigning }));
}

export async function reverifySignatures(
  db: Kysely<Database>,
  trustDir: string,
  agreementId?: string,
): Promise<CopyVerdict[]> {
  const anchors = anchorsFrom(readTrustAnchors(trustDir).files);
  const blobs = postgresBlobs(db);
  const verdicts: CopyVerdict[] = [];
  for (const { id, round } of await roundsOf(db, agreementId)) {
    let previous = round.document;
    for (const step of round.steps) {
      if (!step.document || !step.doneAt) break;
      const at = { agreementId: id, step: step.index + 1, name: step.name };
      const [before, after] = await Promise.all([blobs.get(previous.sha256), blobs.get(step.document.sha256)]);
      previous = step.document;
      if (!before || !after) {
        verdicts.push({ ...at, ok: false, reason: 'missing_file', detail: 'a kept copy is missing' });
        continue;
      }
      const result = await verifySignedCopy({
        previous: before,
        next: after,
        expected: { name: step.name, email: step.email },
        later: round.steps.filter((s) => s.index > step.index).map((s) => ({ name: s.name, email: s.email })),
        anchors,
        now: new Date(step.doneAt),
      });
      verdicts.push(
        result.ok ? { ...at, ok: true } : { ...at, ok: false, reason: result.reason, detail: result.detail },
      );
    }
  }
  return verdicts;
}
