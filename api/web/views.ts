// The pages, rendered on the server from the same views the API returns.
import { localDate } from '../../domain/dates.js';
import { formatDate, formatInstant } from '../../domain/format.js';
import { END_REASON_LABEL, INSTRUMENT_LABEL, MEETING_KIND_LABEL, ROLE_LABEL, STAGE_LABEL } from '../../domain/labels.js';
import { INSTRUMENTS, STAGES, type TimeZone } from '../../domain/types.js';
import type { AgreementSummary, AgreementView } from '../../domain/view.js';
import type { DeadlineItem } from '../../services/follow-ups.js';
import { formsFor, partyName, renderForm, type Directory, type Viewer } from './forms.js';
import { html, type Html } from './html.js';
import { errorSummary } from './layout.js';

const zoneOf = (v: AgreementView): TimeZone => v.parties.find((p) => p.role === 'initiator')?.timeZone ?? 'Asia/Jakarta';
const when = (instant: string | undefined, tz: TimeZone) => (instant ? formatInstant(instant, tz) : '—');
const day = (date: string | undefined) => (date ? formatDate(date) : '—');

export function signInPage(error?: string): Html {
  return html`<h1>Masuk</h1>${errorSummary(error, 'token')}
<section><form method="post" action="/masuk">
<label for="f-token">Token akses</label><p class="hint">Token dari admin Sinergi (admin, pihak, atau peninjau).</p>
${error ? html`<p class="field-error">${error}</p>` : ''}<input id="f-token" name="token" type="password" autocomplete="off" required>
<button>Masuk</button></form></section>`;
}

export interface ListFilters {
  stage?: string;
  partyId?: string;
  instrument?: string;
  overdue?: boolean;
  q?: string;
}

export function listPage(items: AgreementSummary[], filters: ListFilters, nextUrl: string | undefined, viewer: Viewer, createError?: { message: string; field?: string }): Html {
  return html`<h1>Kesepakatan</h1>
<section><form method="get" action="/kesepakatan" class="grid">
<div><label for="f-stage">Tahap</label><select id="f-stage" name="stage"><option value="">Semua</option>${STAGES.map((s) => html`<option value="${s}"${filters.stage === s ? html` selected` : ''}>${STAGE_LABEL[s]}</option>`)}</select></div>
<div><label for="f-instrument">Instrumen</label><select id="f-instrument" name="instrument"><option value="">Semua</option>${INSTRUMENTS.map((i) => html`<option value="${i}"${filters.instrument === i ? html` selected` : ''}>${INSTRUMENT_LABEL[i]}</option>`)}</select></div>
<div><label for="f-party">Pihak (id)</label><input id="f-party" name="partyId" value="${filters.partyId ?? ''}"></div>
<div><label for="f-q">Cari judul</label><input id="f-q" name="q" value="${filters.q ?? ''}"></div>
<div><label for="f-overdue"><input id="f-overdue" type="checkbox" name="overdue" value="true" style="width:auto"${filters.overdue ? html` checked` : ''}> Hanya yang terlambat</label></div>
<div><button>Terapkan saring</button></div></form></section>
<section><div class="table-wrap"><table><thead><tr><th>Judul</th><th>Instrumen</th><th>Tahap</th><th>Para pihak</th><th>Terlambat</th></tr></thead><tbody>
${items.length === 0 ? html`<tr><td colspan="5">Tidak ada kesepakatan.</td></tr>` : ''}
${items.map((a) => {
    const late = a.followUpsOverdue;
    return html`<tr><td><a href="/kesepakatan/${a.id}">${a.title}</a></td><td>${INSTRUMENT_LABEL[a.instrument]}</td><td>${STAGE_LABEL[a.stage]}</td>
<td>${a.parties.map((p) => p.partyId).join(', ')}</td><td>${late ? html`<span class="tag late">${late} terlambat</span>` : '—'}</td></tr>`;
  })}</tbody></table></div>
${nextUrl ? html`<nav class="pages"><a href="${nextUrl}">Halaman berikutnya</a></nav>` : ''}</section>
${viewer.role === 'viewer' ? '' : createForm(createError)}`;
}

