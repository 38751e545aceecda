// Pages behind the links in e-mails: an officer without an account approves a draft or closes a follow-up.
// Each link is bound to one agreement, party and action; every refusal is a page, and nothing is recorded.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { verifyLink, type LinkClaims } from '../../infra/links.js';
import type { Actor, CompleteFollowUp, RecordSignedCopy, ReviewDraft } from '../../domain/commands.js';
import type { SigningStep } from '../../domain/types.js';
import type { StepLink } from '../../services/documents/signed-copies.js';
import { whyNot } from '../../domain/preconditions.js';
import { formatDate } from '../../domain/format.js';
import { INSTRUMENT_LABEL } from '../../domain/labels.js';
import type { AgreementView } from '../../domain/view.js';
import type { Database } from '../../schema/database.js';
import { readView } from '../../services/agreement-reads.js';
import type { SentCommand } from '../../services/agreements.js';
import { Refusal, fromRejection } from '../../services/errors.js';
import { listParties, listedParty } from '../../services/directory.js';
import { mayActByLink } from '../../domain/allowed.js';
import { html, type Html } from './html.js';
import { LinkActionForm, LinkParams, SignedCopyForm } from './schemas.js';
import { page } from './layout.js';
import { comparisonPage } from './pages/documents.js';
import { sendFile } from '../routes/content-disposition.js';
import type { Principal } from '../auth.js';
import { attempt } from './kit.js';
import { commandFrom } from '../catalogue.js';

export interface LinkDeps {
  db: Kysely<Database>;
  linkSecret?: string;
  maxUploadBytes?: number;
}

type Checked = { claims: LinkClaims; view: AgreementView } | { status: number; title: string; message: string };

function refusal(status: number, title: string, message: string): Checked {
  return { status, title, message };
}

/** The command a link's action would send, before the person adds a decision, a note or a file. */
function commandOf(claims: LinkClaims): ReviewDraft | CompleteFollowUp | RecordSignedCopy {
  if (claims.act === 'review')
    return { type: 'reviewDraft', version: claims.v ?? 0, partyId: claims.p, decision: 'approve' };
  if (claims.act === 'sign') {
    // The file is not there yet: the stage is what a page can ask before it; the upload's checks do the rest.
    const none = { documentId: '', filename: '', sha256: '' };
    const unsigned = { subject: '', issuer: '', serial: '', signedAt: '', timestamped: false };
    return { type: 'recordSignedCopy', step: claims.s ?? -1, document: none, signature: unsigned };
  }
  return { type: 'completeFollowUp', followUpId: claims.f ?? '' };
}

/** The step a signing link was sent for, while it is the one whose turn it is. */
function turnOf(claims: LinkClaims, view: AgreementView): SigningStep | undefined {
  const round = view.signing?.method === 'electronic' ? view.signing : undefined;
  const step = round?.steps.find((s) => s.index === claims.s);
  return step?.status === 'current' && step.email.toLowerCase() === claims.e.toLowerCase() ? step : undefined;
}

/** A page title per refusal; the words below it are the domain's own. */
const REFUSAL_TITLES: Record<string, string> = {
  superseded_draft: 'Draf sudah diganti',
  already_reviewed: 'Sudah ditinjau',
  follow_up_closed: 'Sudah selesai',
  agreement_ended: 'Kesepakatan sudah berakhir',
  wrong_stage: 'Tinjauan sudah ditutup',
};

