// One agreement's page: a rendering function per section, each given only what it shows.
import { mayCloseFollowUp, type Viewer } from '../../../domain/allowed.js';
import { localDate } from '../../../domain/dates.js';
import { whyNot } from '../../../domain/preconditions.js';
import { formatDate, formatInstant } from '../../../domain/format.js';
import {
  CONTACT_ROLE_LABEL,
  END_REASON_LABEL,
  INSTRUMENT_LABEL,
  MEETING_KIND_LABEL,
  MINUTES_OUTCOME_LABEL,
  ROLE_LABEL,
  STAGE_LABEL,
} from '../../../domain/labels.js';
import { STAGES, ceremonyOf, type FollowUp, type Meeting, type TimeZone } from '../../../domain/types.js';
import type { AgreementView } from '../../../domain/view.js';
import type { EventItem, NotificationItem } from '../../../services/agreements.js';
import { formsFor, nextStepOf, refusedField, renderForm, type FormRefusal } from '../forms.js';
import { html, type Html } from '../html.js';
import { day, partyName, personLine, when, zoneOf, type Directory } from './format.js';
import type { DocumentInfo } from '../../../services/documents/documents.js';
import { documentsSection } from './documents.js';
import { historySection } from './history.js';
import { signingRoundSection } from './signing-round.js';

export interface AgreementPageData {
  view: AgreementView;
  events: EventItem[];
  notifications: NotificationItem[];
  parties: Directory;
  viewer: Viewer;
  /** The files kept for this agreement. */
  documents: DocumentInfo[];
  error?: FormRefusal & { form: string };
  done?: string;
  /** The history with its e-mail receipts too. */
  allHistory?: boolean;
  /** While signing is being scheduled: each party's next number from its template. */
  proposedNumbers?: Record<string, string>;
}

export function agreementPage(d: AgreementPageData): Html {
  const { view: v, parties } = d;
  const tz = zoneOf(v);
  const context = { ...(d.proposedNumbers ? { proposedNumbers: d.proposedNumbers } : {}), documents: d.documents };
  const offered = formsFor(v, d.viewer);
  const render = (f: (typeof offered)[number]) =>
    renderForm(f, v, d.viewer, parties, d.error?.form === f.id ? d.error : undefined, context);
  // On a phone the page is the next step first; every other action is folded under "Tindakan lain".
  const next = nextStepOf(v, offered);
  const others = offered.filter((f) => f !== next);
  const refusedInOthers = others.some((f) => f.id === d.error?.form);
  const nextStep = next ? html`<div class="next-step">${render(next)}</div>` : '';
  const more = others.length
    ? html`<details class="more-actions"${refusedInOthers ? html` open` : ''}>
<summary>Tindakan lain (${others.length})</summary>${others.map(render)}</details>`
    : '';
  return html`<p><a href="/kesepakatan">← Semua kesepakatan</a></p>
${heading(v)}
${d.done ? html`<div class="ok" role="status">${d.done}</div>` : ''}
${d.error ? problem(d.error, errorAnchor(d, offered)) : ''}
${stagesSection(v, tz)}
${nextStep}
<div class="grid">${partiesSection(v, parties)}${signingSection(v, parties, tz)}</div>
${signingRoundSection(v, parties, tz, d.viewer)}
${meetingsSection(v.meetings, parties, tz)}
${draftsSection(v, parties, d.documents)}
${documentsSection(v, d.documents, d.viewer.role !== 'viewer' && !d.viewer.followUpsOnly)}
${followUpsSection(v, parties, d.viewer)}
${childrenSection(v, parties)}
${more}
${mailSection(d.notifications, tz)}
${historySection(v, d.events, parties, tz, d.allHistory ?? false)}`;
}

function heading(v: AgreementView): Html {
  const parent = v.parentId ? html` · <a href="/kesepakatan/${v.parentId}">kesepakatan induk</a>` : '';
  const renewal = v.renewalOf
    ? html` · <a href="/kesepakatan/${v.renewalOf}">pembaruan dari kesepakatan sebelumnya</a>`
    : '';
  return html`<h1>${v.title}</h1>
<p class="muted">${INSTRUMENT_LABEL[v.instrument]} · ${STAGE_LABEL[v.stage]}${parent}${renewal}</p>`;
}

/** Where the summary's link leads: the refused field, or else its form. */
function errorAnchor(d: AgreementPageData, offered: ReturnType<typeof formsFor>): string {
  const form = offered.find((f) => f.id === d.error?.form);
  const context = { ...(d.proposedNumbers ? { proposedNumbers: d.proposedNumbers } : {}), documents: d.documents };
  const at = form ? refusedField(form, form.fields(d.view, d.viewer, d.parties, context), d.error?.field) : undefined;
  return at ? `#f-${d.error?.form}-${at}` : `#form-${d.error?.form}`;
}

function problem(error: { form: string; message: string }, anchor: string): Html {
  return html`<div class="error-summary" role="alert" tabindex="-1"><h2>Ada masalah</h2>
<p><a href="${anchor}">${error.message}</a></p></div>`;
}

