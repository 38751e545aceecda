// Documents kept in Sinergi: uploaded to an agreement, read back by whoever may see that agreement, and found by
// the words in them. The bytes go to the blob store once per SHA-256; the text is read once, at upload.
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, Uploader } from '../../schema/database.js';
import { loadVisibleAgreement, visibleParties, type Principal } from '../access.js';
import { Refusal, fromRejection, notFound } from '../errors.js';
import { requireUploadAllowed } from '../../domain/preconditions.js';
import { CommandRejected } from '../../domain/rejection.js';
import { formatOf } from './content.js';
import type { BlobStore } from './storage.js';
import type { DocumentReader } from './reading/pool.js';
import { escapeHtml } from '../../domain/escape.js';
import { READ_ONLY } from '../../domain/allowed.js';

// `final`: the PDF an electronic signing round begins with.
export const DOCUMENT_KINDS = ['draft', 'final', 'signed', 'minutes', 'report', 'attachment'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
/** What Sinergi itself writes and keeps: never uploaded, so never a kind an upload may name. */
export const STORED_KINDS = [...DOCUMENT_KINDS, 'audit_sheet'] as const;
export type StoredKind = (typeof STORED_KINDS)[number];
export type GeneratedKind = Exclude<StoredKind, DocumentKind>;

/** A kept document as the API answers it. */
export interface DocumentInfo {
  id: string;
  agreementId: string;
  kind: StoredKind;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  /** Why the text could not be read, when it could not. */
  textNote?: string;
}

export interface Upload {
  kind: DocumentKind;
  filename: string;
  bytes: Buffer;
}

const uploaderOf = (p: Principal): Uploader => ({
  kind: p.kind,
  id: p.id,
  ...(p.name ? { name: p.name } : {}),
  ...(p.email ? { email: p.email } : {}),
  ...(p.partyId ? { partyId: p.partyId } : {}),
});

type Row = {
  id: string;
  agreement_id: string;
  kind: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_at: Date;
  text_note: string | null;
};
const COLUMNS = [
  'id',
  'agreement_id',
  'kind',
  'filename',
  'content_type',
  'size',
  'sha256',
  'uploaded_at',
  'text_note',
] as const;

export const toDocumentInfo = (r: Row): DocumentInfo => ({
  id: r.id,
  agreementId: r.agreement_id,
  kind: r.kind as StoredKind,
  filename: r.filename,
  contentType: r.content_type,
  size: r.size,
  sha256: r.sha256,
  uploadedAt: r.uploaded_at.toISOString(),
  ...(r.text_note ? { textNote: r.text_note } : {}),
});

/** The name as shown: no folders, no control or format characters (U+202E would show `exe.pdf` for `fdp.exe`). */
export const cleanFilename = (name: string): string =>
  name
    .split(/[\\/]/)
    .pop()!
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, 200) || 'dokumen';

/** Keeps a document for an agreement this principal may act on; its type is read from the bytes. */
export async function uploadDocument(
  db: Kysely<Database>,
  blobs: BlobStore,
  reader: DocumentReader,
  principal: Principal,
  agreementId: string,
  upload: Upload,
): Promise<DocumentInfo> {
  if (principal.role === 'viewer') throw new Refusal(403, 'forbidden', READ_ONLY);
  const agreement = await loadVisibleAgreement(db, principal, agreementId);
  if (agreement.followUpsOnly)
    throw new Refusal(403, 'forbidden', 'Pemilik tindak lanjut membaca kesepakatan ini, tanpa mengunggah dokumen.');
  try {
    requireUploadAllowed(agreement);
  } catch (err) {
    if (err instanceof CommandRejected) throw fromRejection(err.code, err.message);
    throw err;
  }
  if (upload.bytes.length === 0) throw new Refusal(400, 'invalid_input', 'file: berkas kosong.', 'file');
  const { format, contentType } = await formatOf(upload.bytes);
  const extracted = await reader.text(format, upload.bytes);
  return storeDocument(db, blobs, agreementId, {
    ...upload,
    contentType,
    uploader: uploaderOf(principal),
    text: extracted && 'text' in extracted ? extracted.text : null,
    textNote: extracted && 'note' in extracted ? extracted.note : null,
  });
}

