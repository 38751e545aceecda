// The command forms of the agreement page: which appear (role and stage), their fields, and the API body they make.
import { localDate, zoneOffsetHours } from '../../domain/dates.js';
import type { Stage, TimeZone } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import { html, type Html } from './html.js';

export interface Viewer {
  role: 'admin' | 'party' | 'viewer';
  partyId?: string;
}

type Field =
  | { name: string; label: string; hint?: string; type: 'text' | 'date' | 'datetime-local' | 'url' | 'email' | 'textarea'; required?: boolean }
  | { name: string; label: string; hint?: string; type: 'select'; options: [string, string][]; required?: boolean };

export interface CommandForm {
  id: string;
  title: string;
  button: string;
  stages: Stage[];
  /** Extra condition beyond role and stage. */
  when?: (view: AgreementView, viewer: Viewer) => boolean;
  fields: (view: AgreementView, viewer: Viewer) => Field[];
  path: (view: AgreementView, form: URLSearchParams) => string;
  body: (view: AgreementView, form: URLSearchParams) => unknown;
}

const lines = (s: string | null): string[] => (s ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
const optional = (form: URLSearchParams, name: string): Record<string, string> => (form.get(name) ? { [name]: form.get(name)! } : {});
const initiatorZone = (v: AgreementView): TimeZone => v.parties.find((p) => p.role === 'initiator')?.timeZone ?? 'Asia/Jakarta';

/** A `datetime-local` value read in the initiator's zone: "2026-02-06T09:00" -> "2026-02-06T09:00:00+07:00". */
export function withZone(local: string | null, tz: TimeZone): string {
  if (!local) return '';
  const h = zoneOffsetHours(tz);
  return `${local.length === 16 ? `${local}:00` : local}+${String(h).padStart(2, '0')}:00`;
}

const partyOptions = (v: AgreementView): [string, string][] => v.parties.map((p) => [p.partyId, p.partyId]);
const ownOrAll = (v: AgreementView, viewer: Viewer): [string, string][] =>
  viewer.role === 'party' ? partyOptions(v).filter(([id]) => id === viewer.partyId) : partyOptions(v);

export const FORMS: CommandForm[] = [
  {
    id: 'meetings', title: 'Jadwalkan pertemuan', button: 'Jadwalkan audiensi', stages: ['exploration', 'drafting', 'active'],
    fields: () => [
      { name: 'kind', label: 'Jenis pertemuan', type: 'select', options: [['audiensi', 'Audiensi'], ['coordination', 'Rapat koordinasi'], ['work_plan', 'Rapat rencana kerja']] },
      { name: 'at', label: 'Waktu', hint: 'Menurut zona waktu pihak pemrakarsa', type: 'datetime-local', required: true },
      { name: 'venue', label: 'Tempat', type: 'text', required: true },
      { name: 'agenda', label: 'Agenda (opsional)', type: 'textarea' },
    ],
    path: (v) => `/v1/agreements/${v.id}/meetings`,
    body: (v, f) => ({ kind: f.get('kind'), at: withZone(f.get('at'), initiatorZone(v)), venue: f.get('venue'), ...optional(f, 'agenda') }),
  },
  {
    id: 'minutes', title: 'Catat notulen', button: 'Simpan notulen', stages: ['exploration', 'drafting', 'active'],
    when: (v) => v.meetings.some((m) => !m.minutes),
    fields: (v) => [
      { name: 'meetingId', label: 'Pertemuan', type: 'select', options: v.meetings.filter((m) => !m.minutes).map((m) => [m.id, `${m.kind} — ${m.at} — ${m.venue}`]) },
      { name: 'attendees', label: 'Peserta', hint: 'Satu per baris: nama; jabatan; id pihak', type: 'textarea', required: true },
      { name: 'summary', label: 'Ringkasan', type: 'textarea', required: true },
      { name: 'agreedScope', label: 'Ruang lingkup yang disepakati (opsional)', hint: 'Satu per baris', type: 'textarea' },
      { name: 'outcome', label: 'Hasil', type: 'select', options: [['', '—'], ['proceed_to_drafting', 'Lanjut ke penyusunan draf'], ['another_meeting', 'Pertemuan lanjutan'], ['withdrawn', 'Tidak dilanjutkan']] },
    ],
    path: (v, f) => `/v1/agreements/${v.id}/meetings/${encodeURIComponent(f.get('meetingId') ?? '')}/minutes`,
    body: (_v, f) => ({
      attendees: lines(f.get('attendees')).map((l) => {
        const [name = '', position = '', partyId = ''] = l.split(';').map((x) => x.trim());
        return { name, position, partyId };
      }),
      summary: f.get('summary'),
      ...(lines(f.get('agreedScope')).length ? { agreedScope: lines(f.get('agreedScope')) } : {}),
      ...optional(f, 'outcome'),
    }),
  },
  {
    id: 'drafts', title: 'Ajukan draf', button: 'Ajukan draf', stages: ['drafting'],
    fields: () => [
      { name: 'documentUrl', label: 'Tautan dokumen', type: 'url', required: true },
      { name: 'sha256', label: 'SHA-256 (opsional)', type: 'text' },
      { name: 'note', label: 'Catatan (opsional)', type: 'textarea' },
    ],
    path: (v) => `/v1/agreements/${v.id}/drafts`,
    body: (_v, f) => ({ documentUrl: f.get('documentUrl'), ...optional(f, 'sha256'), ...optional(f, 'note') }),
  },
  {
    id: 'review', title: 'Tinjau draf terbaru', button: 'Setujui', stages: ['drafting'],
    when: (v) => v.drafts.length > 0,
    fields: (v, viewer) => [
      { name: 'partyId', label: 'Atas nama pihak', type: 'select', options: ownOrAll(v, viewer) },
      { name: 'decision', label: 'Keputusan', type: 'select', options: [['approve', 'Setujui'], ['request_changes', 'Minta perubahan']] },
      { name: 'comments', label: 'Catatan (opsional)', type: 'textarea' },
    ],
    path: (v) => `/v1/agreements/${v.id}/drafts/${v.drafts.at(-1)?.version ?? 0}/reviews`,
    body: (_v, f) => ({ partyId: f.get('partyId'), decision: f.get('decision'), ...optional(f, 'comments') }),
  },
  {
    id: 'signing', title: 'Jadwalkan penandatanganan', button: 'Jadwalkan penandatanganan', stages: ['signing'],
    fields: () => [
      { name: 'at', label: 'Waktu', type: 'datetime-local', required: true },
      { name: 'venue', label: 'Tempat', type: 'text', required: true },
      { name: 'signatories', label: 'Penanda tangan', hint: 'Satu per baris: id pihak; nama; jabatan', type: 'textarea', required: true },
    ],
    path: (v) => `/v1/agreements/${v.id}/signing`,
    body: (v, f) => ({
      at: withZone(f.get('at'), initiatorZone(v)),
      venue: f.get('venue'),
      signatories: lines(f.get('signatories')).map((l) => {
        const [partyId = '', name = '', position = ''] = l.split(';').map((x) => x.trim());
        return { partyId, name, position };
      }),
    }),
  },
  {
    id: 'record', title: 'Catat penandatanganan', button: 'Catat penandatanganan', stages: ['signing'],
    when: (v, viewer) => Boolean(v.signing) && (viewer.role === 'admin' || v.parties.some((p) => p.role === 'initiator' && p.partyId === viewer.partyId)),
    fields: (v) => [
      { name: 'signedAt', label: 'Tanggal penandatanganan', type: 'date', required: true },
      ...v.parties.filter((p) => p.role !== 'witness').map((p): Field => ({ name: `doc-${p.partyId}`, label: `Nomor dokumen ${p.partyId}`, type: 'text', required: true })),
    ],
    path: (v) => `/v1/agreements/${v.id}/signing/record`,
    body: (v, f) => ({
      signedAt: f.get('signedAt'),
      documentNumbers: Object.fromEntries(v.parties.filter((p) => f.get(`doc-${p.partyId}`)).map((p) => [p.partyId, f.get(`doc-${p.partyId}`)])),
    }),
  },
  {
    id: 'follow-up', title: 'Tambah tindak lanjut', button: 'Tambah tindak lanjut', stages: ['exploration', 'drafting', 'signing', 'active'],
    fields: (v) => [
      { name: 'title', label: 'Tindak lanjut', type: 'text', required: true },
      { name: 'ownerPartyId', label: 'Pemilik', type: 'select', options: partyOptions(v) },
      { name: 'ownerEmail', label: 'E-mail pemilik (opsional)', type: 'email' },
      { name: 'due', label: 'Batas waktu', type: 'date', required: true },
      { name: 'kind', label: 'Jenis', type: 'select', options: [['follow_up', 'Tindak lanjut'], ['work_plan', 'Rencana kerja']] },
    ],
    path: (v) => `/v1/agreements/${v.id}/follow-ups`,
    body: (_v, f) => ({ title: f.get('title'), ownerPartyId: f.get('ownerPartyId'), due: f.get('due'), kind: f.get('kind'), ...optional(f, 'ownerEmail') }),
  },
  {
    id: 'pks', title: 'Mulai PKS dengan OPD', button: 'Mulai PKS', stages: ['active'],
    fields: () => [
      { name: 'partyId', label: 'Id pihak OPD', type: 'text', required: true },
      { name: 'title', label: 'Judul', type: 'text', required: true },
      { name: 'scope', label: 'Ruang lingkup', hint: 'Satu per baris', type: 'textarea' },
      { name: 'dueBy', label: 'Target penandatanganan (opsional)', type: 'date' },
    ],
    path: (v) => `/v1/agreements/${v.id}/operational-agreements`,
    body: (_v, f) => ({ partyId: f.get('partyId'), title: f.get('title'), scope: lines(f.get('scope')), ...optional(f, 'dueBy') }),
  },
  {
    id: 'report', title: 'Catat laporan monev', button: 'Simpan laporan', stages: ['active'],
    fields: () => [
      { name: 'period', label: 'Periode', type: 'text', required: true },
      { name: 'summary', label: 'Ringkasan', type: 'textarea', required: true },
      { name: 'documentUrl', label: 'Tautan dokumen (opsional)', type: 'url' },
    ],
    path: (v) => `/v1/agreements/${v.id}/reports`,
    body: (_v, f) => ({ period: f.get('period'), summary: f.get('summary'), ...optional(f, 'documentUrl') }),
  },
  {
    id: 'renewal', title: 'Keputusan pembaruan', button: 'Simpan keputusan', stages: ['active'],
    when: (v) => !v.renewal,
    fields: () => [{ name: 'decision', label: 'Keputusan', type: 'select', options: [['renew', 'Perbarui'], ['end', 'Biarkan berakhir']] }],
    path: (v) => `/v1/agreements/${v.id}/renewal`,
    body: (_v, f) => ({ decision: f.get('decision') }),
  },
  {
    id: 'cancel', title: 'Batalkan kesepakatan', button: 'Batalkan kesepakatan', stages: ['exploration', 'drafting', 'signing', 'active'],
    fields: () => [{ name: 'reason', label: 'Alasan', type: 'textarea', required: true }],
    path: (v) => `/v1/agreements/${v.id}/cancel`,
    body: (_v, f) => ({ reason: f.get('reason') }),
  },
];

export function formsFor(view: AgreementView, viewer: Viewer): CommandForm[] {
  if (viewer.role === 'viewer') return [];
  return FORMS.filter((f) => f.stages.includes(view.stage) && (f.when?.(view, viewer) ?? true));
}

export function renderForm(form: CommandForm, view: AgreementView, viewer: Viewer, error?: { message: string; field?: string }): Html {
  const fields = form.fields(view, viewer);
  return html`<section id="form-${form.id}"><h2>${form.title}</h2>
${error ? html`<div class="error-summary" role="alert"><h2>Tidak dapat disimpan</h2><p>${error.message}</p></div>` : ''}
<form method="post" action="/kesepakatan/${view.id}/aksi/${form.id}" novalidate>
${fields.map((f) => {
    const id = `f-${form.id}-${f.name}`;
    const fieldError = error?.field && error.field.split(/[.[]/)[0] === f.name ? html`<p class="field-error">${error.message}</p>` : '';
    const control =
      f.type === 'select'
        ? html`<select id="${id}" name="${f.name}">${f.options.map(([value, label]) => html`<option value="${value}">${label}</option>`)}</select>`
        : f.type === 'textarea'
          ? html`<textarea id="${id}" name="${f.name}"${f.required ? html` required` : ''}></textarea>`
          : html`<input id="${id}" name="${f.name}" type="${f.type}"${f.required ? html` required` : ''}>`;
    return html`<label for="${id}">${f.label}</label>${f.hint ? html`<p class="hint">${f.hint}</p>` : ''}${fieldError}${control}`;
  })}
<button>${form.button}</button></form></section>`;
}

export const today = (): string => localDate(Date.now(), 'Asia/Jakarta');