function createForm(error?: { message: string; field?: string }): Html {
  return html`<section id="form-create"><h2>Mulai kesepakatan baru</h2>
${error ? html`<div class="error-summary" role="alert"><h2>Tidak dapat disimpan</h2><p>${error.message}</p></div>` : ''}
<form method="post" action="/kesepakatan">
<label for="f-new-title">Judul</label><input id="f-new-title" name="title" required>
<label for="f-new-instrument">Instrumen</label><select id="f-new-instrument" name="instrument">${INSTRUMENTS.map((i) => html`<option value="${i}">${INSTRUMENT_LABEL[i]}</option>`)}</select>
<label for="f-new-initiator">Pihak pemrakarsa (id)</label><input id="f-new-initiator" name="initiator" required>
<label for="f-new-counterparts">Pihak mitra (id)</label><p class="hint">Satu per baris</p><textarea id="f-new-counterparts" name="counterparts" required></textarea>
<label for="f-new-scope">Ruang lingkup</label><p class="hint">Satu per baris</p><textarea id="f-new-scope" name="scope"></textarea>
<button>Mulai kesepakatan</button></form></section>`;
}

export interface AgreementPageData {
  view: AgreementView;
  events: { version: number; type: string; actor?: { kind: string; id: string; role?: string; partyId?: string }; recordedAt: string }[];
  notifications: { template: string; to: string[]; subject: string; status: string; sentAt?: string }[];
  parties: Directory;
  viewer: Viewer;
  error?: { form: string; message: string; field?: string };
  done?: string;
}

export function agreementPage(d: AgreementPageData): Html {
  const { view: v } = d;
  const tz = zoneOf(v);
  const reached = new Map(v.stageHistory.map((s) => [s.stage, s.at]));
  const current = STAGES.indexOf(v.stage);
  const forms = formsFor(v, d.viewer);
  return html`<p><a href="/kesepakatan">← Semua kesepakatan</a></p>
<h1>${v.title}</h1><p class="muted">${INSTRUMENT_LABEL[v.instrument]} · <code>${v.id}</code>${v.parentId ? html` · induk <a href="/kesepakatan/${v.parentId}">${v.parentId}</a>` : ''}${v.renewalOf ? html` · pembaruan dari <a href="/kesepakatan/${v.renewalOf}">${v.renewalOf}</a>` : ''}</p>
${d.done ? html`<div class="ok" role="status">${d.done}</div>` : ''}
${d.error ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>Ada masalah</h2><p><a href="#form-${d.error.form}">${d.error.message}</a></p></div>` : ''}
<section aria-label="Tahap"><ol class="stages">${STAGES.map((s, i) => html`<li class="${s === v.stage ? 'current' : i < current || reached.has(s) ? 'done' : ''}"${s === v.stage ? html` aria-current="step"` : ''}>${STAGE_LABEL[s]}${s === v.stage ? ' (sekarang)' : ''}${reached.get(s) ? html`<br><small>${formatDate(localDate(reached.get(s)!, tz))}</small>` : ''}</li>`)}</ol>
${v.stage === 'ended' && v.endReason ? html`<p>Berakhir: ${END_REASON_LABEL[v.endReason]}${v.endNote ? ` — ${v.endNote}` : ''}</p>` : ''}</section>
<div class="grid">
<section><h2>Para pihak</h2>${v.parties.map((p) => {
    const party = d.parties.get(p.partyId);
    return html`<h3>${party?.name ?? p.partyId} <span class="tag">${ROLE_LABEL[p.role]}</span></h3><ul>${(party?.contacts ?? []).map((c) => html`<li>${c.name}, ${c.position} (${c.role}) — ${c.email}</li>`)}</ul>`;
  })}</section>