interface StoredFile {
  kind: StoredKind;
  filename: string;
  bytes: Buffer;
  contentType: string;
  uploader: Uploader;
  text: string | null;
  textNote: string | null;
}

/** The bytes kept once per SHA-256, and the document's row. */
async function storeDocument(
  db: Kysely<Database>,
  blobs: BlobStore,
  agreementId: string,
  file: StoredFile,
): Promise<DocumentInfo> {
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  await blobs.put(sha256, file.bytes);
  const row = await db
    .insertInto('documents')
    .values({
      id: randomUUID(),
      agreement_id: agreementId,
      kind: file.kind,
      filename: cleanFilename(file.filename),
      content_type: file.contentType,
      size: file.bytes.length,
      sha256,
      uploaded_by: JSON.stringify(file.uploader),
      text: file.text,
      text_note: file.textNote,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toDocumentInfo(row);
}

/**
 * A document Sinergi wrote itself (an audit sheet), kept as an upload is but with Sinergi as its uploader, and
 * only once per agreement and kind: the first one kept is the one read back.
 */
export async function keepGenerated(
  db: Kysely<Database>,
  blobs: BlobStore,
  agreementId: string,
  file: { kind: GeneratedKind; filename: string; bytes: Buffer },
): Promise<DocumentInfo> {
  const kept = await generatedDocument(db, agreementId, file.kind);
  if (kept) return kept;
  const uploader = { kind: 'system', id: 'sinergi', name: 'Sinergi' };
  return storeDocument(db, blobs, agreementId, {
    ...file,
    contentType: 'application/pdf',
    uploader,
    text: null,
    textNote: null,
  });
}

export async function generatedDocument(
  db: Kysely<Database>,
  agreementId: string,
  kind: GeneratedKind,
): Promise<DocumentInfo | undefined> {
  const row = await db
    .selectFrom('documents')
    .select(COLUMNS)
    .where('agreement_id', '=', agreementId)
    .where('kind', '=', kind)
    .orderBy('uploaded_at')
    .limit(1)
    .executeTakeFirst();
  return row ? toDocumentInfo(row) : undefined;
}

/** A document of an agreement the principal may see; any other is "not found", as an unknown id is. */
export async function findDocument(db: Kysely<Database>, principal: Principal, id: string): Promise<DocumentInfo> {
  const row = /^[0-9a-f-]{36}$/i.test(id)
    ? await db.selectFrom('documents').select(COLUMNS).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Dokumen "${id}"`);
  try {
    await loadVisibleAgreement(db, principal, row.agreement_id);
  } catch (err) {
    // Another party's document reads as an unknown one; any other failure is a fault, not a 404.
    if (err instanceof Refusal) throw notFound(`Dokumen "${id}"`);
    throw err;
  }
  return toDocumentInfo(row);
}

export async function readDocument(
  db: Kysely<Database>,
  blobs: BlobStore,
  principal: Principal,
  id: string,
): Promise<{ info: DocumentInfo; bytes: Buffer }> {
  const info = await findDocument(db, principal, id);
  const bytes = await blobs.get(info.sha256);
  if (!bytes) throw new Error(`blob ${info.sha256} of document ${id} is missing`);
  return { info, bytes };
}

/** A document of this agreement, for a command that refers to it (`documentId`), or a 400 naming the field. */
export async function documentOfAgreement(
  db: Kysely<Database>,
  agreementId: string,
  id: string,
  field: string,
): Promise<DocumentInfo & { text?: string }> {
  const row = /^[0-9a-f-]{36}$/i.test(id)
    ? await db
        .selectFrom('documents')
        .select([...COLUMNS, 'text'])
        .where('id', '=', id)
        .where('agreement_id', '=', agreementId)
        .executeTakeFirst()
    : undefined;
  if (!row)
    throw new Refusal(
      400,
      'unknown_document',
      `Dokumen "${id}" tidak ada pada kesepakatan ini; unggah dulu ke /v1/agreements/${agreementId}/documents.`,
      field,
    );
  return { ...toDocumentInfo(row), ...(row.text !== null ? { text: row.text } : {}) };
}

export async function listDocuments(
  db: Kysely<Database>,
  principal: Principal,
  agreementId: string,
): Promise<DocumentInfo[]> {
  await loadVisibleAgreement(db, principal, agreementId);
  const rows = await db
    .selectFrom('documents')
    .select(COLUMNS)
    .where('agreement_id', '=', agreementId)
    .orderBy('uploaded_at')
    .execute();
  return rows.map(toDocumentInfo);
}

// Markers the stored text cannot hold (control characters are dropped when text is read), turned into <mark>.
const HEADLINE = 'StartSel=\u0001, StopSel=\u0002, MaxFragments=2, MaxWords=30, MinWords=8, FragmentDelimiter=" … "';
/** The snippet as safe HTML: the text escaped, the matched words in <mark>. */
const markedSnippet = (raw: string) =>
  escapeHtml(raw)
    .replace(/\u0001/g, '<mark>')
    .replace(/\u0002/g, '</mark>');

/** A search result; `snippet` is HTML: escaped text with the matched words in <mark>. */
export interface SearchHit extends DocumentInfo {
  agreementTitle: string;
  version?: number;
  snippet: string;
}

/**
 * How many of the newest matching documents a search ranks. Finding them reads each match in upload order, so the
 * count bounds the time: 1,000 (twenty pages of hits) keep a search over 100,000 documents near 60 ms (issue 33).
 */
export const SEARCH_CANDIDATES = 1000;

/** Full-text search (PostgreSQL, `indonesian`) over the documents of every agreement the principal may see. */
export async function searchDocuments(
  db: Kysely<Database>,
  principal: Principal,
  q: string,
  limit = 50,
): Promise<SearchHit[]> {
  const visible = await visibleParties(db, principal);
  const query = sql`websearch_to_tsquery('indonesian', ${q})`;
  // The newest matches the caller may see, ranked: a word in most documents ("kerja") would otherwise rank every
  // one of them. Only the page's own hits then get their title, version and snippet.
  let candidates = db
    .selectFrom('documents as d')
    .select(['d.id', sql<number>`ts_rank(d.search, ${query})`.as('rank')])
    .where(sql<boolean>`d.search @@ ${query}`);
  if (visible)
    candidates = candidates.where(
      sql<boolean>`exists (select 1 from agreement_parties p where p.agreement_id = d.agreement_id
        and p.party_id = any(${sql.val(visible)}::text[]))`,
    );
  const newest = candidates.orderBy('d.uploaded_at', 'desc').limit(SEARCH_CANDIDATES);
  const page = db.selectFrom(newest.as('n')).select(['n.id', 'n.rank']).orderBy('n.rank', 'desc').limit(limit);
  const rows = await db
    .selectFrom(page.as('r'))
    .innerJoin('documents as d', 'd.id', 'r.id')
    .innerJoin('agreements as a', 'a.id', 'd.agreement_id')
    .select(COLUMNS.map((c) => `d.${c}` as const))
    .select([
      sql<string>`a.view->>'title'`.as('title'),
      sql<string | null>`(select (x->>'version') from json_array_elements(a.view->'drafts') x
        where x->>'documentId' = d.id::text limit 1)`.as('version'),
      sql<string>`ts_headline('indonesian', coalesce(d.text, d.filename), ${query}, ${HEADLINE})`.as('snippet'),
    ])
    .orderBy('r.rank', 'desc')
    .orderBy('d.uploaded_at', 'desc')
    .execute();
  return rows.map((r) => ({
    ...toDocumentInfo({ ...r }),
    agreementTitle: r.title,
    snippet: markedSnippet(r.snippet),
    ...(r.version ? { version: Number(r.version) } : {}),
  }));
}

/** The stored text of a document (undefined when it has none). */
export async function textOf(db: Kysely<Database>, id: string): Promise<string | undefined> {
  return (await db.selectFrom('documents').select('text').where('id', '=', id).executeTakeFirst())?.text ?? undefined;
}
