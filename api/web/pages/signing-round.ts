// An electronic signing round on the agreement page: who has signed, who is next and since when, the current
// copy to download, the form for the signed copy, and once signed, the audit sheet.
import type { Viewer } from '../../../domain/allowed.js';
import type { ElectronicSigning, SigningStep, TimeZone } from '../../../domain/types.js';
import type { AgreementView } from '../../../domain/view.js';
import { html, type Html } from '../html.js';
import { day, partyName, when, type Directory } from './format.js';

const ACT = { paraf: 'Paraf', sign: 'Tanda tangan' } as const;

/** Since when a step is someone's turn: since the step before it was done, or since the round began. */
const turnSince = (round: ElectronicSigning, step: SigningStep): string =>
  (step.index > 0 ? round.steps[step.index - 1]?.doneAt : undefined) ?? round.scheduledAt;

function status(round: ElectronicSigning, step: SigningStep, tz: TimeZone): Html {
  if (step.status === 'done') return html`<span class="tag done">Selesai</span> ${when(step.doneAt, tz)}`;
  if (step.status === 'current')
    return html`<span class="tag now">Giliran sekarang</span> sejak ${when(turnSince(round, step), tz)}`;
  return html`<span class="tag">Menunggu</span>`;
}

function certificate(step: SigningStep, tz: TimeZone): Html {
  const s = step.signature;
  if (!s) return html`—`;
  const stamp = s.timestamped ? 'cap waktu terverifikasi' : 'waktu dari perangkat penanda tangan';
  return html`${s.subject}<br><small>Penerbit ${s.issuer}; nomor seri ${s.serial}; ${when(s.signedAt, tz)}
(${stamp})</small>`;
}

function stepsTable(round: ElectronicSigning, parties: Directory, tz: TimeZone): Html {
  const rows = round.steps.map(
    (s) => html`<tr${s.status === 'current' ? html` aria-current="step"` : ''}>
<td>${s.index + 1}</td><td>${ACT[s.act]}</td><td>${s.name}<br><small>${partyName(parties, s.partyId)}</small></td>
<td>${status(round, s, tz)}</td><td>${certificate(s, tz)}</td></tr>`,
  );
  return html`<div class="table-wrap"><table><caption>Urutan penandatanganan</caption>
<thead><tr><th scope="col">No.</th><th scope="col">Langkah</th><th scope="col">Nama</th>
<th scope="col">Status</th><th scope="col">Sertifikat</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function uploadForm(v: AgreementView, step: SigningStep): Html {
  return html`<form method="post" action="/kesepakatan/${v.id}/tte/salinan" enctype="multipart/form-data">
<label for="f-tte-file">Salinan bertanda tangan (PDF) untuk langkah ${step.index + 1}:
${ACT[step.act]} ${step.name}</label>
<p class="hint" id="f-tte-file-hint">Tanda tangani berkas terkini dengan aplikasi TTE Anda (misalnya BSrE) tanpa
menyimpannya ulang, lalu unggah di sini. Sinergi memeriksa tanda tangannya sebelum langkah berikutnya.</p>
<input id="f-tte-file" type="file" name="file" accept="application/pdf" required aria-describedby="f-tte-file-hint">
<button>Unggah salinan bertanda tangan</button></form>`;
}

/** The round's section, or nothing when the agreement is not signed electronically. */
export function signingRoundSection(v: AgreementView, parties: Directory, tz: TimeZone, viewer: Viewer): Html {
  const round = v.signing?.method === 'electronic' ? v.signing : undefined;
  if (!round) return html``;
  const current = round.steps.find((s) => s.status === 'current');
  const done = round.steps.filter((s) => s.status === 'done').length;
  const progress = html`<p>${done} dari ${round.steps.length} langkah selesai · batas ${day(round.dueBy)}</p>`;
  const running = !round.signedAt && !round.cancelled;
  const act = viewer.role !== 'viewer' && !viewer.followUpsOnly;
  const actions = running
    ? html`<p><a href="/kesepakatan/${v.id}/tte/berkas">Unduh berkas terkini (PDF, dengan ${done} tanda tangan)</a></p>
${current && act ? uploadForm(v, current) : ''}`
    : round.signedAt
      ? html`<p>Ditandatangani secara elektronik pada ${when(round.signedAt, tz)}.</p>
<ul><li><a href="/dokumen/${round.currentDocumentId}">Berkas bertanda tangan lengkap (PDF)</a></li>
<li><a href="/kesepakatan/${v.id}/tte/jejak-audit">Lembar jejak audit (PDF)</a></li></ul>`
      : '';
  return html`<section id="tte" aria-labelledby="tte-title"><h2 id="tte-title">Penandatanganan elektronik (TTE)</h2>
${progress}${stepsTable(round, parties, tz)}${actions}</section>`;
}