async function check(deps: LinkDeps, token: string): Promise<Checked> {
  if (!deps.linkSecret)
    return refusal(404, 'Tautan tidak tersedia', 'Tautan dari e-mail tidak diaktifkan di server ini.');
  const verified = verifyLink(deps.linkSecret, token);
  if (!verified.ok) {
    return verified.reason === 'expired'
      ? refusal(
          410,
          'Tautan kedaluwarsa',
          'Masa berlaku tautan ini sudah habis. Minta pengiriman ulang kepada pemrakarsa kesepakatan.',
        )
      : refusal(
          400,
          'Tautan tidak sah',
          'Tautan ini tidak dikenali atau telah diubah. Gunakan tautan persis seperti di e-mail.',
        );
  }
  const { claims } = verified;
  const view = await readView(deps.db, claims.a);
  if (!view || !view.parties.some((p) => p.partyId === claims.p)) {
    return refusal(400, 'Tautan tidak sah', 'Tautan ini tidak cocok dengan kesepakatan mana pun.');
  }
  if (!mayActByLink(claims.e, await listedParty(deps.db, claims.p))) {
    return refusal(
      403,
      'Tautan tidak berlaku lagi',
      `${claims.e} tidak lagi terdaftar sebagai kontak pihak ini. Minta pemrakarsa kesepakatan memperbarui direktori.`,
    );
  }
  // Whether the action is still open is the domain's answer, in the words decide would refuse with.
  const why = whyNot(view, commandOf(claims));
  if (why) {
    const refused = fromRejection(why.code, why.message, why.field);
    return refusal(refused.statusCode, REFUSAL_TITLES[why.code] ?? 'Tidak dapat dilakukan', why.message);
  }
  if (claims.act === 'sign' && !turnOf(claims, view))
    return refusal(
      409,
      'Bukan giliran tautan ini',
      'Langkah penandatanganan untuk tautan ini sudah selesai atau belum tiba gilirannya.',
    );
  return { claims, view };
}

function signForm(token: string, step: SigningStep, view: AgreementView, partyName: string): Html {
  const round = view.signing?.method === 'electronic' ? view.signing : undefined;
  const act = step.act === 'paraf' ? 'Paraf' : 'Tanda tangan';
  return html`<h1>${act} elektronik: langkah ${step.index + 1} dari ${round?.steps.length ?? 0}</h1>
<section><p>${INSTRUMENT_LABEL[view.instrument]}: <strong>${view.title}</strong></p>
<p>${step.name}, atas nama <strong>${partyName}</strong></p>
${round ? html`<p>Batas waktu: ${formatDate(round.dueBy)}</p>` : ''}
<ol><li><a href="/tautan/${token}/berkas">Unduh berkas terkini (PDF)</a></li>
<li>Tanda tangani dengan aplikasi TTE Anda (misalnya BSrE) tanpa menyimpannya ulang.</li>
<li>Unggah salinan bertanda tangan di bawah ini.</li></ol>
<form method="post" action="/tautan/${token}/salinan" enctype="multipart/form-data">
<label for="f-tte-file">Salinan bertanda tangan (PDF)</label>
<input id="f-tte-file" type="file" name="file" accept="application/pdf" required>
<button>Unggah salinan bertanda tangan</button></form></section>`;
}

function reviewForm(token: string, claims: LinkClaims, view: AgreementView, partyName: string): Html {
  const draft = view.drafts.at(-1)!;
  return html`<h1>Tinjau draf versi ${draft.version}</h1>
<section><p>${INSTRUMENT_LABEL[view.instrument]}: <strong>${view.title}</strong></p>
<p>Atas nama pihak: <strong>${partyName}</strong> (${claims.e})</p>
<p><a href="/tautan/${token}/draf">Buka draf versi ${draft.version}</a></p>
${
  draft.changes
    ? html`<p><a href="/tautan/${token}/perubahan">Lihat perubahan dari versi ${draft.version - 1}</a>
(${draft.changes.added} kata ditambah, ${draft.changes.removed} dihapus)</p>`
    : ''
}
${
  draft.sha256
    ? html`<details><summary>Sidik dokumen (SHA-256)</summary><p class="break">${draft.sha256}</p>
</details>`
    : ''
}
${draft.reviewDueOn ? html`<p>Batas tinjauan: ${formatDate(draft.reviewDueOn)}</p>` : ''}
<form method="post" action="/tautan/${token}"><label for="f-comments">Catatan</label>
<p class="hint">Wajib diisi bila meminta perubahan</p>
<textarea id="f-comments" name="comments"></textarea>
<button name="decision" value="approve">Setujui</button>
<button class="secondary" name="decision" value="request_changes">Minta perubahan</button></form></section>`;
}

