// The documents door's service: keep, read, list, search and compare documents, and turn a command's
// `documentId` references into what its event records (the URL, the SHA-256, the counts of changed words).
import type { Kysely } from 'kysely';
import type { CommandOf } from '../../domain/commands.js';
import type { DocumentRef } from '../../domain/types.js';
import type { UpdateCommandType } from '../../workflows/messages.js';
import type { Database } from '../../schema/database.js';
import { loadVisibleAgreement, type Principal } from '../access.js';
import { readView } from '../agreement-reads.js';
import { Refusal, notFound } from '../errors.js';
import type { Comparison, Hunk } from './changes.js';
import {
  documentOfAgreement,
  findDocument,
  listDocuments,
  readDocument,
  searchDocuments,
  textOf,
  uploadDocument,
  type DocumentInfo,
  type SearchHit,
  type Upload,
} from './documents.js';
import type { DocumentReader } from './reading/pool.js';
import type { BlobStore } from './storage.js';

type SentCommand = CommandOf<UpdateCommandType>;

export interface DraftComparison {
  from: number;
  to: number;
  added: number;
  removed: number;
  hunks: Hunk[];
  note?: string;
}

export class DocumentService {
  constructor(
    private readonly db: Kysely<Database>,
    readonly blobs: BlobStore,
    private readonly publicUrl: string,
    /** Reads text and compares versions off the event loop, within limits. */
    readonly reader: DocumentReader,
  ) {}

  /** Where a person opens a kept document: the dashboard's download, which asks them to sign in. */
  urlOf(id: string): string {
    return `${this.publicUrl}/dokumen/${id}`;
  }

  upload(principal: Principal, agreementId: string, upload: Upload): Promise<DocumentInfo> {
    return uploadDocument(this.db, this.blobs, this.reader, principal, agreementId, upload);
  }
  find(principal: Principal, id: string): Promise<DocumentInfo> {
    return findDocument(this.db, principal, id);
  }
  read(principal: Principal, id: string): Promise<{ info: DocumentInfo; bytes: Buffer }> {
    return readDocument(this.db, this.blobs, principal, id);
  }
  list(principal: Principal, agreementId: string): Promise<DocumentInfo[]> {
    return listDocuments(this.db, principal, agreementId);
  }
  search(principal: Principal, q: string): Promise<SearchHit[]> {
    return searchDocuments(this.db, principal, q);
  }
  /** Removes an upload that no event refers to (a generated draft whose command was refused). */
  async forget(id: string): Promise<void> {
    const row = await this.db.deleteFrom('documents').where('id', '=', id).returning('sha256').executeTakeFirst();
    const shared =
      row && (await this.db.selectFrom('documents').select('id').where('sha256', '=', row.sha256).executeTakeFirst());
    if (row && !shared) await this.db.deleteFrom('blobs').where('sha256', '=', row.sha256).execute();
  }

  /** A draft version against the one before it, as compared when it was submitted (never computed here). */
  async changes(principal: Principal, agreementId: string, version: number): Promise<DraftComparison> {
    await loadVisibleAgreement(this.db, principal, agreementId);
    const view = await readView(this.db, agreementId);
    const after = view?.drafts.find((d) => d.version === version);
    if (!view || !after) throw notFound(`Draf versi ${version}`);
    const before = view.drafts.find((d) => d.version === version - 1);
    if (!before)
      throw new Refusal(
        409,
        'no_previous_version',
        `Draf versi ${version} adalah versi pertama; tidak ada yang dibandingkan.`,
        'version',
      );
    const stored =
      before.documentId && after.documentId
        ? await this.db
            .selectFrom('document_comparisons')
            .select(['added', 'removed', 'hunks', 'note'])
            .where('before_id', '=', before.documentId)
            .where('after_id', '=', after.documentId)
            .executeTakeFirst()
        : undefined;
    if (!stored) {
      const missing = before.documentId ? after : before;
      throw new Refusal(
        409,
        'no_text',
        `Teks draf versi ${missing.version} tidak tersedia (bukan berkas yang disimpan di Sinergi, atau tidak dapat ` +
          `dibaca).`,
        'version',
      );
    }
    return {
      from: before.version,
      to: version,
      added: stored.added,
      removed: stored.removed,
      hunks: stored.hunks,
      ...(stored.note ? { note: stored.note } : {}),
    };
  }

