// The list of agreements: filters, one row per agreement, and the form that starts a new one.
import { INSTRUMENT_LABEL, STAGE_LABEL } from '../../../domain/labels.js';
import { INSTRUMENTS, STAGES } from '../../../domain/types.js';
import type { AgreementSummary } from '../../../domain/view.js';
import type { Viewer } from '../../../domain/allowed.js';
import type { Party } from '../../../services/directory.js';
import { html, type Html } from '../html.js';
import { partyChecklist, partySelect } from './controls.js';
import { partyName, type Directory } from './format.js';

export interface ListFilters {
  stage?: string;
  partyId?: string;
  instrument?: string;
  overdue?: boolean;
  q?: string;
}

export interface ListPageData {
  items: AgreementSummary[];
  filters: ListFilters;
  nextUrl?: string;
  viewer: Viewer;
  parties: Party[];
  createError?: StartRefusal;
}

export function listPage(d: ListPageData): Html {
  const directory: Directory = new Map(d.parties.map((p) => [p.id, p]));
  return html`<h1>Kesepakatan</h1>
${filterSection(d.filters, d.parties)}
${tableSection(d.items, directory, d.nextUrl)}
${d.viewer.role === 'viewer' ? '' : createSection(d.parties, d.createError, d.viewer.partyId)}`;
}

function option<T extends string>(value: T, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
}

function filterSection(filters: ListFilters, parties: Party[]): Html {
  const stages = STAGES.map((s) => option(s, STAGE_LABEL[s], filters.stage));
  const instruments = INSTRUMENTS.map((i) => option(i, INSTRUMENT_LABEL[i], filters.instrument));
  const overdue = filters.overdue ? html` checked` : '';
  return html`<section><form method="get" action="/kesepakatan" class="grid">
<div><label for="f-stage">Tahap</label>
<select id="f-stage" name="stage"><option value="">Semua</option>${stages}</select></div>
<div><label for="f-instrument">Instrumen</label>
<select id="f-instrument" name="instrument"><option value="">Semua</option>${instruments}</select></div>
<div><label for="f-party">Pihak</label>${partySelect('f-party', 'partyId', parties, filters.partyId, 'Semua')}</div>
<div><label for="f-q">Cari judul</label><input id="f-q" name="q" value="${filters.q ?? ''}"></div>
<div><label for="f-overdue">
<input id="f-overdue" type="checkbox" name="overdue" value="true" class="auto"${overdue}> Hanya yang terlambat
</label></div>
<div><button>Terapkan saring</button></div></form>
<p>${downloads(filters)}</p></section>`;
}

/** "Unduh Excel" and "Unduh CSV" with the filters now applied. */
function downloads(filters: ListFilters): Html {
  const query = new URLSearchParams(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined && v !== '' && v !== false)
      .map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  const suffix = query ? `?${query}` : '';
  return html`<a href="/kesepakatan/unduh.xlsx${suffix}">Unduh Excel</a> ·
<a href="/kesepakatan/unduh.csv${suffix}">Unduh CSV</a>`;
}

function row(a: AgreementSummary, directory: Directory): Html {
  const late = a.followUpsOverdue ? html`<span class="tag late">${a.followUpsOverdue} terlambat</span>` : '—';
  const parties = a.parties.map((p) => partyName(directory, p.partyId)).join('; ');
  return html`<tr><td><a href="/kesepakatan/${a.id}">${a.title}</a></td><td>${INSTRUMENT_LABEL[a.instrument]}</td>
<td>${STAGE_LABEL[a.stage]}</td><td>${parties}</td><td>${late}</td></tr>`;
}

function tableSection(items: AgreementSummary[], directory: Directory, nextUrl: string | undefined): Html {
  const empty = items.length === 0 ? html`<tr><td colspan="5">Tidak ada kesepakatan.</td></tr>` : '';
  const next = nextUrl ? html`<nav class="pages"><a href="${nextUrl}">Halaman berikutnya</a></nav>` : '';
  return html`<section><div class="table-wrap" tabindex="0"><table>
<thead><tr><th>Judul</th><th>Instrumen</th><th>Tahap</th><th>Para pihak</th><th>Terlambat</th></tr></thead>
<tbody>${empty}${items.map((a) => row(a, directory))}</tbody></table></div>${next}</section>`;
}

/** A refused start: the message, the field it names, and what was typed. */
export interface StartRefusal {
  message: string;
  field?: string;
  values?: Partial<Record<string, string>>;
}

/** Which of the start form's fields a refused body field belongs to. */
function startFieldOf(field: string | undefined): string | undefined {
  if (!field) return undefined;
  if (field.startsWith('parties[0]')) return 'initiator';
  if (field.startsWith('parties')) return 'mitra';
  const root = field.split(/[.[]/)[0] ?? '';
  return ['title', 'instrument', 'scope'].includes(root) ? root : undefined;
}

/** The start form; a party's own people start their own agreements, so their party is the initiator chosen. */
function createSection(parties: Party[], error: StartRefusal | undefined, ownParty: string | undefined): Html {
  const at = startFieldOf(error?.field);
  const link = at === 'mitra' ? '#f-mitra-' : at ? `#f-new-${at}` : '#form-create';
  const summary = error
    ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>Tidak dapat disimpan</h2><p>
<a href="${link}">${error.message}</a></p></div>`
    : '';
  const v = error?.values ?? {};
  const wrongAt = (name: string) =>
    at === name
      ? html`<p class="field-error"><span class="visually-hidden">Kesalahan: </span>${error?.message}</p>`
      : '';
  const invalid = (name: string) => (at === name ? html` aria-invalid="true"` : '');
  const instruments = INSTRUMENTS.map(
    (i) => html`<option value="${i}"${v['instrument'] === i ? html` selected` : ''}>${INSTRUMENT_LABEL[i]}</option>`,
  );
  return html`<section id="form-create"><h2>Mulai kesepakatan baru</h2>${summary}
<form method="post" action="/kesepakatan" novalidate>
<label for="f-new-title">Judul</label>${wrongAt('title')}
<input id="f-new-title" name="title" required maxlength="200" value="${v['title'] ?? ''}"${invalid('title')}>
<label for="f-new-instrument">Instrumen</label>${wrongAt('instrument')}
<select id="f-new-instrument" name="instrument">${instruments}</select>
<label for="f-new-initiator">Pihak pemrakarsa</label>${wrongAt('initiator')}
${partySelect('f-new-initiator', 'initiator', parties, v['initiator'] ?? ownParty)}
${partyChecklist('Pihak mitra', 'mitra-', parties, (id) => Boolean(v[`mitra-${id}`]), wrongAt('mitra'))}
<label for="f-new-scope">Ruang lingkup</label><p class="hint">Satu per baris</p>${wrongAt('scope')}
<textarea id="f-new-scope" name="scope"${invalid('scope')}>${v['scope'] ?? ''}</textarea>
<button>Mulai kesepakatan</button></form></section>`;
}
