// The agreements list as a spreadsheet: XLSX (two sheets, Indonesian headers, real dates, frozen filtered header)
// and CSV (UTF-8 with a BOM, for Excel). Both stream page by page, so memory stays flat however many rows.
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { localDate } from '../domain/dates.js';
import { INSTRUMENT_LABEL, STAGE_LABEL } from '../domain/labels.js';
import type { AgreementView } from '../domain/view.js';
import type { Database } from '../schema/database.js';
import { isOverdue } from '../domain/deadlines.js';

export interface ExportRow {
  id: string;
  title: string;
  instrument: string;
  stage: string;
  parties: string;
  signedOn: string | null;
  termEnd: string | null;
  open: number;
  overdue: number;
  pks: string;
}

const AGREEMENT_COLUMNS: { header: string; key: keyof ExportRow; width: number; date?: true }[] = [
  { header: 'ID', key: 'id', width: 24 },
  { header: 'Judul', key: 'title', width: 48 },
  { header: 'Instrumen', key: 'instrument', width: 22 },
  { header: 'Tahap', key: 'stage', width: 18 },
  { header: 'Para pihak', key: 'parties', width: 48 },
  { header: 'Tanggal ditandatangani', key: 'signedOn', width: 14, date: true },
  { header: 'Akhir masa berlaku', key: 'termEnd', width: 14, date: true },
  { header: 'Tindak lanjut terbuka', key: 'open', width: 12 },
  { header: 'Tindak lanjut lewat batas', key: 'overdue', width: 12 },
  { header: 'PKS ditandatangani / dimulai', key: 'pks', width: 14 },
];
const FOLLOW_UP_HEADERS = [
  'ID kesepakatan',
  'Kesepakatan',
  'Tindak lanjut',
  'Pemilik',
  'E-mail pemilik',
  'Batas waktu',
  'Tingkat eskalasi',
];

type Pages = AsyncIterable<AgreementView[]>;
type Names = Map<string, string>;

async function directoryNames(db: Kysely<Database>): Promise<Names> {
  return new Map((await db.selectFrom('parties').select(['id', 'name']).execute()).map((p) => [p.id, p.name]));
}

/** The operational agreements signed and started under each of these umbrellas. */
async function pksOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('agreements')
    .select(['parent_id', db.fn.countAll<string>().as('started')])
    .select((eb) => eb.fn.countAll<string>().filterWhere('stage', 'in', ['active', 'ended']).as('signed'))
    .where('parent_id', 'in', ids)
    .groupBy('parent_id')
    .execute();
  return new Map(rows.map((r) => [r.parent_id!, `${r.signed} / ${r.started}`]));
}

async function* agreementRows(
  db: Kysely<Database>,
  pages: Pages,
  names: Names,
  today: string,
): AsyncGenerator<ExportRow> {
  for await (const page of pages) {
    const pks = await pksOf(
      db,
      page.map((v) => v.id),
    );
    for (const v of page) {
      const open = v.followUps.filter((f) => f.status === 'open');
      yield {
        id: v.id,
        title: v.title,
        instrument: INSTRUMENT_LABEL[v.instrument],
        stage: STAGE_LABEL[v.stage],
        parties: v.parties.map((p) => names.get(p.partyId) ?? p.partyId).join('; '),
        signedOn: v.term?.start ?? null,
        termEnd: v.term?.end ?? null,
        open: open.length,
        overdue: open.filter((f) => isOverdue(f, today)).length,
        pks: pks.get(v.id) ?? '0 / 0',
      };
    }
  }
}

/** A calendar date as a spreadsheet date cell: midnight UTC, shown as a day (no zone shifts it). */
const cellDate = (d: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null);

export async function writeXlsx(
  db: Kysely<Database>,
  pages: () => Pages,
  out: Writable,
  now = Date.now(),
): Promise<number> {
  const names = await directoryNames(db);
  const today = localDate(now, 'Asia/Jakarta');
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = 'Sinergi';
  const sheet = book.addWorksheet('Kesepakatan', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = AGREEMENT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.date ? { style: { numFmt: 'dd/mm/yyyy' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: AGREEMENT_COLUMNS.length } };
  let count = 0;
  for await (const r of agreementRows(db, pages(), names, today)) {
    sheet.addRow({ ...r, signedOn: cellDate(r.signedOn), termEnd: cellDate(r.termEnd) }).commit();
    count++;
  }
  sheet.commit();
  const follow = book.addWorksheet('Tindak lanjut', { views: [{ state: 'frozen', ySplit: 1 }] });
  follow.columns = FOLLOW_UP_HEADERS.map((header, i) => ({
    header,
    width: [24, 40, 48, 32, 30, 14, 12][i]!,
    ...(i === 5 ? { style: { numFmt: 'dd/mm/yyyy' } } : {}),
  }));
  follow.getRow(1).font = { bold: true };
  follow.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: FOLLOW_UP_HEADERS.length } };
  for await (const page of pages()) {
    for (const v of page) {
      for (const f of v.followUps.filter((x) => x.status === 'open')) {
        follow
          .addRow([
            v.id,
            v.title,
            f.title,
            names.get(f.ownerPartyId) ?? f.ownerPartyId,
            f.ownerEmail ?? '',
            cellDate(f.due),
            f.escalationLevel,
          ])
          .commit();
      }
    }
  }
  follow.commit();
  await book.commit();
  return count;
}

/** The field separator: `,` for programs, `;` for a spreadsheet set to Indonesian, where `,` is the decimal mark. */
export type CsvSeparator = ',' | ';';

export async function writeCsv(
  db: Kysely<Database>,
  pages: () => Pages,
  out: Writable,
  separator: CsvSeparator = ',',
  now = Date.now(),
): Promise<number> {
  const names = await directoryNames(db);
  const today = localDate(now, 'Asia/Jakarta');
  // A cell starting with = + - @ tab or CR is prefixed with ' (OWASP), so a spreadsheet never runs it as a formula.
  const columns = AGREEMENT_COLUMNS.map((c) => ({ key: c.key, header: c.header }));
  const csv = stringify({ header: true, bom: true, escape_formulas: true, delimiter: separator, columns });
  csv.pipe(out);
  let count = 0;
  for await (const r of agreementRows(db, pages(), names, today)) {
    // Respect the reader: wait when the socket is full, so rows do not pile up in memory.
    if (!csv.write(r)) await new Promise((resolve) => csv.once('drain', resolve));
    count++;
  }
  csv.end();
  await new Promise((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  return count;
}