function completeForm(token: string, claims: LinkClaims, view: AgreementView): Html {
  const f = view.followUps.find((x) => x.id === claims.f)!;
  return html`<h1>Tandai tindak lanjut selesai</h1>
<section><p>${view.title}</p><p><strong>${f.title}</strong> — batas ${formatDate(f.due)}</p>
<form method="post" action="/tautan/${token}"><label for="f-note">Catatan</label><textarea id="f-note" name="note">
</textarea>
<button>Tandai selesai</button></form></section>`;
}

export function linkRoutes(deps: LinkDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const show = (reply: FastifyReply, status: number, title: string, body: Html) =>
      reply.status(status).type('text/html; charset=utf-8').send(page(title, body));
    const refuse = (reply: FastifyReply, r: { status: number; title: string; message: string }) =>
      show(reply, r.status, r.title, html`<h1>${r.title}</h1><section><p>${r.message}</p></section>`);

    app.get('/tautan/:token', { schema: { hide: true, params: LinkParams } }, async (request, reply) => {
      const { token } = request.params;
      const checked = await check(deps, token);
      if ('status' in checked) return refuse(reply, checked);
      const { claims, view } = checked;
      const partyName = (await listParties(deps.db)).find((p) => p.id === claims.p)?.name ?? claims.p;
      const step = claims.act === 'sign' ? turnOf(claims, view) : undefined;
      const body =
        claims.act === 'review'
          ? reviewForm(token, claims, view, partyName)
          : step
            ? signForm(token, step, view, partyName)
            : completeForm(token, claims, view);
      return show(reply, 200, 'Tindakan', body);
    });

    /** What a review link may read: its agreement, as the party it acts for (the link's own authority). */
    const readerOf = (claims: LinkClaims): Principal => ({
      kind: 'token',
      id: claims.e,
      role: 'party',
      partyId: claims.p,
    });

    // The draft the link asks to review, without signing in: a kept file, or the address it was submitted with.
    app.get('/tautan/:token/draf', { schema: { hide: true, params: LinkParams } }, async (request, reply) => {
      const checked = await check(deps, request.params.token);
      if ('status' in checked) return refuse(reply, checked);
      const draft = checked.view.drafts.at(-1);
      if (checked.claims.act !== 'review' || !draft)
        return refuse(reply, {
          status: 404,
          title: 'Tidak ditemukan',
          message: 'Tautan ini bukan untuk meninjau draf.',
        });
      if (!draft.documentId) return reply.redirect(draft.documentUrl, 303);
      const { info, bytes } = await app.documents.read(readerOf(checked.claims), draft.documentId);
      return sendFile(request, reply, { ...info, bytes });
    });

    app.get('/tautan/:token/perubahan', { schema: { hide: true, params: LinkParams } }, async (request, reply) => {
      const checked = await check(deps, request.params.token);
      if ('status' in checked) return refuse(reply, checked);
      const { claims, view } = checked;
      const draft = view.drafts.at(-1);
      if (claims.act !== 'review' || !draft?.changes)
        return refuse(reply, {
          status: 404,
          title: 'Tidak ditemukan',
          message: 'Tidak ada perubahan untuk dibandingkan.',
        });
      const comparison = await app.documents.changes(readerOf(claims), view.id, draft.version);
      return show(
        reply,
        200,
        `Perubahan draf versi ${draft.version}`,
        comparisonPage(view, comparison, `/tautan/${request.params.token}`),
      );
    });

    /** A signing link's step as the signed-copy service takes it. */
    const stepLink = (claims: LinkClaims): StepLink => ({
      agreementId: claims.a,
      partyId: claims.p,
      email: claims.e,
      step: claims.s ?? -1,
    });
    const notSigning = { status: 404, title: 'Tidak ditemukan', message: 'Tautan ini bukan untuk penandatanganan.' };

    // The current copy of the round, with every signature so far, for the person whose turn the link is.
    app.get('/tautan/:token/berkas', { schema: { hide: true, params: LinkParams } }, async (request, reply) => {
      const checked = await check(deps, request.params.token);
      if ('status' in checked) return refuse(reply, checked);
      if (checked.claims.act !== 'sign') return refuse(reply, notSigning);
      const reader = app.signedCopies.linkReader(stepLink(checked.claims));
      const { info, bytes } = await app.signedCopies.current(reader, checked.claims.a);
      return sendFile(request, reply, { ...info, bytes });
    });

    app.post(
      '/tautan/:token/salinan',
      {
        schema: { hide: true, params: LinkParams, body: SignedCopyForm },
        config: {
          multipartOptions: {
            limits: { fileSize: deps.maxUploadBytes ?? 25 * 1024 * 1024, files: 1, fields: 2, parts: 3 },
          },
        },
      },
      async (request, reply) => {
        const checked = await check(deps, request.params.token);
        if ('status' in checked) return refuse(reply, checked);
        const { claims } = checked;
        if (claims.act !== 'sign') return refuse(reply, notSigning);
        const { file } = request.body;
        const accepted = await attempt(() => {
          if (!file || file.bytes.length === 0)
            throw new Refusal(400, 'invalid_input', 'Pilih salinan bertanda tangan yang akan diunggah.', 'file');
          return app.signedCopies.acceptFromLink(stepLink(claims), { filename: file.filename, bytes: file.bytes });
        });
        if (!accepted.ok) {
          const { status, message } = accepted.refused;
          request.log.info({ agreementId: claims.a, status }, 'signed copy from an e-mail link refused');
          return refuse(reply, { status, title: 'Salinan bertanda tangan ditolak', message });
        }
        request.log.info({ agreementId: claims.a, step: claims.s }, 'signed copy accepted from an e-mail link');
        return show(
          reply,
          200,
          'Terima kasih',
          html`<h1>Terima kasih</h1><section><p>Salinan bertanda tangan Anda diterima dan terverifikasi.</p></section>`,
        );
      },
    );

    app.post(
      '/tautan/:token',
      { schema: { hide: true, params: LinkParams, body: LinkActionForm } },
      async (request, reply) => {
        const { token } = request.params;
        const checked = await check(deps, token);
        if ('status' in checked) return refuse(reply, checked);
        const { claims } = checked;
        const form = request.body;
        const text = (name: 'comments' | 'note') => form[name]?.trim() || undefined;
        // The link's claims are the path's params; the page's fields the body: the same catalogue as /v1 makes it.
        const build = (): SentCommand =>
          claims.act === 'review'
            ? commandFrom(
                'reviewDraft',
                { id: claims.a, version: claims.v },
                {
                  partyId: claims.p,
                  decision: form.decision ?? 'approve',
                  // A request for changes without a note is refused by decide, like every other rule.
                  ...(text('comments') ? { comments: text('comments') } : {}),
                },
              )
            : commandFrom(
                'completeFollowUp',
                { id: claims.a, followUpId: claims.f },
                text('note') ? { note: text('note') } : {},
              );
        // The actor is the contact the link was sent to, acting for its party.
        const actor: Actor = { kind: 'contact', id: claims.e, partyId: claims.p };
        const sent = await attempt(() => app.agreements.send(actor, claims.a, build()));
        if (!sent.ok) {
          const { status, message } = sent.refused;
          return refuse(reply, { status, title: 'Tidak dapat disimpan', message });
        }
        request.log.info(
          { agreementId: claims.a, action: claims.act, partyId: claims.p },
          'action taken from an e-mail link',
        );
        return show(
          reply,
          200,
          'Terima kasih',
          html`<h1>Terima kasih</h1><section>
<p>${claims.act === 'review' ? 'Tinjauan Anda sudah tercatat.' : 'Tindak lanjut ditandai selesai.'}</p></section>`,
        );
      },
    );
  };
}
