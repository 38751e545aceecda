// The audit sheet (lembar jejak audit) of an electronic signing round: a PDF Sinergi writes with pdf-lib and keeps
// with the agreement. It names the agreement and its parties, the SHA-256 of the approved draft, of the final PDF
// and of the signed copy, every step of the round with its time and who took it, and every signature with its
// certificate's details, so that someone without Sinergi can check the signed file against it.
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatInstant } from '../../../domain/format.js';
import type { TimeZone } from '../../../domain/types.js';

export interface AuditSignature {
  subject: string;
  issuer: string;
  serial: string;
  signedAt: string;
  timestamped: boolean;
}

export interface AuditStep {
  index: number;
  act: 'paraf' | 'sign';
  name: string;
  partyName: string;
  email: string;
  doneAt?: string;
  signature?: AuditSignature;
}

export interface AuditSheetData {
  agreement: { id: string; title: string; parties: { name: string; role: string }[] };
  documentNumbers: { partyName: string; number: string }[];
  approved: { version: number; sha256: string };
  /** The final PDF as the round began with it, and the copy with every signature. */
  final: { sha256: string; signedSha256: string };
  /** The initiator's confirmation that the final text differs from the approved one, where it did. */
  textDiffers?: { added: number; removed: number; confirmedBy: string; at: string };
  steps: AuditStep[];
  /** Everything that happened in the round, in order: started, each copy, reminders, escalations, signed. */
  history: { at: string; what: string; by: string }[];
  timeZone: TimeZone;
  generatedAt: string;
}

const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const SIZE = { title: 16, heading: 11, body: 9 };
const LEADING = 1.45;

/** Writes lines top to bottom, wrapping each to the page's width and turning to a new page when one is full. */
class Writer {
  private page: PDFPage;
  private y: number;
  private readonly characters: Set<number>;

  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
    this.characters = new Set(font.getCharacterSet());
  }

  /** The standard fonts know WinAnsi only: any other character is written as "?". */
  private printable(text: string): string {
    return [...text.normalize('NFC')].map((c) => (this.characters.has(c.codePointAt(0)!) ? c : '?')).join('');
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
      // A word wider than the page (a digest, a serial) is cut where it must be.
      while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  write(text: string, opts: { size?: number; bold?: boolean; indent?: number; gapAfter?: number } = {}): void {
    const size = opts.size ?? SIZE.body;
    const font = opts.bold ? this.bold : this.font;
    const x = PAGE.margin + (opts.indent ?? 0);
    for (const line of this.wrap(this.printable(text), font, size, PAGE.width - PAGE.margin - x)) {
      if (this.y - size < PAGE.margin) {
        this.page = this.doc.addPage([PAGE.width, PAGE.height]);
        this.y = PAGE.height - PAGE.margin;
      }
      this.y -= size;
      this.page.drawText(line, { x, y: this.y, size, font });
      this.y -= size * (LEADING - 1);
    }
    this.y -= opts.gapAfter ?? 0;
  }
}

const ACT = { paraf: 'Paraf', sign: 'Tanda tangan' } as const;

export async function auditSheet(data: AuditSheetData): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Lembar jejak audit: ${data.agreement.title}`);
  doc.setProducer('Sinergi');
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  const when = (instant: string) => formatInstant(instant, data.timeZone);

  w.write('Lembar Jejak Audit Penandatanganan Elektronik', { size: SIZE.title, bold: true, gapAfter: 6 });
  w.write(data.agreement.title, { size: SIZE.heading, bold: true });
  w.write(`Nomor kesepakatan di Sinergi: ${data.agreement.id}`);
  w.write(`Dibuat oleh Sinergi pada ${when(data.generatedAt)}.`, { gapAfter: 8 });

  w.write('Para pihak', { size: SIZE.heading, bold: true });
  for (const p of data.agreement.parties) w.write(`${p.name} (${p.role})`, { indent: 10 });
  for (const n of data.documentNumbers) w.write(`Nomor dokumen ${n.partyName}: ${n.number}`, { indent: 10 });
  w.write('', { gapAfter: 4 });

  w.write('Berkas', { size: SIZE.heading, bold: true });
  w.write(`Draf yang disetujui (versi ${data.approved.version}), SHA-256: ${data.approved.sha256}`, { indent: 10 });
  w.write(`Berkas final sebelum ditandatangani, SHA-256: ${data.final.sha256}`, { indent: 10 });
  w.write(`Berkas bertanda tangan lengkap, SHA-256: ${data.final.signedSha256}`, { indent: 10 });
  if (data.textDiffers) {
    const d = data.textDiffers;
    w.write(
      `Teks berkas final berbeda dari draf yang disetujui (${d.added} kata ditambah, ${d.removed} kata dihapus); ` +
        `dikonfirmasi oleh ${d.confirmedBy} pada ${when(d.at)}.`,
      { indent: 10 },
    );
  }
  w.write('', { gapAfter: 4 });

  w.write('Urutan penandatanganan', { size: SIZE.heading, bold: true });
  for (const s of data.steps) {
    const done = s.doneAt ? `selesai ${when(s.doneAt)}` : 'belum';
    w.write(`${s.index + 1}. ${ACT[s.act]}: ${s.name}, ${s.partyName} <${s.email}>; ${done}`, { indent: 10 });
    if (!s.signature) continue;
    const sig = s.signature;
    w.write(`Pemilik sertifikat: ${sig.subject}`, { indent: 24 });
    w.write(`Penerbit: ${sig.issuer}; nomor seri: ${sig.serial}`, { indent: 24 });
    const stamp = sig.timestamped
      ? 'menurut cap waktu (timestamp) yang terverifikasi'
      : 'menurut perangkat penanda tangan';
    w.write(`Waktu tanda tangan: ${when(sig.signedAt)}, ${stamp}`, { indent: 24 });
  }
  w.write('', { gapAfter: 4 });

  w.write('Riwayat', { size: SIZE.heading, bold: true });
  for (const h of data.history) w.write(`${when(h.at)}: ${h.what} (${h.by})`, { indent: 10 });
  return doc.save({ useObjectStreams: false });
}