function stagesSection(v: AgreementView, tz: TimeZone): Html {
  const reached = new Map(v.stageHistory.map((s) => [s.stage, s.at]));
  const current = STAGES.indexOf(v.stage);
  const steps = STAGES.map((s, i) => {
    const state = s === v.stage ? 'current' : i < current || reached.has(s) ? 'done' : '';
    const at = reached.get(s);
    const date = at ? html`<br><small>${formatDate(localDate(at, tz))}</small>` : '';
    const aria = s === v.stage ? html` aria-current="step"` : '';
    return html`<li class="${state}"${aria}>${STAGE_LABEL[s]}${s === v.stage ? ' (sekarang)' : ''}${date}</li>`;
  });
  const ended =
    v.stage === 'ended' && v.endReason
      ? html`<p>Berakhir: ${END_REASON_LABEL[v.endReason]}${v.endNote ? ` — ${v.endNote}` : ''}</p>`
      : '';
  return html`<section aria-label="Tahap"><ol class="stages">${steps}</ol>${ended}</section>`;
}

function partiesSection(v: AgreementView, parties: Directory): Html {
  const each = v.parties.map((p) => {
    const party = parties.get(p.partyId);
    const contacts = (party?.contacts ?? []).map(
      (c) => html`<li>${c.name}, ${c.position} (${CONTACT_ROLE_LABEL[c.role]}) — ${c.email}</li>`,
    );
    return html`<h3>${party?.name ?? p.partyId} <span class="tag">${ROLE_LABEL[p.role]}</span></h3>
<ul>${contacts}</ul>`;
  });
  return html`<section><h2>Para pihak</h2>${each}</section>`;
}

function signingSection(v: AgreementView, parties: Directory, tz: TimeZone): Html {
  const s = v.signing;
  const moved = s?.rescheduled ? ` (dijadwalkan ulang ${s.rescheduled}×)` : '';
  const numbers =
    s?.documentNumbers && Object.keys(s.documentNumbers).length > 0
      ? html`<p>Nomor dokumen: ${Object.entries(s.documentNumbers)
          .map(([id, n]) => `${partyName(parties, id)}: ${n}`)
          .join('; ')}</p>`
      : '';
  const calledOff = s?.cancelled ? html`<p><span class="tag late">Dibatalkan</span> ${s.cancelled.reason}</p>` : '';
  const held = ceremonyOf(s);
  const ceremony = held
    ? html`<p>${when(held.at, tz)} di ${held.venue}${moved}</p>${calledOff}
<p>Penanda tangan: ${held.signatories.map((x) => personLine(parties, x)).join('; ')}</p>${numbers}`
    : s
      ? html`<p>Penandatanganan elektronik (TTE)${s.signedAt ? '' : ', sedang berjalan'}.</p>${calledOff}${numbers}`
      : html`<p>Belum dijadwalkan.</p>`;
  const term = v.term ? html`<p>Masa berlaku: ${day(v.term.start)} s.d. ${day(v.term.end)}</p>` : '';
  const reports = v.reports.length
    ? html`<h3>Laporan monev</h3><ul>${v.reports.map((r) => html`<li>${r.period}: ${r.summary}</li>`)}</ul>`
    : '';
  return html`<section><h2>Penandatanganan dan masa berlaku</h2>${ceremony}${term}${reports}</section>`;
}

function meeting(m: Meeting, parties: Directory, tz: TimeZone): Html {
  const minutes = m.minutes
    ? html`<details><summary>Notulen</summary><p>${m.minutes.summary}</p>
<p>Peserta: ${m.minutes.attendees.map((a) => personLine(parties, a)).join('; ')}</p>
${m.minutes.outcome ? html`<p>Hasil: ${MINUTES_OUTCOME_LABEL[m.minutes.outcome]}</p>` : ''}</details>`
    : m.cancelled
      ? html`<p><span class="tag late">Dibatalkan</span> ${m.cancelled.reason}</p>`
      : html`<p class="muted">Notulen belum dicatat.</p>`;
  return html`<h3>${MEETING_KIND_LABEL[m.kind]} — ${when(m.at, tz)}</h3>
<p>${m.venue}${m.agenda ? ` · ${m.agenda}` : ''}</p>${minutes}`;
}

function meetingsSection(meetings: Meeting[], parties: Directory, tz: TimeZone): Html {
  const none = meetings.length === 0 ? html`<p>Belum ada pertemuan.</p>` : '';
  return html`<section><h2>Pertemuan</h2>${none}${meetings.map((m) => meeting(m, parties, tz))}</section>`;
}

