// An umbrella's PKS at a glance: every OPD under its Pemda with its PKS stage and who is late, the form that starts
// the missing ones in one step, and the reminder to every OPD that has not signed yet.
import { compareDates } from '../../../domain/dates.js';
import { STAGE_LABEL } from '../../../domain/labels.js';
import type { ChildSummary, AgreementView } from '../../../domain/view.js';
import type { Party } from '../../../services/directory.js';
import { html, type Html } from '../html.js';
import { day, partyName, type Directory } from './format.js';

export interface CoverageRow {
  opd: Pick<Party, 'id' | 'name'>;
  pks?: ChildSummary;
  /** Its target date has passed and it is not signed. */
  late: boolean;
}

const signed = (c: ChildSummary): boolean => c.stage === 'active' || c.stage === 'ended';

/** Each OPD under the umbrella's parties in the directory, then any other party a PKS was started with. */
export function coverageOf(v: AgreementView, directory: Directory, today: string): CoverageRow[] {
  const above = new Set(v.parties.map((p) => p.partyId));
  const opds = [...directory.values()].filter((p) => p.kind === 'opd' && p.parentId && above.has(p.parentId));
  const others = v.children
    .filter((c) => !opds.some((o) => o.id === c.partyId))
    .map((c) => directory.get(c.partyId) ?? { id: c.partyId, name: c.partyId });
  return [...opds.sort((a, b) => a.name.localeCompare(b.name, 'id')), ...others].map((opd) => {
    const pks = v.children.find((c) => c.partyId === opd.id);
    const late = pks !== undefined && !signed(pks) && pks.dueBy !== undefined && compareDates(pks.dueBy, today) < 0;
    return { opd, ...(pks ? { pks } : {}), late };
  });
}

export interface CoverageData {
  view: AgreementView;
  directory: Directory;
  rows: CoverageRow[];
  /** The search over OPD names, when one was typed. */
  search?: string;
  /** The initiator and the UPTs under the same Kanwil, one of which carries out the PKS. */
  implementers: Pick<Party, 'id' | 'name'>[];
  mayStart: boolean;
  mayRemind: boolean;
  outcome?: Html;
  error?: { message: string; field?: string };
}

function summary(rows: CoverageRow[]): Html {
  const started = rows.filter((r) => r.pks).length;
  const done = rows.filter((r) => r.pks && signed(r.pks)).length;
  const late = rows.filter((r) => r.late).length;
  const counts = `${rows.length} OPD · ${started} PKS dimulai · ${done} sudah ditandatangani · ${late} terlambat`;
  return html`<p class="lead">${counts}</p>`;
}

function table(rows: CoverageRow[]): Html {
  const body = rows.map((r) => {
    const stage = r.pks
      ? html`<a href="/kesepakatan/${r.pks.id}">${STAGE_LABEL[r.pks.stage]}</a>`
      : html`<span class="muted">Belum dimulai</span>`;
    const late = r.late ? html` <span class="tag late">Terlambat</span>` : '';
    return html`<tr><td>${r.opd.name}</td><td>${stage}${late}</td><td>${r.pks?.dueBy ? day(r.pks.dueBy) : '—'}</td>
</tr>`;
  });
  return html`<div class="table-wrap" tabindex="0"><table><caption>Cakupan PKS per OPD</caption>
<thead><tr><th scope="col">OPD</th><th scope="col">Tahap PKS</th><th scope="col">Target tanda tangan</th></tr></thead>
<tbody>${body}</tbody></table></div>`;
}

function startForm(d: CoverageData, initiatorName: string): Html {
  const search = d.search?.toLowerCase();
  const missing = d.rows.filter((r) => !r.pks);
  const shown = search ? missing.filter((r) => r.opd.name.toLowerCase().includes(search)) : missing;
  if (missing.length === 0) return html`<p>Setiap OPD sudah punya PKS di bawah kesepakatan ini.</p>`;
  const fieldError = (name: string) =>
    d.error?.field?.split(/[.[]/)[0] === name ? html`<p class="field-error">${d.error.message}</p>` : '';
  const boxes = shown.map(
    (r) =>
      html`<label class="check"><input type="checkbox" name="opd-${r.opd.id}" value="1" checked> ${r.opd.name}</label>`,
  );
  const counted = search
    ? html`<p class="hint">Menampilkan ${shown.length} dari ${missing.length} OPD yang belum punya PKS.</p>`
    : '';
  return html`<form method="get" action="/kesepakatan/${d.view.id}/pks" class="search">
<label for="cari">Cari OPD</label><input id="cari" name="cari" type="search" value="${d.search ?? ''}" maxlength="200">
<button>Cari</button></form>
<form method="post" action="/kesepakatan/${d.view.id}/pks" novalidate>
<fieldset><legend>OPD yang akan dimulai PKS-nya</legend>${counted}${fieldError('opdIds')}${boxes}</fieldset>
<label for="pks-implementer">UPT pelaksana</label>${fieldError('implementerId')}
<select id="pks-implementer" name="implementerId">${d.implementers.map(
    (u) => html`
<option value="${u.id}">${u.name}</option>`,
  )}</select>
<label for="pks-title">Judul</label><p class="hint">{opd} diganti nama OPD.</p>${fieldError('title')}
<input id="pks-title" name="title" type="text" maxlength="200" required
value="Perjanjian Kerja Sama antara ${initiatorName} dan {opd}">
<label for="pks-scope">Ruang lingkup</label><p class="hint">Satu per baris</p>${fieldError('scope')}
<textarea id="pks-scope" name="scope">${d.view.scope.join('\n')}</textarea>
<label for="pks-due">Target penandatanganan (opsional)</label>${fieldError('dueBy')}
<input id="pks-due" name="dueBy" type="date">
<button>Mulai PKS untuk OPD yang dipilih</button></form>`;
}

function remindForm(d: CoverageData): Html | '' {
  const waiting = d.rows.filter((r) => r.pks && !signed(r.pks)).length;
  if (!d.mayRemind || waiting === 0) return '';
  return html`<section><h2>Ingatkan OPD</h2>
<p>${waiting} PKS belum ditandatangani. Setiap OPD-nya menerima satu e-mail pengingat.</p>
<form method="post" action="/kesepakatan/${d.view.id}/pks/ingatkan" novalidate>
<label for="pks-note">Pesan (opsional)</label><textarea id="pks-note" name="note" maxlength="5000"></textarea>
<button class="secondary">Ingatkan ${waiting} OPD yang belum menandatangani</button></form></section>`;
}

export function coveragePage(d: CoverageData): Html {
  const initiator = d.view.parties.find((p) => p.role === 'initiator')!.partyId;
  const problem = d.error
    ? html`<div class="error-summary" role="alert"><h2>Ada masalah</h2><p>${d.error.message}</p></div>`
    : '';
  return html`<p><a href="/kesepakatan/${d.view.id}">← ${d.view.title}</a></p>
<h1>PKS dengan OPD</h1>
${d.outcome ? html`<div class="ok" role="status">${d.outcome}</div>` : ''}${problem}
${summary(d.rows)}
${table(d.rows)}
${remindForm(d)}
${
  d.mayStart
    ? html`<section>
<h2>Mulai PKS sekaligus</h2>${startForm(d, partyName(d.directory, initiator))}</section>`
    : ''
}`;
}
