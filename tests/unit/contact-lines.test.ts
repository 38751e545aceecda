// The directory page's contact lines: four parts, and a signatory's NIK as an optional fifth, read and written back.
import { describe, expect, it } from 'vitest';
import { contactsFromLines, lineOf, linesFromContacts } from '../../api/web/contact-lines.js';

describe('contact lines', () => {
  it('reads a NIK after the role, and writes it back on the same line', () => {
    const text =
      'Rina; Kasubag; rina@lapas.test; penghubung\nRudy; Kalapas; rudy@lapas.test; penanda tangan; 3205010101800001';
    const contacts = contactsFromLines(text);
    expect(contacts).toEqual([
      { name: 'Rina', position: 'Kasubag', email: 'rina@lapas.test', role: 'liaison' },
      { name: 'Rudy', position: 'Kalapas', email: 'rudy@lapas.test', role: 'signatory', nik: '3205010101800001' },
    ]);
    expect(linesFromContacts(contacts as Parameters<typeof linesFromContacts>[0])).toBe(
      'Rina; Kasubag; rina@lapas.test; penghubung\nRudy; Kalapas; rudy@lapas.test; penanda tangan; 3205010101800001',
    );
    expect(lineOf('contacts[1].nik')).toBe(
      'baris 2 (NIK, 16 angka; tulis: Nama; Jabatan; e-mail; peran, dipisah titik koma)',
    );
  });
});
