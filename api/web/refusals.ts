// A refused form in the words of the people who fill it in: the field by its Indonesian label, the reason in
// Indonesian, never a schema's English. The /v1 API keeps its own wording (api/errors.ts).
import type { FastifyError } from 'fastify';
import { isTextPattern } from '../schemas/common.js';
import { Refusal } from '../../services/errors.js';

type ValidationError = NonNullable<FastifyError['validation']>[number];

/** The label each body field has on the dashboard's forms. */
const FIELD_LABEL: Record<string, string> = {
  title: 'Judul',
  instrument: 'Instrumen',
  parties: 'Para pihak',
  partyId: 'Pihak',
  role: 'Peran',
  scope: 'Ruang lingkup',
  kind: 'Jenis',
  at: 'Waktu',
  venue: 'Tempat',
  agenda: 'Agenda',
  invitees: 'Undangan',
  meetingId: 'Pertemuan',
  attendees: 'Peserta',
  name: 'Nama',
  position: 'Jabatan',
  summary: 'Ringkasan',
  agreedScope: 'Ruang lingkup yang disepakati',
  followUps: 'Tindak lanjut',
  outcome: 'Hasil',
  ownerPartyId: 'Pemilik',
  ownerEmail: 'E-mail pemilik',
  due: 'Batas waktu',
  documentUrl: 'Tautan dokumen',
  sha256: 'SHA-256',
  note: 'Catatan',
  comments: 'Catatan',
  decision: 'Keputusan',
  signatories: 'Penanda tangan',
  documentNumbers: 'Nomor dokumen',
  signedAt: 'Tanggal penandatanganan',
  reason: 'Alasan',
  dueBy: 'Target penandatanganan',
  period: 'Periode',
  public: 'Daftar publik',
  email: 'E-mail',
  phone: 'Telepon',
  contacts: 'Kontak',
  timeZone: 'Zona waktu',
  parentId: 'Induk',
  numberTemplate: 'Templat nomor',
  id: 'Kode pihak',
  opdIds: 'OPD',
  implementerId: 'Pelaksana',
  file: 'Berkas',
  q: 'Pencarian',
  stage: 'Tahap',
  overdue: 'Terlambat',
};

/** "attendees[1].position" -> "Peserta 2, Jabatan"; "documentNumbers.pemkab-bogor" -> "Nomor dokumen". */
export function labelOf(field: string | undefined): string {
  if (!field) return 'Isian';
  const parts = field
    .replace(/^body\.?/, '')
    .split('.')
    .filter(Boolean);
  const words = parts.flatMap((part) => {
    const [, name = part, index] = /^([^[]*)(?:\[(\d+)\])?$/.exec(part) ?? [];
    const label = FIELD_LABEL[name];
    if (!label) return [];
    return [index === undefined ? label : `${label} ${Number(index) + 1}`];
  });
  return words.join(', ') || 'Isian';
}

/** Why a value was refused, in Indonesian, from a schema keyword and its parameters. */
function reason(v: ValidationError): string {
  const p = (v.params ?? {}) as Record<string, unknown>;
  const n = Number(p.limit);
  switch (v.keyword) {
    case 'required':
      return 'wajib diisi.';
    case 'minLength':
      return n <= 1 ? 'wajib diisi.' : `paling sedikit ${n} karakter.`;
    case 'maxLength':
      return `paling banyak ${n} karakter.`;
    case 'minItems':
      return n <= 1 ? 'pilih atau isi paling sedikit satu.' : `paling sedikit ${n} isian.`;
    case 'maxItems':
      return `paling banyak ${n} isian.`;
    case 'minimum':
      return `paling kecil ${n}.`;
    case 'maximum':
      return `paling besar ${n}.`;
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return 'pilihan ini tidak dikenal; pilih dari daftar.';
    case 'additionalProperties':
      return 'isian ini tidak dikenal formulir ini.';
    case 'type':
      return 'isiannya tidak sesuai.';
    case 'format':
      return FORMAT_REASON[String(p.format)] ?? 'bentuknya tidak sesuai.';
    case 'pattern':
      return isTextPattern(p.pattern)
        ? 'berisi karakter yang tidak diizinkan (NUL atau karakter kendali lain).'
        : 'bentuknya tidak sesuai (huruf, angka, titik, tanda hubung; tanpa spasi).';
    default:
      return 'isiannya tidak sesuai.';
  }
}

const FORMAT_REASON: Record<string, string> = {
  date: 'isi tanggal yang ada, misalnya 2026-02-06.',
  'date-time': 'isi tanggal dan jam.',
  email: 'isi alamat e-mail yang benar, misalnya nama@instansi.go.id.',
  uri: 'isi tautan yang diawali https:// atau http://.',
};

/** The field a schema error is about: "/attendees/1/position" -> "attendees[1].position". */
function fieldOf(v: ValidationError): string | undefined {
  const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
  const p = v.params as Record<string, unknown>;
  const extra = p.missingProperty ?? p.additionalProperty;
  if (typeof extra === 'string') path.push(extra);
  return (
    path
      .map((x) => (/^\d+$/.test(x) ? `[${x}]` : `.${x}`))
      .join('')
      .replace(/^\./, '') || undefined
  );
}

/** A form's schema refusal, as a 400 naming the field, said in Indonesian. */
export function formRefusal(errors: ValidationError[]): Refusal {
  const v = errors[0];
  if (!v) return new Refusal(400, 'invalid_input', 'Isian tidak sesuai.');
  const field = fieldOf(v);
  return new Refusal(400, 'invalid_input', `${labelOf(field)}: ${reason(v)}`, field);
}

/** A service's refusal that starts with a raw field name ("signedAt harus ...") reads with the field's label. */
export function inWords(message: string, field: string | undefined): string {
  const raw = field?.replace(/^body\.?/, '');
  if (raw && message.startsWith(`${raw} `)) return `${labelOf(raw)} ${message.slice(raw.length + 1)}`;
  return message;
}
