// The audit sheet of an electronic round: a PDF whose text names the agreement, the three digests, every step
// and every signature's certificate, on as many pages as it takes, with any character the font lacks as "?".
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { auditSheet, type AuditSheetData } from '../../services/documents/signatures/audit-sheet.js';
import { extractTextOf } from '../../services/documents/text.js';

const sha = (c: string) => c.repeat(64);
const signature = (who: string) => ({
  subject: `C=ID, CN=${who}, 2.5.4.5=3205010101800001`,
  issuer: 'C=ID, O=Badan Siber dan Sandi Negara, CN=OSD BSrE',
  serial: '7c370d595a9d39eff9fcacdb12c59d76c3e1dd5d',
  signedAt: '2026-12-03T02:15:00.000Z',
  timestamped: true,
});

const data: AuditSheetData = {
  agreement: {
    id: 'garut-2026',
    title: 'Kesepakatan Bersama tentang Pembinaan Kemandirian Warga Binaan',
    parties: [
      { name: 'Lapas Kelas IIA Garut', role: 'pemrakarsa' },
      { name: 'Pemerintah Kabupaten Garut', role: 'mitra' },
    ],
  },
  documentNumbers: [
    { partyName: 'Lapas Kelas IIA Garut', number: 'W11.PAS.PAS.2-HM.05.02-17' },
    { partyName: 'Pemerintah Kabupaten Garut', number: '000.8.3.3/41/Bag.Kerjasama/2026' },
  ],
  approved: { version: 3, sha256: sha('a') },
  final: { sha256: sha('b'), signedSha256: sha('c') },
  textDiffers: { added: 4, removed: 1, confirmedBy: 'Rina Kusuma', at: '2026-12-01T03:00:00.000Z' },
  steps: [
    { index: 0, act: 'paraf', name: 'Rina Kusuma', partyName: 'Lapas Kelas IIA Garut', email: 'rina@lapas.test' },
    { index: 1, act: 'sign', name: 'Rudy Gunawan 鲁迪', partyName: 'Lapas Kelas IIA Garut', email: 'k@lapas.test' },
  ].map((s) => ({ ...s, doneAt: '2026-12-03T02:15:00.000Z', signature: signature(s.name) })) as AuditSheetData['steps'],
  history: Array.from({ length: 120 }, (_, i) => ({
    at: '2026-12-02T01:00:00.000Z',
    what: `Pengingat ke-${i + 1} dikirim kepada penanda tangan`,
    by: 'Sinergi',
  })),
  timeZone: 'Asia/Jakarta',
  generatedAt: '2026-12-03T02:20:00.000Z',
};

describe('audit sheet', () => {
  it('holds the agreement, the digests, the steps and the certificates, over several pages', async () => {
    const bytes = await auditSheet(data);
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    expect(doc.getTitle()).toBe(`Lembar jejak audit: ${data.agreement.title}`);
    const extracted = await extractTextOf('pdf', Buffer.from(bytes));
    const text = (extracted && 'text' in extracted ? extracted.text : '').replace(/\s+/g, ' ');
    for (const expected of [
      'Lembar Jejak Audit Penandatanganan Elektronik',
      'garut-2026',
      sha('a'),
      sha('b'),
      sha('c'),
      '000.8.3.3/41/Bag.Kerjasama/2026',
      '4 kata ditambah, 1 kata dihapus',
      '1. Paraf: Rina Kusuma',
      // The font lacks the Chinese characters: they are written as "?", and the rest stands.
      '2. Tanda tangan: Rudy Gunawan ??',
      'CN=OSD BSrE',
      '7c370d595a9d39eff9fcacdb12c59d76c3e1dd5d',
      'cap waktu (timestamp) yang terverifikasi',
      'Pengingat ke-120 dikirim',
    ])
      expect(text).toContain(expected);
  });
});