<section><h2>Penandatanganan dan masa berlaku</h2>${v.signing
    ? html`<p>${when(v.signing.at, tz)} di ${v.signing.venue}${v.signing.rescheduled ? ` (dijadwalkan ulang ${v.signing.rescheduled}×)` : ''}</p>
<p>Penanda tangan: ${v.signing.signatories.map((s) => `${s.name} (${s.position})`).join('; ')}</p>
${v.signing.documentNumbers ? html`<p>Nomor dokumen: ${Object.entries(v.signing.documentNumbers).map(([k, n]) => `${k}: ${n}`).join('; ')}</p>` : ''}`
    : html`<p>Belum dijadwalkan.</p>`}
${v.term ? html`<p>Masa berlaku: ${day(v.term.start)} s.d. ${day(v.term.end)}</p>` : ''}
${v.reports.length ? html`<h3>Laporan monev</h3><ul>${v.reports.map((r) => html`<li>${r.period}: ${r.summary}</li>`)}</ul>` : ''}</section>
</div>
<section><h2>Pertemuan</h2>${v.meetings.length === 0 ? html`<p>Belum ada pertemuan.</p>` : ''}${v.meetings.map((m) => html`<h3>${MEETING_KIND_LABEL[m.kind]} — ${when(m.at, tz)}</h3><p>${m.venue}${m.agenda ? ` · ${m.agenda}` : ''}</p>
${m.minutes ? html`<details><summary>Notulen</summary><p>${m.minutes.summary}</p><p>Peserta: ${m.minutes.attendees.map((a) => `${a.name} (${a.position})`).join('; ')}</p>${m.minutes.outcome ? html`<p>Hasil: ${m.minutes.outcome}</p>` : ''}</details>` : html`<p class="muted">Notulen belum dicatat.</p>`}`)}</section>
<section><h2>Draf</h2>${v.drafts.length === 0 ? html`<p>Belum ada draf.</p>` : ''}<div class="table-wrap"><table>${v.drafts.length ? html`<thead><tr><th>Versi</th><th>Dokumen</th><th>Tinjauan</th></tr></thead>` : ''}<tbody>${v.drafts.map((dr) => html`<tr><td>${dr.version}</td><td><a href="${dr.documentUrl}">${dr.documentUrl}</a></td><td>${dr.reviews.map((r) => html`${partyName(d.parties, r.partyId)}: ${r.decision === 'approve' ? 'setuju' : 'minta perubahan'}${r.comments ? ` (${r.comments})` : ''}<br>`)}${dr.reviewDueOn ? html`<small>Batas tinjauan ${day(dr.reviewDueOn)}</small>` : ''}</td></tr>`)}</tbody></table></div></section>
<section><h2>Tindak lanjut dan rencana kerja</h2><div class="table-wrap"><table><thead><tr><th>Tindak lanjut</th><th>Pemilik</th><th>Batas</th><th>Pengingat</th><th>Terlambat sejak</th><th>Eskalasi</th><th>Status</th></tr></thead><tbody>
${v.followUps.map((f) => html`<tr><td>${f.title}${f.kind === 'work_plan' ? html` <span class="tag">rencana kerja</span>` : ''}</td><td>${partyName(d.parties, f.ownerPartyId)}</td><td>${day(f.due)}</td><td>${day(f.remindOn)}</td><td>${day(f.overdueOn)}</td><td>${f.escalationLevel ? html`<span class="tag late">tingkat ${f.escalationLevel}</span>` : '—'}</td>
<td>${f.status === 'open' ? (d.viewer.role === 'viewer' ? 'terbuka' : html`<form method="post" action="/kesepakatan/${v.id}/tindak-lanjut/${f.id}/selesai"><label for="n-${f.id}">Catatan</label><input id="n-${f.id}" name="note"><button class="secondary">Tandai selesai</button></form>`) : f.status === 'done' ? 'selesai' : 'dibatalkan'}</td></tr>`)}
</tbody></table></div></section>
<section><h2>Perjanjian kerja sama (PKS)</h2>${v.children.length === 0 ? html`<p>Belum ada.</p>` : html`<ul>${v.children.map((c) => html`<li><a href="/kesepakatan/${c.id}">${c.title}</a> — ${partyName(d.parties, c.partyId)} — ${STAGE_LABEL[c.stage]}${c.dueBy ? ` (target ${day(c.dueBy)})` : ''}</li>`)}</ul>`}</section>
${forms.map((f) => renderForm(f, v, d.viewer, d.parties, d.error?.form === f.id ? d.error : undefined))}
<section><h2>E-mail</h2><div class="table-wrap"><table><thead><tr><th>Perihal</th><th>Kepada</th><th>Status</th></tr></thead><tbody>${d.notifications.map((n) => html`<tr><td>${n.subject}</td><td>${n.to.join(', ')}</td><td>${n.status === 'sent' ? `terkirim ${n.sentAt ? formatInstant(n.sentAt, tz) : ''}` : 'menunggu'}</td></tr>`)}</tbody></table></div></section>
<section><h2>Riwayat</h2><details><summary>${d.events.length} kejadian</summary><div class="table-wrap"><table><thead><tr><th>#</th><th>Kejadian</th><th>Oleh</th><th>Waktu</th></tr></thead><tbody>${d.events.map((e) => html`<tr><td>${e.version}</td><td>${e.type}</td><td>${e.actor ? `${e.actor.kind}:${e.actor.partyId ?? e.actor.role ?? e.actor.id}` : ''}</td><td>${formatInstant(e.recordedAt, tz)}</td></tr>`)}</tbody></table></div></details></section>`;
}

