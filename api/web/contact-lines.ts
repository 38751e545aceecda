// Contacts as a person types them in the directory page: one per line, "Nama; Jabatan; e-mail; peran", with the
// NIK of a signatory who signs with TTE as an optional fifth part.
import type { Contact } from '../../domain/types.js';

const ROLE_WORDS: Record<string, Contact['role']> = {
  penghubung: 'liaison',
  liaison: 'liaison',
  'penanda tangan': 'signatory',
  penandatangan: 'signatory',
  'penanda-tangan': 'signatory',
  signatory: 'signatory',
  pimpinan: 'supervisor',
  atasan: 'supervisor',
  supervisor: 'supervisor',
};
const ROLE_TEXT: Record<Contact['role'], string> = {
  liaison: 'penghubung',
  signatory: 'penanda tangan',
  supervisor: 'pimpinan',
};

/** The lines as contacts for the /v1 schema to check; a role word it does not know stays as typed, to be refused. */
export function contactsFromLines(text: string): unknown[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = '', position = '', email = '', role = '', nik = ''] = line.split(';').map((x) => x.trim());
      return { name, position, email, role: ROLE_WORDS[role.toLowerCase()] ?? role, ...(nik ? { nik } : {}) };
    });
}

export const linesFromContacts = (contacts: Contact[]): string =>
  contacts
    .map((c) => [c.name, c.position, c.email, ROLE_TEXT[c.role], ...(c.nik ? [c.nik] : [])].join('; '))
    .join('\n');

const FIELD_WORD: Record<string, string> = {
  name: 'nama',
  position: 'jabatan',
  email: 'e-mail',
  role: 'peran',
  nik: 'NIK, 16 angka',
};

/** "contacts[2].email" -> "baris 3 (e-mail; tulis: Nama; Jabatan; e-mail; peran)": the line a person can find. */
export const lineOf = (field: string | undefined): string | undefined => {
  const m = /^contacts\[(\d+)\]\.?(\w*)/.exec(field ?? '');
  if (!m) return field;
  const part = m[2] ? `${FIELD_WORD[m[2]] ?? m[2]}; ` : '';
  return `baris ${Number(m[1]) + 1} (${part}tulis: Nama; Jabatan; e-mail; peran, dipisah titik koma)`;
};
