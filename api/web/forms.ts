// The command forms of the agreement page: their fields, the /v1 route's body they make (validated by the same
// schema), and the domain command they send. Which forms appear is the domain's answer (allowedCommands).
import type { TSchema } from 'typebox';
import { allowedCommands, mayActFor, type Viewer } from '../../domain/allowed.js';
import { localDate, zoneOffsetHours } from '../../domain/dates.js';
import { formatInstant } from '../../domain/format.js';
import { MEETING_KIND_LABEL } from '../../domain/labels.js';
import { numberedParties } from '../../domain/numbering.js';
import { whyNot } from '../../domain/preconditions.js';
import type { Contact, TimeZone } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';

import { OperationalAgreementInput } from '../schemas/agreements.js';

import { html, type Html } from './html.js';
import { partyName, type Directory } from './pages/format.js';
import type { FormBody } from './schemas.js';
import { initiatorZone } from '../../domain/deadlines.js';
import { CATALOGUE, type CatalogueCommand } from '../catalogue.js';

export type { Viewer };

type Field =
  | {
      name: string;
      label: string;
      hint?: string;
      type: 'text' | 'date' | 'datetime-local' | 'url' | 'email' | 'textarea';
      required?: boolean;
    }
  | {
      name: string;
      label: string;
      hint?: string;
      type: 'select';
      options: [string, string][];
      required?: boolean;
      value?: string;
    }
  | { name: string; label: string; hint?: string; type: 'checkbox'; required?: false };

type Form = FormBody;

/** What a form shows beyond the agreement and the directory. */
export interface FormContext {
  /** The number each party would be given if the signing were scheduled now (services/numbers.ts). */
  proposedNumbers?: Record<string, string>;
  /** The agreement's kept files, newest first: a signed copy is chosen from them when the signing is recorded. */
  documents?: { id: string; filename: string; kind: string }[];
}

export interface CommandForm {
  id: string;
  title: string;
  button: string;
  /** The catalogue's command this form sends (api/catalogue.ts), or a PKS, started by a service of its own. */
  command: CatalogueCommand | 'startOperationalAgreement';
  /** The form needs something to act on (a meeting without minutes, a draft); the rules are the domain's. */
  hasTarget?: (view: AgreementView) => boolean;
  fields: (view: AgreementView, viewer: Viewer, directory: Directory, context: FormContext) => Field[];
  /** The form as the command's body, which the catalogue's schema checks. */
  body: (view: AgreementView, form: Form, directory: Directory) => unknown;
  /** The path's other params (a meeting, a draft version), as the /v1 route reads them from its URL. */
  params?: (view: AgreementView, form: Form) => Record<string, string | number>;
  /** The form field a refusal of this body field is shown beside (default: the field of the same name). */
  fieldFor?: (bodyField: string, fields: Field[]) => string | undefined;
}

/** The schema a form's body is checked with: its command's in the catalogue, or a PKS's. */
export const inputOf = (form: CommandForm): TSchema =>
  form.command === 'startOperationalAgreement' ? OperationalAgreementInput : CATALOGUE[form.command].body;

/** A meeting as people name it: its kind, its time in the initiator's zone and its place. */
const meetingOptions = (v: AgreementView, meetings: AgreementView['meetings']): [string, string][] =>
  meetings.map((m) => [m.id, `${MEETING_KIND_LABEL[m.kind]} — ${formatInstant(m.at, initiatorZone(v))} — ${m.venue}`]);

/** Meetings the domain would still let one move or call off (its own answer, asked per meeting). */
const changeableMeetings = (v: AgreementView) =>
  v.meetings.filter((m) => !whyNot(v, { type: 'cancelMeeting', meetingId: m.id, reason: '-' }));

