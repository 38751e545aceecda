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
import { compareTexts, type Hunk } from './changes.js';
import {
  documentOfAgreement, findDocument, listDocuments, readDocument, searchDocuments, textOf, uploadDocument,
  type DocumentInfo, type SearchHit, type Upload,
} from './documents.js';
import type { BlobStore } from './storage.js';

type SentCommand = CommandOf<UpdateCommandType>;

export interface DraftComparison { from: number; to: number; added: number; removed: number; hunks: Hunk[] }

export class DocumentService {
  constructor(private readonly db: Kysely<Database>, readonly blobs: BlobStore, private readonly publicUrl: string) {}

  /** Where a person opens a kept document: the dashboard's download, which asks them to sign in. */
  urlOf(id: string): string {
    return `${this.publicUrl}/dokumen/${id}`;
  }

  upload(principal: Principal, agreementId: string, upload: Upload): Promise<DocumentInfo> {
    return uploadDocument(this.db, this.blobs, principal, agreementId, upload);
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
    const shared = row && (await this.db.selectFrom('documents').select('id').where('sha256', '=', row.sha256).executeTakeFirst());
    if (row && !shared) await this.db.deleteFrom('blobs').where('sha256', '=', row.sha256).execute();
  }

  /** A draft version against the one before it, word by word within paragraphs. */
  async changes(principal: Principal, agreementId: string, version: number): Promise<DraftComparison> {
    await loadVisibleAgreement(this.db, principal, agreementId);
    const view = await readView(this.db, agreementId);
    const after = view?.drafts.find((d) => d.version === version);
    if (!view || !after) throw notFound(`Draf versi ${version}`);
    const before = view.drafts.find((d) => d.version === version - 1);
    if (!before) throw new Refusal(409, 'no_previous_version', `Draf versi ${version} adalah versi pertama; tidak ada yang dibandingkan.`, 'version');
    const [a, b] = await Promise.all([before, after].map((d) => (d.documentId ? textOf(this.db, d.documentId) : undefined)));
    for (const [d, text] of [[before, a], [after, b]] as const) {
      if (text === undefined) {
        throw new Refusal(409, 'no_text', `Teks draf versi ${d.version} tidak tersedia (bukan berkas yang disimpan di Sinergi, atau tidak dapat dibaca).`, 'version');
      }
    }
    return { from: before.version, to: version, ...compareTexts(a!, b!) };
  }

  /** The command with its `documentId` references checked against this agreement and filled in. */
  async withDocuments(agreementId: string, command: SentCommand): Promise<SentCommand> {
    const ref = async (id: string, field: string): Promise<DocumentRef & { text?: string }> => {
      const d = await documentOfAgreement(this.db, agreementId, id, field);
      return { documentId: d.id, filename: d.filename, sha256: d.sha256, ...(d.text !== undefined ? { text: d.text } : {}) };
    };
    const refs = (list: DocumentRef[] | undefined, field: string) =>
      Promise.all((list ?? []).map(async (r, i) => {
        const { text: _text, ...plain } = await ref(r.documentId, `${field}[${i}]`);
        return plain;
      }));
    switch (command.type) {
      case 'submitDraft': {
        if (!command.documentId) {
          if (!command.documentUrl) throw new Refusal(400, 'invalid_input', 'documentId atau documentUrl wajib diisi.', 'documentId');
          return command;
        }
        if (command.documentUrl) throw new Refusal(400, 'invalid_input', 'Isi documentId atau documentUrl, bukan keduanya.', 'documentUrl');
        const doc = await ref(command.documentId, 'documentId');
        return { ...command, documentUrl: this.urlOf(doc.documentId), sha256: doc.sha256, ...(await this.changedFrom(agreementId, doc.text)) };
      }
      case 'recordReport': {
        if (!command.documentId) return command;
        if (command.documentUrl) throw new Refusal(400, 'invalid_input', 'Isi documentId atau documentUrl, bukan keduanya.', 'documentUrl');
        const doc = await ref(command.documentId, 'documentId');
        return { ...command, documentUrl: this.urlOf(doc.documentId) };
      }
      case 'recordSigning':
        return command.documents ? { ...command, documents: await refs(command.documents, 'documentIds') } : command;
      case 'recordMinutes':
        return command.documents ? { ...command, documents: await refs(command.documents, 'documentIds') } : command;
      default:
        return command;
    }
  }

  /** How much a new draft changed from the latest one, when both have text. */
  private async changedFrom(agreementId: string, text: string | undefined): Promise<{ changes?: { added: number; removed: number } }> {
    const latest = (await readView(this.db, agreementId))?.drafts.at(-1);
    const before = latest?.documentId ? await textOf(this.db, latest.documentId) : undefined;
    if (text === undefined || before === undefined) return {};
    const { added, removed } = compareTexts(before, text);
    return { changes: { added, removed } };
  }
}
