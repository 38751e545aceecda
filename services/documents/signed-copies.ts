// A signed copy of an electronic round, uploaded by the person whose turn it is: verified against the current copy
// in the document pool, kept, and recorded as their step. A refusal names its reason and keeps nothing.
import type { Kysely } from 'kysely';
import { SIGNATURE_REFUSAL, type SignatureReason } from '../../domain/signers.js';
import type { Actor, RecordSignedCopy } from '../../domain/commands.js';
import type { ElectronicSigning, SigningStep } from '../../domain/types.js';
import type { SentCommand } from '../agreements.js';
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
import type { SigningGateway } from './signatures/gateway.js';

/** A signed copy refused: 422 with the reason API.md lists, the message in Indonesian, the field `file`. */
export class SignatureRefusal extends Refusal {
  constructor(
    readonly reason: SignatureReason,
    readonly detail: string,
  ) {
    super(422, 'signature_rejected', SIGNATURE_REFUSAL[reason], 'file');
  }
}

type Upload = { filename: string; bytes: Buffer };

/** What a step's e-mailed link carries: its agreement, the party and person it was sent to, and the step. */
export interface StepLink {
  agreementId: string;
  partyId: string;
  email: string;
  step: number;
}

/** Records a step: for a person or token through their own access, for a link as the contact it was sent to. */
export interface StepRecorder extends CommandSender {
  send(actor: Actor, id: string, command: SentCommand): Promise<AgreementView>;
}

export class SignedCopyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly agreements: StepRecorder,
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

  /** The copy the person whose turn it is uploads, signed with their own tool. */
  accept(principal: Principal, id: string, upload: Upload): Promise<AgreementView> {
    return this.handIn(principal, id, async () => upload);
  }

  /** The step signed through a gateway: it gets the current copy, and what it returns is verified as an upload is. */
  signThrough(gateway: SigningGateway, principal: Principal, id: string): Promise<AgreementView> {
    return this.handIn(principal, id, async (round, step) => {
      const copy = await this.documents.read(principal, round.currentDocumentId);
      const bytes = await gateway.sign({ agreementId: id, step, copy: copy.bytes });
      return { filename: `${gateway.name}-langkah-${step.index + 1}.pdf`, bytes: Buffer.from(bytes) };
    });
  }

  /** The current step's signed copy, from `copyOf`, recorded for the principal whose turn it is. */
  private async handIn(
    principal: Principal,
    id: string,
    copyOf: (round: ElectronicSigning, step: SigningStep) => Promise<Upload>,
  ): Promise<AgreementView> {
    const round = await this.round(principal, id);
    const step = round.steps.find((s) => s.status === 'current');
    if (!step) throw new Refusal(409, 'no_electronic_round', 'Semua langkah penandatanganan sudah selesai.');
    // A person signs their own step; a token (an operator, an integration) may hand in anyone's copy.
    if (principal.kind === 'person' && principal.email?.toLowerCase() !== step.email.toLowerCase())
      throw new Refusal(403, 'forbidden', `Giliran sekarang milik ${step.name}; unggahan dari akun lain ditolak.`);
    return this.record(principal, id, round, step, await copyOf(round, step), (command) =>
      this.agreements.command(principal, id, command),
    );
  }

  /** What the holder of a step's e-mailed link may read: the agreement, as the party the step signs for. */
  linkReader(link: StepLink): Principal {
    return { kind: 'token', id: link.email, role: 'party', partyId: link.partyId, email: link.email };
  }

  /** The copy handed in through a step's e-mailed link: only while that step is the one whose turn it is. */
  async acceptFromLink(link: StepLink, upload: Upload): Promise<AgreementView> {
    const holder = this.linkReader(link);
    const round = await this.round(holder, link.agreementId);
    const step = round.steps.find((s) => s.status === 'current');
    if (!step || step.index !== link.step || step.email.toLowerCase() !== link.email.toLowerCase())
      throw new Refusal(
        409,
        'not_your_turn',
        'Tautan ini untuk langkah yang sudah selesai atau belum tiba gilirannya.',
      );
    const actor: Actor = { kind: 'contact', id: link.email, partyId: link.partyId };
    return this.record(holder, link.agreementId, round, step, upload, (command) =>
      this.agreements.send(actor, link.agreementId, command),
    );
  }

  /** The NIK the directory holds for the step's person, if it holds one: their certificate must carry the same. */
  private async nikOf(step: SigningStep): Promise<{ nik?: string }> {
    const party = await this.db
      .selectFrom('parties')
      .select('contacts')
      .where('id', '=', step.partyId)
      .executeTakeFirst();
    const nik = party?.contacts.find((c) => c.email.toLowerCase() === step.email.toLowerCase())?.nik;
    return nik ? { nik } : {};
  }

  /** Verifies the copy against the current one, keeps it and records the step; a refusal keeps nothing. */
  private async record(
    reader: Principal,
    id: string,
    round: ElectronicSigning,
    step: SigningStep,
    upload: Upload,
    send: (command: RecordSignedCopy) => Promise<AgreementView>,
  ): Promise<AgreementView> {
    const anchors = this.anchors();
    const verdict = await this.documents.reader.verifySignedCopy({
      previous: (await this.documents.read(reader, round.currentDocumentId)).bytes,
      next: upload.bytes,
      expected: { name: step.name, email: step.email, ...(await this.nikOf(step)) },
      later: round.steps.filter((s) => s.index > step.index).map((s) => ({ name: s.name, email: s.email })),
      anchors: anchors.files,
      now: new Date().toISOString(),
    });
    if (!verdict.ok) throw new SignatureRefusal(verdict.reason, verdict.detail);
    const { field: _field, ...signature } = verdict.signature;
    const doc = await this.documents.upload(reader, id, { kind: 'signed', ...upload });
    let view: AgreementView;
    try {
      view = await send({
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
