// A signed copy of an electronic round, uploaded by the person whose turn it is: verified against the current copy
// in the document pool, kept, and recorded as their step. A refusal names its reason and keeps nothing.
import type { Kysely } from 'kysely';
import { SIGNATURE_REFUSAL, type SignatureReason } from '../../domain/signers.js';
import type { ElectronicSigning } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import type { Database } from '../../schema/database.js';
import { loadVisibleAgreement, type Principal } from '../access.js';
import { readView } from '../agreement-reads.js';
import { Refusal, notFound } from '../errors.js';
import type { CommandSender } from './drafts.js';
import type { DocumentInfo } from './documents.js';
import type { DocumentService } from './service.js';
import { readTrustAnchors, type TrustAnchors } from './signatures/trust.js';
import { keepAuditSheet } from './audit-sheets.js';

/** A signed copy refused: 422 with the reason API.md lists, the message in Indonesian, the field `file`. */
export class SignatureRefusal extends Refusal {
  constructor(
    readonly reason: SignatureReason,
    readonly detail: string,
  ) {
    super(422, 'signature_rejected', SIGNATURE_REFUSAL[reason], 'file');
  }
}

export class SignedCopyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly agreements: CommandSender,
    private readonly documents: DocumentService,
    /** SINERGI_TTE_TRUST_DIR, read at each upload so that a changed folder counts at once. */
    private readonly trustDir: string,
  ) {}

  /** The anchors as the folder holds them now; a folder that cannot be read is the operator's to fix. */
  private anchors(): TrustAnchors {
    try {
      return readTrustAnchors(this.trustDir);
    } catch {
      throw new Refusal(
        503,
        'trust_anchors_unreadable',
        'Sertifikat otoritas tepercaya (SINERGI_TTE_TRUST_DIR) tidak dapat dibaca; hubungi operator Sinergi.',
      );
    }
  }

  /** The round in progress, or a 409 saying there is none. */
  private async round(principal: Principal, id: string): Promise<ElectronicSigning> {
    await loadVisibleAgreement(this.db, principal, id);
    const view = await readView(this.db, id);
    if (!view) throw notFound(`Kesepakatan "${id}"`);
    const s = view.signing;
    if (s?.method !== 'electronic' || s.signedAt || s.cancelled)
      throw new Refusal(409, 'no_electronic_round', 'Tidak ada penandatanganan elektronik yang sedang berjalan.');
    return s;
  }

  /** The current copy, with every signature so far: what the person whose turn it is downloads and signs. */
  async current(principal: Principal, id: string): Promise<{ info: DocumentInfo; bytes: Buffer }> {
    const round = await this.round(principal, id);
    return this.documents.read(principal, round.currentDocumentId);
  }

  async accept(principal: Principal, id: string, upload: { filename: string; bytes: Buffer }): Promise<AgreementView> {
    const round = await this.round(principal, id);
    const step = round.steps.find((s) => s.status === 'current');
    if (!step) throw new Refusal(409, 'no_electronic_round', 'Semua langkah penandatanganan sudah selesai.');
    // A person signs their own step; a token (an operator, an integration) may hand in anyone's copy.
    if (principal.kind === 'person' && principal.email?.toLowerCase() !== step.email.toLowerCase())
      throw new Refusal(403, 'forbidden', `Giliran sekarang milik ${step.name}; unggahan dari akun lain ditolak.`);
    const anchors = this.anchors();
    const verdict = await this.documents.reader.verifySignedCopy({
      previous: (await this.documents.read(principal, round.currentDocumentId)).bytes,
      next: upload.bytes,
      expected: { name: step.name, email: step.email },
      later: round.steps.filter((s) => s.index > step.index).map((s) => ({ name: s.name, email: s.email })),
      anchors: anchors.files,
      now: new Date().toISOString(),
    });
    if (!verdict.ok) throw new SignatureRefusal(verdict.reason, verdict.detail);
    const { field: _field, ...signature } = verdict.signature;
    const doc = await this.documents.upload(principal, id, { kind: 'signed', ...upload });
    let view: AgreementView;
    try {
      view = await this.agreements.command(principal, id, {
        type: 'recordSignedCopy',
        step: step.index,
        document: { documentId: doc.id, filename: doc.filename, sha256: doc.sha256 },
        signature,
      });
    } catch (err) {
      await this.documents.forget(doc.id);
      throw err;
    }
    // The last signature: the audit sheet is written now. Should that fail, its first reader writes it.
    if (view.signing?.signedAt) await keepAuditSheet(this.db, this.documents.blobs, view).catch(() => undefined);
    return view;
  }

  /** The lembar jejak audit of an agreement signed electronically, or a 409 while it is not. */
  async auditSheet(principal: Principal, id: string): Promise<{ info: DocumentInfo; bytes: Buffer }> {
    await loadVisibleAgreement(this.db, principal, id);
    const view = await readView(this.db, id);
    if (!view) throw notFound(`Kesepakatan "${id}"`);
    const kept = await keepAuditSheet(this.db, this.documents.blobs, view);
    if (!kept)
      throw new Refusal(
        409,
        'not_signed_electronically',
        'Lembar jejak audit ada setelah kesepakatan selesai ditandatangani secara elektronik.',
      );
    return this.documents.read(principal, kept.id);
  }
}