function draftsSection(v: AgreementView, parties: Directory, documents: DocumentInfo[]): Html {
  const names = new Map(documents.map((doc) => [doc.id, doc.filename]));
  if (v.drafts.length === 0) return html`<section><h2>Draf</h2><p>Belum ada draf.</p></section>`;
  const rows = v.drafts.map((dr) => {
    const reviews = dr.reviews.map((r) => {
      const said = r.decision === 'approve' ? 'setuju' : 'minta perubahan';
      return html`${partyName(parties, r.partyId)}: ${said}${r.comments ? ` (${r.comments})` : ''}<br>`;
    });
    const due = dr.reviewDueOn ? html`<small>Batas tinjauan ${day(dr.reviewDueOn)}</small>` : '';
    const kept = dr.documentId ? `/dokumen/${dr.documentId}` : undefined;
    const name = (dr.documentId && names.get(dr.documentId)) ?? dr.documentUrl;
    const file = html`<a href="${kept ?? dr.documentUrl}">${name}</a>`;
    const changed =
      dr.version > 1 && dr.documentId
        ? html`<br><a href="/kesepakatan/${v.id}/draf/${dr.version}/perubahan">Lihat perubahan dari versi
${dr.version - 1}</a>${dr.changes ? ` (${dr.changes.added} kata ditambah, ${dr.changes.removed} dihapus)` : ''}`
        : '';
    return html`<tr><td>${dr.version}</td><td>${file}${changed}</td><td>${reviews}${due}</td></tr>`;
  });
  return html`<section><h2>Draf</h2><div class="table-wrap" tabindex="0"><table>
<thead><tr><th>Versi</th><th>Dokumen</th><th>Tinjauan</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function followUpStatus(v: AgreementView, f: FollowUp, viewer: Viewer): Html | string {
  if (f.status === 'done') return 'selesai';
  if (f.status === 'cancelled') return 'dibatalkan';
  if (!mayCloseFollowUp(viewer, f.ownerPartyId)) return 'terbuka';
  // The domain's answer: a step of an electronic round, say, closes with its signed copy, not by hand.
  const refused = whyNot(v, { type: 'completeFollowUp', followUpId: f.id });
  if (refused) return html`<span class="muted">${refused.message}</span>`;
  return html`<form method="post" action="/kesepakatan/${v.id}/tindak-lanjut/${f.id}/selesai">
<label for="n-${f.id}">Catatan</label><input id="n-${f.id}" name="note">
<button class="secondary">Tandai selesai</button></form>`;
}

function followUpRow(v: AgreementView, f: FollowUp, parties: Directory, viewer: Viewer): Html {
  const plan = f.kind === 'work_plan' ? html` <span class="tag">rencana kerja</span>` : '';
  const level = f.escalationLevel ? html`<span class="tag late">tingkat ${f.escalationLevel}</span>` : '—';
  return html`<tr><td>${f.title}${plan}</td><td>${partyName(parties, f.ownerPartyId)}</td><td>${day(f.due)}</td>
<td>${day(f.remindOn)}</td><td>${day(f.overdueOn)}</td><td>${level}</td><td>${followUpStatus(v, f, viewer)}</td></tr>`;
}

function followUpsSection(v: AgreementView, parties: Directory, viewer: Viewer): Html {
  return html`<section><h2>Tindak lanjut dan rencana kerja</h2><div class="table-wrap" tabindex="0"><table><thead><tr>
<th>Tindak lanjut</th><th>Pemilik</th><th>Batas</th><th>Pengingat</th><th>Terlambat sejak</th><th>Eskalasi</th>
<th>Status</th>
</tr></thead><tbody>${v.followUps.map((f) => followUpRow(v, f, parties, viewer))}</tbody></table></div></section>`;
}

function childrenSection(v: AgreementView, parties: Directory): Html {
  const items = v.children.map((c) => {
    const target = c.dueBy ? ` (target ${day(c.dueBy)})` : '';
    const link = html`<a href="/kesepakatan/${c.id}">${c.title}</a>`;
    return html`<li>${link} — ${partyName(parties, c.partyId)} — ${STAGE_LABEL[c.stage]}${target}</li>`;
  });
  const body = v.children.length === 0 ? html`<p>Belum ada.</p>` : html`<ul>${items}</ul>`;
  const coverage = v.parentId
    ? ''
    : html`<p><a href="/kesepakatan/${v.id}/pks">Cakupan PKS per OPD, mulai PKS sekaligus, ingatkan OPD →</a></p>`;
  return html`<section><h2>Perjanjian kerja sama (PKS)</h2>${body}${coverage}</section>`;
}

function mailSection(notifications: NotificationItem[], tz: TimeZone): Html {
  const rows = notifications.map((n) => {
    const status = n.status === 'sent' ? `terkirim ${n.sentAt ? formatInstant(n.sentAt, tz) : ''}` : 'menunggu';
    return html`<tr><td>${n.subject}</td><td>${n.to.join(', ')}</td><td>${status}</td></tr>`;
  });
  // The e-mail receipts are there when asked for, not in the way.
  return html`<section><h2>E-mail</h2><details><summary>${notifications.length} e-mail terkirim atau menunggu</summary>
<div class="table-wrap" tabindex="0"><table>
<thead><tr><th>Perihal</th><th>Kepada</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></div></details>
</section>`;
}
