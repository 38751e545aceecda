// The first draft as a DOCX, in the usual form of a Kesepakatan Bersama or a PKS: title with the parties, a
// number line for each, the opening with the date in words, the parties with their heads, one Pasal per
// subject, and a signature block for each signatory. The words come from the template.
import {
  AlignmentType,
  Document,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  BorderStyle,
} from 'docx';
import { INSTRUMENT_LABEL } from '../../../domain/labels.js';
import type { AgreementView } from '../../../domain/view.js';
import type { Party } from '../../../domain/types.js';
import { dateInWords, ordinal, termInWords } from './terbilang.js';
import { fill, type DraftTemplate } from './template.js';

/** A party of the agreement as the draft names it: its name and its head from the directory's signatories. */
interface Signer {
  urutan: string;
  namaPihak: string;
  nama: string;
  jabatan: string;
}

const DOTS = '........................................';

export function signersOf(view: AgreementView, directory: Map<string, Party>): Signer[] {
  const signing = view.parties.filter((p) => p.role !== 'witness');
  const ordered = [...signing.filter((p) => p.role === 'initiator'), ...signing.filter((p) => p.role !== 'initiator')];
  return ordered.map((p, i) => {
    const party = directory.get(p.partyId);
    const head = party?.contacts.find((c) => c.role === 'signatory');
    return {
      urutan: ordinal(i + 1),
      namaPihak: party?.name ?? p.partyId,
      nama: head?.name ?? DOTS,
      jabatan: head?.position ?? DOTS,
    };
  });
}

const centred = (text: string, bold = false, size = 24) =>
  new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold, size })] });
const body = (text: string, numbered?: { reference: string; level: number }) =>
  new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: { after: 120 },
    ...(numbered ? { numbering: numbered } : {}),
    children: [new TextRun({ text, size: 24 })],
  });
const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

/**
 * What the agreement is about, for "TENTANG …": the words after "tentang" in its title, else its scope, else the
 * title. A title such as "Nota Kesepahaman Lapas Garut dan Pemkab Garut" names the instrument and the parties the
 * heading already states, and would repeat them.
 */
export function subjectOf(view: Pick<AgreementView, 'title' | 'scope'>): string {
  const about = /\btentang\s+(.+)$/i.exec(view.title)?.[1]?.trim();
  if (about) return about;
  const scope = view.scope.map((s) => s.trim()).filter(Boolean);
  if (scope.length === 0) return view.title;
  const listed = scope.length === 1 ? scope[0]! : `${scope.slice(0, -1).join(', ')} dan ${scope.at(-1)!}`;
  return `kerja sama di bidang ${listed}`;
}

/** The DOCX bytes of the first draft. `date` is the day the opening states (YYYY-MM-DD). */
export async function draftDocx(
  template: DraftTemplate,
  view: AgreementView,
  directory: Map<string, Party>,
  date: string,
): Promise<Buffer> {
  const signers = signersOf(view, directory);
  const instrumen = INSTRUMENT_LABEL[view.instrument];
  const values: Record<string, string> = {
    instrumen,
    INSTRUMEN: instrumen.toUpperCase(),
    judul: subjectOf(view),
    JUDUL: subjectOf(view).toUpperCase(),
    ...dateInWords(date),
    jangkaWaktu: termInWords(view.termMonths),
    pihakPertama: signers[0]?.namaPihak ?? '',
    pihakKedua: signers[1]?.namaPihak ?? '',
  };
  const withSigner = (s: Signer) => ({ ...values, ...s });
  const children: (Paragraph | Table)[] = [];
  for (const line of template.judul) {
    if (line === '{daftarPihak}') {
      signers.forEach((s, i) => {
        if (i > 0) children.push(centred(i === signers.length - 1 ? 'DENGAN' : 'DAN', true));
        children.push(centred(s.namaPihak.toUpperCase(), true));
      });
    } else {
      children.push(centred(fill(line, values), true));
    }
  }
  children.push(new Paragraph({}));
  for (const s of signers) children.push(centred(s.namaPihak), centred(fill(template.nomor, withSigner(s))));
  children.push(new Paragraph({}), body(fill(template.pembukaan, values)));
  for (const s of signers) children.push(body(fill(template.pihak, withSigner(s)), { reference: 'pihak', level: 0 }));
  children.push(body(fill(template.setelahPihak, values)));
  template.pasal.forEach((pasal, i) => {
    children.push(new Paragraph({}), centred(`Pasal ${i + 1}`, true), centred(fill(pasal.judul, values), true));
    const reference = `pasal-${i + 1}`;
    const numbered = pasal.isi.length > 1;
    for (const text of pasal.isi)
      children.push(body(fill(text, values), numbered ? { reference, level: 0 } : undefined));
    if (pasal.daftar === 'ruangLingkup') {
      for (const item of view.scope.length ? view.scope : [DOTS])
        children.push(body(item, { reference: `${reference}-daftar`, level: 0 }));
    }
  });
  children.push(new Paragraph({}), signatureTable(template, signers, values));
  const numbering = ['pihak', ...template.pasal.flatMap((_p, i) => [`pasal-${i + 1}`, `pasal-${i + 1}-daftar`])].map(
    (reference) => ({
      reference,
      levels: [
        {
          level: 0,
          format: reference.endsWith('-daftar') ? LevelFormat.LOWER_LETTER : LevelFormat.DECIMAL,
          text: reference.endsWith('-daftar') ? '%1.' : '(%1)',
          alignment: AlignmentType.START,
        },
      ],
    }),
  );
  const doc = new Document({
    creator: 'Sinergi',
    title: `${instrumen}: ${view.title}`,
    description: 'Draf pertama yang dibuat Sinergi dari data kesepakatan',
    numbering: { config: numbering },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

/** Signatories side by side, two to a row, as signature pages are laid out. */
function signatureTable(template: DraftTemplate, signers: Signer[], values: Record<string, string>): Table {
  const cell = (s: Signer | undefined) =>
    new TableCell({
      width: { size: 50, type: WidthType.PERCENTAGE },
      borders: { top: none, bottom: none, left: none, right: none },
      children: s
        ? template.tandaTangan.map((line) => centred(fill(line, { ...values, ...s }), line.includes('{urutan}')))
        : [new Paragraph({})],
    });
  const rows: TableRow[] = [];
  for (let i = 0; i < signers.length; i += 2)
    rows.push(new TableRow({ children: [cell(signers[i]), cell(signers[i + 1])] }));
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows });
}
