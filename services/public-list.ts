// What the public may read: the agreements an initiator chose to publish, with their parties, term and scope,
// and the signed copies recorded at signing. Never a contact, an e-mail address, a follow-up or a draft.
import type { Kysely } from 'kysely';
import { INSTRUMENT_LABEL, STAGE_LABEL } from '../domain/labels.js';
import type { AgreementView } from '../domain/view.js';
import type { Database } from '../schema/database.js';
import { postgresBlobs } from './documents/storage.js';
import { notFound } from './errors.js';

export interface PublicAgreement {
  id: string;
  title: string;
  instrument: string;
  status: string;
  parties: { partyId: string; name: string }[];
  signedOn?: string;
  /** Signed with certified electronic signatures (TTE), each verified by Sinergi. */
  signedElectronically?: true;
  term?: { start: string; end: string };
  scope: string[];
  signedCopies: { documentId: string; filename: string }[];
}

/** Built field by field from the view: nothing else of it can reach a public page. */
function toPublic(v: AgreementView, names: Map<string, string>): PublicAgreement {
  return {
    id: v.id,
    title: v.title,
    instrument: INSTRUMENT_LABEL[v.instrument],
    status: STAGE_LABEL[v.stage],
    parties: v.parties.map((p) => ({ partyId: p.partyId, name: names.get(p.partyId) ?? p.partyId })),
    ...(v.term ? { signedOn: v.term.start, term: { start: v.term.start, end: v.term.end } } : {}),
    ...(v.signing?.method === 'electronic' && v.signing.signedAt ? { signedElectronically: true as const } : {}),
    scope: [...v.scope],
    signedCopies: (v.signing?.documents ?? []).map((d) => ({ documentId: d.documentId, filename: d.filename })),
  };
}

export async function publishedAgreements(db: Kysely<Database>, partyId?: string): Promise<PublicAgreement[]> {
  let q = db
    .selectFrom('agreement_facts as f')
    .innerJoin('agreements as a', 'a.id', 'f.id')
    .select(['a.view'])
    .where('f.published', '=', true);
  if (partyId) q = q.where((eb) => eb(eb.val(partyId), '=', eb.fn.any('f.party_ids')));
  const rows = await q.orderBy('f.signed_on', 'desc').orderBy('f.id').limit(1000).execute();
  const names = new Map((await db.selectFrom('parties').select(['id', 'name']).execute()).map((p) => [p.id, p.name]));
  return rows.map((r) => toPublic(r.view, names));
}

/** A signed copy of a published agreement; anything else is "not found". */
export async function publicDocument(
  db: Kysely<Database>,
  documentId: string,
): Promise<{ filename: string; contentType: string; sha256: string; bytes: Buffer }> {
  const doc = /^[0-9a-f-]{36}$/i.test(documentId)
    ? await db
        .selectFrom('documents')
        .select(['agreement_id', 'filename', 'content_type', 'sha256'])
        .where('id', '=', documentId)
        .executeTakeFirst()
    : undefined;
  const agreement =
    doc &&
    (await db
      .selectFrom('agreement_facts as f')
      .innerJoin('agreements as a', 'a.id', 'f.id')
      .select('a.view')
      .where('f.id', '=', doc.agreement_id)
      .where('f.published', '=', true)
      .executeTakeFirst());
  const listed = agreement?.view.signing?.documents?.some((d) => d.documentId === documentId);
  const bytes = listed && doc ? await postgresBlobs(db).get(doc.sha256) : undefined;
  if (!doc || !bytes) throw notFound('Dokumen');
  return { filename: doc.filename, contentType: doc.content_type, sha256: doc.sha256, bytes };
}
