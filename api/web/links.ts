// Pages behind the links in e-mails: an officer without an account approves a draft or closes a follow-up.
// Each link is bound to one agreement, party and action; every refusal is a page, and nothing is recorded.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { verifyLink, type LinkClaims } from '../../infra/links.js';
import type { Actor } from '../../domain/commands.js';
import { formatDate } from '../../domain/format.js';
import { INSTRUMENT_LABEL } from '../../domain/labels.js';
import type { AgreementView } from '../../domain/view.js';
import type { Database } from '../../schema/database.js';
import { readView } from '../../services/agreement-reads.js';
import type { SentCommand } from '../../services/agreements.js';
import { Refusal } from '../../services/errors.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';

export interface LinkDeps {
  db: Kysely<Database>;
  linkSecret?: string;
}

type Checked = { claims: LinkClaims; view: AgreementView } | { status: number; title: string; message: string };

function refusal(status: number, title: string, message: string): Checked {
  return { status, title, message };
}

async function check(deps: LinkDeps, token: string): Promise<Checked> {
  if (!deps.linkSecret) return refusal(404, 'Tautan tidak tersedia', 'Tautan dari e-mail tidak diaktifkan di server ini.');
  const verified = verifyLink(deps.linkSecret, token);
  if (!verified.ok) {
    return verified.reason === 'expired'
      ? refusal(410, 'Tautan kedaluwarsa', 'Masa berlaku tautan ini sudah habis. Minta pengiriman ulang kepada pemrakarsa kesepakatan.')
      : refusal(400, 'Tautan tidak sah', 'Tautan ini tidak dikenali atau telah diubah. Gunakan tautan persis seperti di e-mail.');
  }
  const { claims } = verified;
  const view = await readView(deps.db, claims.a);
  if (!view || !view.parties.some((p) => p.partyId === claims.p)) return refusal(400, 'Tautan tidak sah', 'Tautan ini tidak cocok dengan kesepakatan mana pun.');
  if (view.stage === 'ended') return refusal(409, 'Kesepakatan sudah berakhir', 'Tidak ada lagi tindakan yang dapat dilakukan untuk kesepakatan ini.');
  if (claims.act === 'review') {
    const latest = view.drafts.at(-1);
    if (view.stage !== 'drafting' || !latest) return refusal(409, 'Tinjauan sudah ditutup', 'Draf ini tidak lagi menunggu tinjauan.');
    if (latest.version !== claims.v) return refusal(409, 'Draf sudah diganti', `Draf versi ${claims.v} sudah digantikan oleh versi ${latest.version}; tunggu e-mail untuk versi terbaru.`);
    if (latest.reviews.some((r) => r.partyId === claims.p)) return refusal(409, 'Sudah ditinjau', 'Tinjauan pihak Anda untuk versi ini sudah tercatat; tautan ini tidak dapat dipakai lagi.');
  } else {
    const followUp = view.followUps.find((f) => f.id === claims.f);
    if (!followUp) return refusal(400, 'Tautan tidak sah', 'Tindak lanjut ini tidak ada.');
    if (followUp.status !== 'open') return refusal(409, 'Sudah selesai', 'Tindak lanjut ini sudah ditutup; tautan ini tidak dapat dipakai lagi.');
  }
  return { claims, view };
}

function reviewForm(token: string, claims: LinkClaims, view: AgreementView): Html {
  const draft = view.drafts.at(-1)!;
  return html`<h1>Tinjau draf versi ${draft.version}</h1>
<section><p>${INSTRUMENT_LABEL[view.instrument]}: <strong>${view.title}</strong></p>
<p>Atas nama pihak: <strong>${claims.p}</strong> (${claims.e})</p>
<p>Dokumen: <a href="${draft.documentUrl}">${draft.documentUrl}</a>${draft.sha256 ? html`<br><small>SHA-256 ${draft.sha256}</small>` : ''}</p>
${draft.reviewDueOn ? html`<p>Batas tinjauan: ${formatDate(draft.reviewDueOn)}</p>` : ''}
<form method="post" action="/tautan/${token}"><label for="f-comments">Catatan</label><p class="hint">Wajib diisi bila meminta perubahan</p>
<textarea id="f-comments" name="comments"></textarea>
<button name="decision" value="approve">Setujui</button> <button class="secondary" name="decision" value="request_changes">Minta perubahan</button></form></section>`;
}

function completeForm(token: string, claims: LinkClaims, view: AgreementView): Html {
  const f = view.followUps.find((x) => x.id === claims.f)!;
  return html`<h1>Tandai tindak lanjut selesai</h1>
<section><p>${view.title}</p><p><strong>${f.title}</strong> — batas ${formatDate(f.due)}</p>
<form method="post" action="/tautan/${token}"><label for="f-note">Catatan</label><textarea id="f-note" name="note"></textarea>
<button>Tandai selesai</button></form></section>`;
}

export function linkRoutes(deps: LinkDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    const show = (reply: FastifyReply, status: number, title: string, body: Html) => reply.status(status).type('text/html; charset=utf-8').send(page(title, body));
    const refuse = (reply: FastifyReply, r: { status: number; title: string; message: string }) => show(reply, r.status, r.title, html`<h1>${r.title}</h1><section><p>${r.message}</p></section>`);

    app.get('/tautan/:token', { schema: { hide: true } }, async (request, reply) => {
      const { token } = request.params as { token: string };
      const checked = await check(deps, token);
      if ('status' in checked) return refuse(reply, checked);
      const { claims, view } = checked;
      return show(reply, 200, 'Tindakan', claims.act === 'review' ? reviewForm(token, claims, view) : completeForm(token, claims, view));
    });

    app.post('/tautan/:token', { schema: { hide: true } }, async (request, reply) => {
      const { token } = request.params as { token: string };
      const checked = await check(deps, token);
      if ('status' in checked) return refuse(reply, checked);
      const { claims } = checked;
      const form = (request.body as URLSearchParams | undefined) ?? new URLSearchParams();
      const text = (name: string) => form.get(name)?.trim().slice(0, 5000) || undefined;
      let command: SentCommand;
      if (claims.act === 'review') {
        const decision = form.get('decision') === 'request_changes' ? 'request_changes' : 'approve';
        if (decision === 'request_changes' && !text('comments')) {
          return refuse(reply, { status: 400, title: 'Catatan diperlukan', message: 'Tuliskan perubahan yang diminta pada kolom catatan, lalu kirim lagi dari tautan di e-mail.' });
        }
        command = { type: 'reviewDraft', version: claims.v!, partyId: claims.p, decision, ...(text('comments') ? { comments: text('comments')! } : {}) };
      } else {
        command = { type: 'completeFollowUp', followUpId: claims.f!, ...(text('note') ? { note: text('note')! } : {}) };
      }
      // The actor is the contact the link was sent to, acting for its party.
      const actor: Actor = { kind: 'contact', id: claims.e, partyId: claims.p };
      try {
        await app.agreements.send(actor, claims.a, command);
      } catch (err) {
        if (err instanceof Refusal) return refuse(reply, { status: err.statusCode, title: 'Tidak dapat disimpan', message: err.message });
        throw err;
      }
      request.log.info({ agreementId: claims.a, action: claims.act, partyId: claims.p }, 'action taken from an e-mail link');
      return show(reply, 200, 'Terima kasih', html`<h1>Terima kasih</h1><section><p>${claims.act === 'review' ? 'Tinjauan Anda sudah tercatat.' : 'Tindak lanjut ditandai selesai.'}</p></section>`);
    });
  };
}