  /** The command with its `documentId` references checked against this agreement and filled in. */
  async withDocuments(agreementId: string, command: SentCommand): Promise<SentCommand> {
    const ref = async (id: string, field: string): Promise<DocumentRef & { text?: string }> => {
      const d = await documentOfAgreement(this.db, agreementId, id, field);
      return {
        documentId: d.id,
        filename: d.filename,
        sha256: d.sha256,
        ...(d.text !== undefined ? { text: d.text } : {}),
      };
    };
    const refs = (list: DocumentRef[] | undefined, field: string) =>
      Promise.all(
        (list ?? []).map(async (r, i) => {
          const { text: _text, ...plain } = await ref(r.documentId, `${field}[${i}]`);
          return plain;
        }),
      );
    switch (command.type) {
      case 'submitDraft': {
        if (!command.documentId) {
          if (!command.documentUrl)
            throw new Refusal(400, 'invalid_input', 'documentId atau documentUrl wajib diisi.', 'documentId');
          return command;
        }
        if (command.documentUrl)
          throw new Refusal(400, 'invalid_input', 'Isi documentId atau documentUrl, bukan keduanya.', 'documentUrl');
        const doc = await ref(command.documentId, 'documentId');
        return {
          ...command,
          documentUrl: this.urlOf(doc.documentId),
          sha256: doc.sha256,
          ...(await this.changedFrom(agreementId, doc)),
        };
      }
      case 'recordReport': {
        if (!command.documentId) return command;
        if (command.documentUrl)
          throw new Refusal(400, 'invalid_input', 'Isi documentId atau documentUrl, bukan keduanya.', 'documentUrl');
        const doc = await ref(command.documentId, 'documentId');
        return { ...command, documentUrl: this.urlOf(doc.documentId) };
      }
      case 'scheduleSigning': {
        if (command.method !== 'electronic') return command;
        const final = await documentOfAgreement(this.db, agreementId, command.document.documentId, 'documentId');
        if (final.kind !== 'final' || final.contentType !== 'application/pdf')
          throw new Refusal(
            400,
            'not_final_pdf',
            'Penandatanganan elektronik memakai berkas PDF yang diunggah dengan jenis "final".',
            'documentId',
          );
        const approvedVersion = (await readView(this.db, agreementId))?.drafts.at(-1)?.version ?? 0;
        // The final text against the approved draft's, kept for reading like any two versions.
        const { changes } = await this.changedFrom(agreementId, { documentId: final.id, text: final.text });
        const differs = changes && (changes.added > 0 || changes.removed > 0);
        return {
          ...command,
          document: { documentId: final.id, filename: final.filename, sha256: final.sha256 },
          approvedVersion,
          ...(differs ? { textDiffers: changes } : {}),
        };
      }
      case 'recordSigning':
        return command.documents ? { ...command, documents: await refs(command.documents, 'documentIds') } : command;
      case 'recordMinutes':
        return command.documents ? { ...command, documents: await refs(command.documents, 'documentIds') } : command;
      default:
        return command;
    }
  }

  /** How much a new draft changed from the latest one, when both have text; the comparison is kept for reading. */
  private async changedFrom(
    agreementId: string,
    doc: { documentId: string; text?: string },
  ): Promise<{ changes?: { added: number; removed: number } }> {
    const latest = (await readView(this.db, agreementId))?.drafts.at(-1);
    const before = latest?.documentId ? await textOf(this.db, latest.documentId) : undefined;
    if (doc.text === undefined || before === undefined || !latest?.documentId) return {};
    const comparison: Comparison = await this.reader.compare(before, doc.text);
    await this.db
      .insertInto('document_comparisons')
      .values({
        before_id: latest.documentId,
        after_id: doc.documentId,
        added: comparison.added,
        removed: comparison.removed,
        hunks: JSON.stringify(comparison.hunks),
        note: comparison.note ?? null,
      })
      .onConflict((oc) => oc.columns(['before_id', 'after_id']).doNothing())
      .execute();
    return { changes: { added: comparison.added, removed: comparison.removed } };
  }
}