export function deadlinesPage(items: DeadlineItem[], partyId: string | undefined): Html {
  return html`<h1>Tenggat</h1>
<section><form method="get" action="/tenggat"><label for="f-t-party">Pihak (id)</label><input id="f-t-party" name="partyId" value="${partyId ?? ''}"><button>Saring</button></form></section>
<section><div class="table-wrap"><table><thead><tr><th>Tindak lanjut</th><th>Kesepakatan</th><th>Pemilik</th><th>Batas</th><th>Eskalasi</th></tr></thead><tbody>
${items.length === 0 ? html`<tr><td colspan="5">Tidak ada tindak lanjut terbuka.</td></tr>` : ''}
${items.map((f) => html`<tr><td>${f.overdue ? html`<span class="tag late">terlambat</span> ` : ''}${f.title}</td><td><a href="/kesepakatan/${f.agreementId}">${f.agreementTitle}</a></td><td>${f.ownerPartyId}</td><td>${day(f.due)}</td><td>${f.escalationLevel ? `tingkat ${f.escalationLevel}` : '—'}</td></tr>`)}
</tbody></table></div></section>`;
}

export function calendarsPage(parties: { id: string; name: string }[], readOnly: boolean, shown?: { partyId: string; url?: string; revoked?: number }): Html {
  return html`<h1>Kalender</h1>
<section><p>Langganan kalender menampilkan pertemuan, upacara penandatanganan, dan batas tindak lanjut pihak Anda di Google Calendar atau Outlook
(tambahkan kalender "dari URL"). Undangan di e-mail dan entri kalender adalah acara yang sama.</p>
${shown?.url ? html`<div class="ok" role="status"><p>Tautan langganan untuk <strong>${shown.partyId}</strong> (simpan; hanya ditampilkan sekali):</p><p><input readonly value="${shown.url}" aria-label="Tautan langganan kalender"></p></div>` : ''}
${shown?.revoked !== undefined ? html`<div class="ok" role="status">${shown.revoked} tautan untuk ${shown.partyId} dicabut.</div>` : ''}
<div class="table-wrap"><table><thead><tr><th>Pihak</th><th>Tautan</th></tr></thead><tbody>
${parties.map((p) => html`<tr><td>${p.name} <code>${p.id}</code></td><td>${readOnly ? '—' : html`<form class="inline" method="post" action="/kalender/${p.id}"><button class="secondary" style="margin:0">Buat tautan langganan</button></form>
<form class="inline" method="post" action="/kalender/${p.id}/cabut"><button class="warning" style="margin:0">Cabut semua tautan</button></form>`}</td></tr>`)}
</tbody></table></div></section>`;
}