const lines = (s: string | undefined): string[] =>
  (s ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const optional = (form: Form, name: string): Record<string, string> => (form[name] ? { [name]: form[name] } : {});

/** A `datetime-local` value read in the initiator's zone: "2026-02-06T09:00" -> "2026-02-06T09:00:00+07:00". */
export function withZone(local: string | undefined, tz: TimeZone): string {
  if (!local) return '';
  const h = zoneOffsetHours(tz);
  return `${local.length === 16 ? `${local}:00` : local}+${String(h).padStart(2, '0')}:00`;
}

const partyOptions = (v: AgreementView, d: Directory): [string, string][] =>
  v.parties.map((p) => [p.partyId, partyName(d, p.partyId)]);
/** Who may own a follow-up: a party, or an OPD under one in the directory (seed 001: a Dinas owns its item). */
const ownerOptions = (v: AgreementView, d: Directory): [string, string][] => [
  ...partyOptions(v, d),
  ...[...d.values()]
    .filter(
      (p) =>
        p.parentId && v.parties.some((vp) => vp.partyId === p.parentId) && !v.parties.some((vp) => vp.partyId === p.id),
    )
    .map((p): [string, string] => [p.id, `${p.name} (di bawah ${partyName(d, p.parentId!)})`]),
];
const ownOrAll = (v: AgreementView, viewer: Viewer, d: Directory): [string, string][] =>
  partyOptions(v, d).filter(([id]) => mayActFor(viewer, id));
/** Every contact of the agreement's parties, once per person, each with the form field that ticks it. */
function contactsOf(v: AgreementView, d: Directory): { field: string; contact: Contact; partyId: string }[] {
  return v.parties.flatMap((p) => {
    const contacts = (d.get(p.partyId)?.contacts ?? []).filter(
      (c, i, all) => all.findIndex((x) => x.email === c.email) === i,
    );
    return contacts.map((contact, i) => ({ field: `att-${i}-${p.partyId}`, contact, partyId: p.partyId }));
  });
}

/** What an empty number field means for this party: the next from its template, or a number still to write. */
function numberHint(v: AgreementView, d: Directory, partyId: string, proposed?: string): string {
  const taken = v.signing?.documentNumbers?.[partyId];
  if (taken) return `Sudah ditetapkan: ${taken}. Kosongkan untuk tetap memakainya.`;
  if (proposed)
    return `Kosongkan untuk memakai nomor berikutnya: ${proposed} (templat pihak ini; diambil saat jadwal disimpan).`;
  const template = d.get(partyId)?.numberTemplate;
  if (template) return `Kosongkan untuk memakai nomor berikutnya dari templat ${template}.`;
  return 'Pihak ini belum punya templat nomor: isi di sini, atau saat penandatanganan dicatat.';
}

/** A number field per numbered party, before anyone signs: empty, the next one from the party's template. */
const numberFields = (v: AgreementView, d: Directory, context: FormContext): Field[] =>
  numberedParties(v.parties).map((p) => ({
    name: `doc-${p.partyId}`,
    label: `Nomor dokumen ${partyName(d, p.partyId)} (opsional)`,
    type: 'text',
    hint: numberHint(v, d, p.partyId, context.proposedNumbers?.[p.partyId]),
  }));

/** The number fields a person filled in; the empty ones are left to the templates (or to what was taken). */
function numbersIn(v: AgreementView, f: Form): { documentNumbers?: Record<string, string> } {
  const given = numberedParties(v.parties)
    .filter((p) => f[`doc-${p.partyId}`]?.trim())
    .map((p) => [p.partyId, f[`doc-${p.partyId}`]!.trim()]);
  return given.length ? { documentNumbers: Object.fromEntries(given) } : {};
}

/** One choice per signatory contact of a party: "name|position". */
const signatoryOptions = (d: Directory, partyId: string): [string, string][] =>
  (d.get(partyId)?.contacts ?? [])
    .filter((c) => c.role === 'signatory')
    .map((c) => [`${c.name}|${c.position}`, `${c.name} — ${c.position}`]);

/** The agreement's files with the signed copies first. */
const signedFirst = <T extends { kind: string }>(documents: T[]): T[] =>
  [...documents].sort((a, b) => Number(b.kind === 'signed') - Number(a.kind === 'signed'));

/** Signatories are chosen per party (`sig-<party>`), numbers written per party (`doc-<party>`). */
function signingFieldFor(field: string, fields: Field[]): string | undefined {
  const number = /^documentNumbers\.(.+)$/.exec(field)?.[1];
  if (number) return `doc-${number}`;
  const prefix = field.startsWith('signatories') ? 'sig-' : field === 'documentNumbers' ? 'doc-' : undefined;
  return prefix ? fields.find((x) => x.name.startsWith(prefix))?.name : undefined;
}

/** The rows of an electronic round's order on the form; a round longer than this is begun through /v1. */
const ORDER_ROWS = 6;

/** One choice per contact of each signing party and act: "act|partyId|email". */
function stepOptions(v: AgreementView, d: Directory): [string, string][] {
  return v.parties
    .filter((p) => p.role !== 'witness')
    .flatMap((p) =>
      (d.get(p.partyId)?.contacts ?? []).flatMap((c): [string, string][] =>
        (['paraf', 'sign'] as const).map((act) => [
          `${act}|${p.partyId}|${c.email}`,
          `${act === 'paraf' ? 'Paraf' : 'Tanda tangan'}: ${c.name}, ${c.position} (${partyName(d, p.partyId)})`,
        ]),
      ),
    );
}

/** The order as first offered: each party's first signatory signs, the initiator's first. */
function defaultOrder(v: AgreementView, d: Directory): string[] {
  return [...v.parties]
    .filter((p) => p.role !== 'witness')
    .sort((a, b) => Number(b.role === 'initiator') - Number(a.role === 'initiator'))
    .flatMap((p) => {
      const signatory = d.get(p.partyId)?.contacts.find((c) => c.role === 'signatory');
      return signatory ? [`sign|${p.partyId}|${signatory.email}`] : [];
    });
}

/** The rows chosen, in order, as the order's steps. */
const orderIn = (f: Form) =>
  Array.from({ length: ORDER_ROWS }, (_, i) => f[`langkah-${i + 1}`] ?? '')
    .filter(Boolean)
    .map((row) => {
      const [act = '', partyId = '', email = ''] = row.split('|');
      return { partyId, email, act };
    });

/** A refused step of the order is shown at its row (rows left empty between two chosen ones shift it). */
function electronicFieldFor(field: string, fields: Field[]): string | undefined {
  const step = /^order\[(\d+)\]/.exec(field)?.[1];
  if (step !== undefined) return `langkah-${Number(step) + 1}`;
  if (field === 'order') return 'langkah-1';
  return signingFieldFor(field, fields);
}

export const FORMS: CommandForm[] = [
  {
    id: 'meetings',
    title: 'Jadwalkan pertemuan',
    button: 'Jadwalkan audiensi',
    command: 'scheduleMeeting',
    fields: () => [
      {
        name: 'kind',
        label: 'Jenis pertemuan',
        type: 'select',
        options: [
          ['audiensi', 'Audiensi'],
          ['coordination', 'Rapat koordinasi'],
          ['work_plan', 'Rapat rencana kerja'],
        ],
      },
      {
        name: 'at',
        label: 'Waktu',
        hint: 'Menurut zona waktu pihak pemrakarsa',
        type: 'datetime-local',
        required: true,
      },
      { name: 'venue', label: 'Tempat', type: 'text', required: true },
      { name: 'agenda', label: 'Agenda (opsional)', type: 'textarea' },
    ],
    body: (v, f) => ({
      kind: f['kind'],
      at: withZone(f['at'], initiatorZone(v)),
      venue: f['venue'],
      ...optional(f, 'agenda'),
    }),
  },
  {
    id: 'minutes',
    title: 'Catat notulen',
    button: 'Simpan notulen',
    command: 'recordMinutes',
    params: (_v, f) => ({ meetingId: f['meetingId'] ?? '' }),
    hasTarget: (v) => v.meetings.some((m) => !m.minutes),
    fields: (v, _viewer, d) => [
      {
        name: 'meetingId',
        label: 'Pertemuan',
        type: 'select',
        options: meetingOptions(
          v,
          v.meetings.filter((m) => !m.minutes),
        ),
      },
      // Attendees are ticked from the parties' contacts; anyone else is written in, for a party chosen by name.
      ...contactsOf(v, d).map(
        ({ field, contact, partyId }): Field => ({
          name: field,
          label: `Hadir: ${contact.name} — ${contact.position} (${partyName(d, partyId)})`,
          type: 'checkbox',
        }),
      ),
      {
        name: 'otherAttendees',
        label: 'Peserta lain (opsional)',
        hint: 'Satu per baris: nama; jabatan',
        type: 'textarea',
      },
      { name: 'otherParty', label: 'Pihak peserta lain', type: 'select', options: partyOptions(v, d) },
      { name: 'summary', label: 'Ringkasan', type: 'textarea', required: true },
      {
        name: 'agreedScope',
        label: 'Ruang lingkup yang disepakati (opsional)',
        hint: 'Satu per baris',
        type: 'textarea',
      },
      // The follow-ups agreed at the meeting, each with its due date; one owner for those written here.
      {
        name: 'followUps',
        label: 'Tindak lanjut yang disepakati (opsional)',
        hint: 'Satu per baris: tindak lanjut; batas waktu (TTTT-BB-HH)',
        type: 'textarea',
      },
      { name: 'followUpOwner', label: 'Pemilik tindak lanjut itu', type: 'select', options: ownerOptions(v, d) },
      {
        name: 'followUpsLate',
        label: 'Batas waktu yang sudah lewat dicatat sebagai sudah terlambat',
        type: 'checkbox',
      },
      // Only an audiensi in exploration has an outcome; most go on to drafting, so that is the first choice.
      ...(v.stage === 'exploration'
        ? [
            {
              name: 'outcome',
              label: 'Hasil',
              type: 'select' as const,
              options: [
                ['proceed_to_drafting', 'Lanjut ke penyusunan draf'],
                ['another_meeting', 'Pertemuan lanjutan'],
                ['withdrawn', 'Tidak dilanjutkan'],
              ] as [string, string][],
            },
          ]
        : []),
    ],
    body: (v, f, d) => ({
      attendees: [
        ...contactsOf(v, d)
          .filter(({ field }) => f[field])
          .map(({ contact, partyId }) => ({ name: contact.name, position: contact.position, partyId })),
        ...lines(f['otherAttendees']).map((l) => {
          const [name = '', position = ''] = l.split(';').map((x) => x.trim());
          return { name, position, partyId: f['otherParty'] ?? '' };
        }),
      ],
      summary: f['summary'],
      ...(lines(f['agreedScope']).length ? { agreedScope: lines(f['agreedScope']) } : {}),
      ...(lines(f['followUps']).length
        ? {
            followUps: lines(f['followUps']).map((l) => {
              const [title = '', due = ''] = l.split(';').map((x) => x.trim());
              return {
                title,
                due,
                ownerPartyId: f['followUpOwner'] ?? '',
                ...(f['followUpsLate'] ? { late: true } : {}),
              };
            }),
          }
        : {}),
      ...optional(f, 'outcome'),
    }),
    fieldFor: (field, fields) =>
      field === 'attendees'
        ? (fields.find((x) => x.name.startsWith('att-'))?.name ?? 'otherAttendees')
        : field.startsWith('attendees')
          ? 'otherAttendees'
          : undefined,
  },
  {
    id: 'meeting-reschedule',
    title: 'Ubah jadwal pertemuan',
    button: 'Ubah jadwal',
    command: 'rescheduleMeeting',
    params: (_v, f) => ({ meetingId: f['meetingId'] ?? '' }),
    hasTarget: (v) => changeableMeetings(v).length > 0,
    fields: (v) => [
      { name: 'meetingId', label: 'Pertemuan', type: 'select', options: meetingOptions(v, changeableMeetings(v)) },
      {
        name: 'at',
        label: 'Waktu baru (kosongkan bila tetap)',
        hint: 'Menurut zona waktu pihak pemrakarsa',
        type: 'datetime-local',
      },
      { name: 'venue', label: 'Tempat baru (kosongkan bila tetap)', type: 'text' },
    ],
    body: (v, f) => ({ ...(f['at'] ? { at: withZone(f['at'], initiatorZone(v)) } : {}), ...optional(f, 'venue') }),
  },
  {
    id: 'meeting-cancel',
    title: 'Batalkan pertemuan',
    button: 'Batalkan pertemuan',
    command: 'cancelMeeting',
    params: (_v, f) => ({ meetingId: f['meetingId'] ?? '' }),
    hasTarget: (v) => changeableMeetings(v).length > 0,
    fields: (v) => [
      { name: 'meetingId', label: 'Pertemuan', type: 'select', options: meetingOptions(v, changeableMeetings(v)) },
      { name: 'reason', label: 'Alasan', type: 'textarea', required: true },
    ],
    body: (_v, f) => ({ reason: f['reason'] }),
  },
  {
    id: 'review',
    title: 'Tinjau draf terbaru',
    button: 'Setujui',
    command: 'reviewDraft',
    params: (v) => ({ version: v.drafts.at(-1)?.version ?? 0 }),
    hasTarget: (v) => v.drafts.length > 0,
    fields: (v, viewer, d) => [
      { name: 'partyId', label: 'Atas nama pihak', type: 'select', options: ownOrAll(v, viewer, d) },
      {
        name: 'decision',
        label: 'Keputusan',
        type: 'select',
        options: [
          ['approve', 'Setujui'],
          ['request_changes', 'Minta perubahan'],
        ],
      },
      {
        name: 'comments',
        label: 'Catatan',
        hint: 'Wajib bila meminta perubahan: tuliskan apa yang perlu diubah.',
        type: 'textarea',
      },
    ],
    body: (_v, f) => ({ partyId: f['partyId'], decision: f['decision'], ...optional(f, 'comments') }),
  },
  {
    id: 'signing',
    title: 'Jadwalkan penandatanganan',
    button: 'Jadwalkan penandatanganan',
    command: 'scheduleSigning',
    fields: (v, _viewer, d, context) => [
      { name: 'at', label: 'Waktu', type: 'datetime-local', required: true },
      { name: 'venue', label: 'Tempat', type: 'text', required: true },
      // Each signatory is chosen from that party's signatory contacts in the directory.
      ...v.parties
        .filter((p) => p.role !== 'witness')
        .map((p): Field => {
          const options = signatoryOptions(d, p.partyId);
          // A party with one signatory in the directory has its choice made already.
          return {
            name: `sig-${p.partyId}`,
            label: `Penanda tangan ${partyName(d, p.partyId)}`,
            type: 'select',
            options: [['', '—'], ...options],
            ...(options.length === 1 ? { value: options[0]![0] } : {}),
          };
        }),
      // A number stands on the document before anyone signs: taken now from the party's template, or written here.
      ...numberFields(v, d, context),
    ],
    body: (v, f) => ({
      at: withZone(f['at'], initiatorZone(v)),
      venue: f['venue'],
      signatories: v.parties
        .filter((p) => f[`sig-${p.partyId}`])
        .map((p) => {
          const [name = '', position = ''] = (f[`sig-${p.partyId}`] ?? '').split('|');
          return { partyId: p.partyId, name, position };
        }),
      ...numbersIn(v, f),
    }),
    fieldFor: signingFieldFor,
  },
  {
    id: 'signing-electronic',
    title: 'Tanda tangan elektronik (TTE)',
    button: 'Mulai penandatanganan elektronik',
    command: 'scheduleSigning',
    fields: (v, _viewer, d, context) => {
      const finals = (context.documents ?? []).filter((x) => x.kind === 'final');
      const options = stepOptions(v, d);
      const order = defaultOrder(v, d);
      return [
        {
          name: 'documentId',
          label: 'Berkas final (PDF)',
          type: 'select',
          hint: 'Unggah dulu di bagian Dokumen dengan jenis "Berkas final untuk TTE".',
          options: [['', '— belum diunggah —'], ...finals.map((x): [string, string] => [x.id, x.filename])],
          ...(finals[0] ? { value: finals[0].id } : {}),
        },
        { name: 'dueBy', label: 'Batas waktu', type: 'date', required: true },
        ...Array.from(
          { length: ORDER_ROWS },
          (_, i): Field => ({
            name: `langkah-${i + 1}`,
            label: `Langkah ${i + 1}`,
            type: 'select',
            ...(i === 0 ? { hint: 'Paraf lebih dulu, lalu tanda tangan, berurutan. Kosongkan baris sisanya.' } : {}),
            options: [['', '—'], ...options],
            ...(order[i] ? { value: order[i] } : {}),
          }),
        ),
        ...numberFields(v, d, context),
        {
          name: 'confirmTextDiffers',
          label: 'Teks berkas final boleh berbeda dari draf yang disetujui (perbedaannya sudah saya periksa)',
          type: 'checkbox',
        },
      ];
    },
    body: (v, f) => ({
      method: 'electronic',
      documentId: f['documentId'] ?? '',
      dueBy: f['dueBy'] ?? '',
      order: orderIn(f),
      ...numbersIn(v, f),
      ...(f['confirmTextDiffers'] ? { confirmTextDiffers: true } : {}),
    }),
    fieldFor: electronicFieldFor,
  },
  {
    id: 'record',
    title: 'Catat penandatanganan',
    button: 'Catat penandatanganan',
    command: 'recordSigning',
    fields: (v, _viewer, d, context) => {
      const copies = signedFirst(context.documents ?? []);
      return [
        { name: 'signedAt', label: 'Tanggal penandatanganan', type: 'date', required: true },
        // The signed copy goes on the public list; it is uploaded under Dokumen (jenis: salinan bertanda tangan) first.
        {
          name: 'signedCopy',
          label: 'Salinan bertanda tangan (PDF)',
          type: 'select',
          hint:
            'Unggah dulu di bagian Dokumen dengan jenis "Salinan bertanda tangan"; salinan ini tampil di daftar ' +
            'publik.',
          options: [['', '— belum diunggah —'], ...copies.map((x): [string, string] => [x.id, x.filename])],
          ...(copies[0]?.kind === 'signed' ? { value: copies[0].id } : {}),
        },
        ...numberedParties(v.parties).map((p): Field => {
          const taken = v.signing?.documentNumbers?.[p.partyId];
          const hint = taken ? `Sudah ditetapkan saat penjadwalan: ${taken}. Kosongkan untuk memakainya.` : undefined;
          return {
            name: `doc-${p.partyId}`,
            label: `Nomor dokumen ${partyName(d, p.partyId)}`,
            type: 'text',
            required: !taken,
            ...(hint ? { hint } : {}),
          };
        }),
      ];
    },
    body: (v, f) => ({
      signedAt: f['signedAt'],
      documentNumbers: numbersIn(v, f).documentNumbers ?? {},
      ...(f['signedCopy'] ? { documentIds: [f['signedCopy']] } : {}),
    }),
    fieldFor: (field, fields) => (field.startsWith('documentIds') ? 'signedCopy' : signingFieldFor(field, fields)),
  },
  {
    id: 'follow-up',
    title: 'Tambah tindak lanjut',
    button: 'Tambah tindak lanjut',
    command: 'openFollowUp',
    fields: (v, _viewer, d) => [
      { name: 'title', label: 'Tindak lanjut', type: 'text', required: true },
      { name: 'ownerPartyId', label: 'Pemilik', type: 'select', options: ownerOptions(v, d) },
      { name: 'ownerEmail', label: 'E-mail pemilik (opsional)', type: 'email' },
      { name: 'due', label: 'Batas waktu', type: 'date', required: true },
      {
        name: 'late',
        label: 'Batas waktu ini sudah lewat: catat sebagai sudah terlambat (eskalasi tingkat 1 dikirim sekarang)',
        type: 'checkbox',
      },
      {
        name: 'kind',
        label: 'Jenis',
        type: 'select',
        options: [
          ['follow_up', 'Tindak lanjut'],
          ['work_plan', 'Rencana kerja'],
        ],
      },
    ],
    body: (_v, f) => ({
      title: f['title'],
      ownerPartyId: f['ownerPartyId'],
      due: f['due'],
      kind: f['kind'],
      ...optional(f, 'ownerEmail'),
      ...(f['late'] ? { late: true } : {}),
    }),
  },
  {
    id: 'pks',
    title: 'Mulai PKS dengan OPD',
    button: 'Mulai PKS',
    command: 'startOperationalAgreement',
    fields: (v, _viewer, d) => [
      {
        name: 'partyId',
        label: 'OPD',
        type: 'select',
        options: [...d.values()].filter((p) => !v.parties.some((vp) => vp.partyId === p.id)).map((p) => [p.id, p.name]),
      },
      { name: 'title', label: 'Judul', type: 'text', required: true },
      { name: 'scope', label: 'Ruang lingkup', hint: 'Satu per baris', type: 'textarea' },
      { name: 'dueBy', label: 'Target penandatanganan (opsional)', type: 'date' },
    ],
    body: (_v, f) => ({ partyId: f['partyId'], title: f['title'], scope: lines(f['scope']), ...optional(f, 'dueBy') }),
  },
  {
    id: 'report',
    title: 'Catat laporan monev',
    button: 'Simpan laporan',
    command: 'recordReport',
    fields: () => [
      { name: 'period', label: 'Periode', type: 'text', required: true },
      { name: 'summary', label: 'Ringkasan', type: 'textarea', required: true },
      { name: 'documentUrl', label: 'Tautan dokumen (opsional)', type: 'url' },
    ],
    body: (_v, f) => ({ period: f['period'], summary: f['summary'], ...optional(f, 'documentUrl') }),
  },
  {
    id: 'renewal',
    title: 'Keputusan pembaruan',
    button: 'Simpan keputusan',
    command: 'decideRenewal',
    fields: () => [
      {
        name: 'decision',
        label: 'Keputusan',
        type: 'select',
        options: [
          ['renew', 'Perbarui'],
          ['end', 'Biarkan berakhir'],
        ],
      },
    ],
    body: (_v, f) => ({ decision: f['decision'] }),
  },
  {
    id: 'publication',
    title: 'Daftar publik',
    button: 'Simpan',
    command: 'setPublication',
    fields: (v) => [
      {
        name: 'public',
        label: 'Tampilkan di daftar publik (judul, para pihak, masa berlaku, ruang lingkup, salinan bertanda tangan)',
        type: 'select',
        options: v.published
          ? [
              ['false', 'Tarik dari daftar publik'],
              ['true', 'Tetap tampil'],
            ]
          : [
              ['true', 'Tampilkan'],
              ['false', 'Jangan tampilkan'],
            ],
      },
    ],
    body: (_v, f) => ({ public: f['public'] === 'true' }),
  },
  {
    id: 'cancel',
    title: 'Batalkan kesepakatan',
    button: 'Batalkan kesepakatan',
    command: 'cancelAgreement',
    fields: () => [{ name: 'reason', label: 'Alasan', type: 'textarea', required: true }],
    body: (_v, f) => ({ reason: f['reason'] }),
  },
];

/** The step each stage usually waits for, in order of preference: shown first, the other forms folded away. */
const NEXT_STEP: Record<AgreementView['stage'], string[]> = {
  exploration: ['minutes', 'meetings'],
  drafting: ['review', 'minutes'],
  signing: ['record', 'signing'],
  active: ['follow-up', 'report', 'renewal'],
  ended: [],
};

/** The form for the next step of this agreement now, among those offered. */
export function nextStepOf(view: AgreementView, offered: CommandForm[]): CommandForm | undefined {
  const signingScheduled = view.signing !== undefined && !view.signing.cancelled;
  for (const id of NEXT_STEP[view.stage]) {
    // Recording a signing comes after it is scheduled; before that, scheduling it is the step.
    if (id === 'record' && !signingScheduled) continue;
    const form = offered.find((f) => f.id === id);
    if (form) return form;
  }
  return undefined;
}

/** The forms for the commands the domain allows this viewer now, and that have something to act on. */
export function formsFor(view: AgreementView, viewer: Viewer): CommandForm[] {
  const allowed = allowedCommands(view, viewer);
  return FORMS.filter((f) => allowed.has(f.command) && (f.hasTarget?.(view) ?? true));
}

/** The longest text a field's schema takes, for the browser to stop at (`maxlength`). */
function maxLengthOf(schema: TSchema, name: string): number | undefined {
  const property = (schema as { properties?: Record<string, { maxLength?: unknown }> }).properties?.[name];
  return typeof property?.maxLength === 'number' ? property.maxLength : undefined;
}

/** A field's control, showing what was typed (after a refusal) or the field's own default. */
function control(id: string, f: Field, value: string | undefined, extra: Html | string): Html {
  if (f.type === 'select') {
    const chosen = value ?? f.value;
    const option = ([v, label]: [string, string]) =>
      html`<option value="${v}"${v === chosen ? ' selected' : ''}>${label}</option>`;
    return html`<select id="${id}" name="${f.name}"${extra}>${f.options.map(option)}</select>`;
  }
  if (f.type === 'checkbox')
    return html`<input id="${id}" name="${f.name}" type="checkbox" value="1"${value ? ' checked' : ''}${extra}>`;
  const required = f.required ? html` required` : '';
  if (f.type === 'textarea')
    return html`<textarea id="${id}" name="${f.name}"${required}${extra}>${value ?? ''}</textarea>`;
  const shown = value ? html` value="${value}"` : '';
  return html`<input id="${id}" name="${f.name}" type="${f.type}"${shown}${required}${extra}>`;
}

/** A refusal shown on a form: the message, the body field it names, and every value as it was sent. */
export interface FormRefusal {
  message: string;
  field?: string;
  values?: FormBody;
}

/** The form field a refused body field is shown beside, if the form has one. */
export function refusedField(form: CommandForm, fields: Field[], bodyField: string | undefined): string | undefined {
  if (!bodyField) return undefined;
  const own = form.fieldFor?.(bodyField, fields);
  if (own) return own;
  const root = bodyField.split(/[.[]/)[0];
  return fields.find((x) => x.name === root)?.name;
}

export function renderForm(
  form: CommandForm,
  view: AgreementView,
  viewer: Viewer,
  directory: Directory,
  error?: FormRefusal,
  context: FormContext = {},
): Html {
  const fields = form.fields(view, viewer, directory, context);
  const at = refusedField(form, fields, error?.field);
  const link = at ? `#f-${form.id}-${at}` : `#form-${form.id}`;
  const summary = error
    ? html`<div class="error-summary" role="alert"><h2>Tidak dapat disimpan</h2><p>
<a href="${link}">${error.message}</a></p></div>`
    : '';
  return html`<section id="form-${form.id}"><h2>${form.title}</h2>
${summary}
<form method="post" action="/kesepakatan/${view.id}/aksi/${form.id}" novalidate>
${fields.map((f) => {
  const id = `f-${form.id}-${f.name}`;
  const wrong = at === f.name;
  const fieldError = wrong
    ? html`<p class="field-error" id="${id}-error">
<span class="visually-hidden">Kesalahan: </span>${error?.message}</p>`
    : '';
  const hint = f.hint ? html`<p class="hint" id="${id}-hint">${f.hint}</p>` : '';
  const max = maxLengthOf(inputOf(form), f.name);
  const described = [f.hint ? `${id}-hint` : '', wrong ? `${id}-error` : ''].filter(Boolean).join(' ');
  const limit = max ? html` maxlength="${max}"` : '';
  const describedBy = described ? html` aria-describedby="${described}"` : '';
  const extra = html`${limit}${describedBy}${wrong ? html` aria-invalid="true"` : ''}`;
  const input = control(id, f, error?.values?.[f.name], extra);
  // A checkbox sits beside its label, where the eye and the thumb expect it.
  if (f.type === 'checkbox') {
    return html`<div class="field${wrong ? ' field-wrong' : ''}">${fieldError}<div class="check">${input}
<label for="${id}">${f.label}</label></div>${hint}</div>`;
  }
  return html`<div class="field${wrong ? ' field-wrong' : ''}">
<label for="${id}">${f.label}</label>${hint}${fieldError}${input}</div>`;
})}
<button>${form.button}</button></form></section>`;
}

export const today = (): string => localDate(Date.now(), 'Asia/Jakarta');
