// Importing a Pemda's OPD list from a spreadsheet (XLSX or CSV): read the rows, plan what would be added or
// changed, and apply the plan only after a person confirmed it. A bad row is reported by its line; any bad
// row means nothing is written.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Contact, Party, TimeZone } from '../domain/types.js';
import type { Database } from '../schema/database.js';
import type { Principal } from './access.js';
import { Refusal, notFound } from './errors.js';
import { checkZipBounds } from './files/zip-bounds.js';
import { addressesHeldElsewhere, toParty, type NewParty } from './directory.js';

export const MAX_IMPORT_ROWS = 2000;

/** One line of the sheet: its number as the spreadsheet shows it, and its cells as text. */
export interface SheetRow {
  line: number;
  cells: string[];
}
export interface RowError {
  line: number;
  message: string;
}
/** An OPD as the sheet describes it, with the lines it came from (the first names the OPD, each one a contact). */
export interface ImportedOpd {
  input: NewParty & { id: string };
  line: number;
  contactLines: number[];
}
export interface PlannedChange {
  action: 'add' | 'change' | 'same';
  opd: ImportedOpd['input'];
  before?: Party;
  changed: string[];
}

const COLUMNS = {
  id: ['id', 'id opd', 'kode', 'kode opd'],
  name: ['nama opd', 'opd', 'nama pihak'],
  zone: ['zona waktu', 'zona'],
  contact: ['nama kontak', 'kontak', 'nama'],
  position: ['jabatan'],
  email: ['e-mail', 'email', 'surel'],
  role: ['peran'],
} as const;
type Column = keyof typeof COLUMNS;

const ZONES: Record<string, TimeZone> = {
  wib: 'Asia/Jakarta',
  wita: 'Asia/Makassar',
  wit: 'Asia/Jayapura',
  'asia/jakarta': 'Asia/Jakarta',
  'asia/makassar': 'Asia/Makassar',
  'asia/jayapura': 'Asia/Jayapura',
};
const ROLES: Record<string, Contact['role']> = {
  penghubung: 'liaison',
  liaison: 'liaison',
  'penanda tangan': 'signatory',
  penandatangan: 'signatory',
  signatory: 'signatory',
  pimpinan: 'supervisor',
  supervisor: 'supervisor',
};

export class UnreadableSheet extends Refusal {
  constructor(message: string, status = 400) {
    super(status, 'unreadable_sheet', message, 'file');
  }
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** The rows of an XLSX (its first sheet) or a CSV (UTF-8, comma or semicolon), decided by the content. */
export async function readSheet(bytes: Buffer): Promise<SheetRow[]> {
  if (bytes.length === 0) throw new UnreadableSheet('Berkas kosong.');
  return isZip(bytes) ? readXlsx(bytes) : readCsv(bytes);
}

async function readXlsx(bytes: Buffer): Promise<SheetRow[]> {
  try {
    await checkZipBounds(bytes, 50 * 1024 * 1024);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const rows: SheetRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = cell.text.trim();
      });
      rows.push({ line: row.number, cells: Array.from(cells, (c) => c ?? '') });
    });
    return rows;
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new UnreadableSheet('Berkas Excel ini tidak dapat dibaca (rusak, atau bukan XLSX).');
  }
}

function readCsv(bytes: Buffer): SheetRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new UnreadableSheet('Berkas ini bukan XLSX dan bukan CSV UTF-8.', 415);
  }
  const first = text.split('\n', 1)[0] ?? '';
  const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    const records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new UnreadableSheet(`CSV tidak dapat dibaca${line ? ` (baris ${line})` : ''}: ${(err as Error).message}`);
  }
}

/** The OPDs the rows describe, one row per contact; rows of one OPD must agree on its name and zone. */
export function opdsFromRows(rows: SheetRow[], pemda: Party): { opds: ImportedOpd[]; errors: RowError[] } {
  const [header, ...body] = rows;
  if (!header)
    return { opds: [], errors: [{ line: 1, message: 'Lembar kosong: baris pertama harus berisi judul kolom.' }] };
  const index = columnsOf(header.cells);
  const missing = (['id', 'name'] as const).filter((c) => index[c] === undefined);
  if (missing.length) {
    return {
      opds: [],
      errors: [
        { line: header.line, message: `Kolom wajib tidak ada: ${missing.map((c) => COLUMNS[c][1]).join(', ')}.` },
      ],
    };
  }
  if (body.length > MAX_IMPORT_ROWS)
    return { opds: [], errors: [{ line: header.line, message: `Paling banyak ${MAX_IMPORT_ROWS} baris.` }] };
  const cell = (r: SheetRow, c: Column) => (index[c] === undefined ? '' : (r.cells[index[c]] ?? '').trim());
  const byId = new Map<string, ImportedOpd>();
  const errors: RowError[] = [];
  for (const row of body) {
    const id = cell(row, 'id');
    const name = cell(row, 'name');
    const zoneWord = cell(row, 'zone').toLowerCase();
    const zone = zoneWord ? ZONES[zoneWord] : undefined;
    if (!id) {
      errors.push({ line: row.line, message: 'ID OPD kosong.' });
      continue;
    }
    if (zoneWord && !zone) {
      errors.push({ line: row.line, message: `Zona waktu "${cell(row, 'zone')}" tidak dikenal (WIB, WITA atau WIT).` });
      continue;
    }
    let opd = byId.get(id);
    if (!opd) {
      opd = {
        input: { id, name, kind: 'opd', parentId: pemda.id, timeZone: zone ?? pemda.timeZone, contacts: [] },
        line: row.line,
        contactLines: [],
      };
      byId.set(id, opd);
    } else if ((name && name !== opd.input.name) || (zone && zone !== opd.input.timeZone)) {
      errors.push({ line: row.line, message: `Nama atau zona OPD "${id}" berbeda dengan baris ${opd.line}.` });
      continue;
    }
    const contact = {
      name: cell(row, 'contact'),
      position: cell(row, 'position'),
      email: cell(row, 'email'),
      role: cell(row, 'role'),
    };
    if (!Object.values(contact).some(Boolean)) continue;
    const role = ROLES[contact.role.toLowerCase()];
    if (!role) {
      errors.push({
        line: row.line,
        message: `Peran "${contact.role}" tidak dikenal (penghubung, penanda tangan, pimpinan).`,
      });
      continue;
    }
    opd.input.contacts.push({ ...contact, role });
    opd.contactLines.push(row.line);
  }
  return { opds: [...byId.values()], errors };
}

function columnsOf(cells: string[]): Partial<Record<Column, number>> {
  const index: Partial<Record<Column, number>> = {};
  cells.forEach((raw, i) => {
    const word = raw.trim().toLowerCase();
    const column = (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).includes(word));
    if (column && index[column] === undefined) index[column] = i;
  });
  return index;
}

/** The line a field of an imported OPD came from: a contact's own row, or the OPD's first row. */
export function lineOfField(opd: ImportedOpd, field: string | undefined): number {
  const m = /^contacts\[(\d+)\]/.exec(field ?? '');
  return (m ? opd.contactLines[Number(m[1])] : undefined) ?? opd.line;
}

export async function importTarget(db: Kysely<Database>, principal: Principal, pemdaId: string): Promise<Party> {
  if (principal.role !== 'admin') throw new Refusal(403, 'forbidden', 'Hanya admin yang boleh mengimpor daftar OPD.');
  const row = await db.selectFrom('parties').selectAll().where('id', '=', pemdaId).executeTakeFirst();
  if (!row) throw notFound(`Pihak "${pemdaId}"`);
  if (row.kind !== 'pemda') {
    throw new Refusal(
      400,
      'not_a_pemda',
      `${row.name} bukan Pemda: daftar OPD hanya dapat diimpor di bawah sebuah Pemda.`,
      'partyId',
    );
  }
  return toParty(row);
}

/** What applying would do, OPD by OPD; an id that belongs to a party outside this Pemda is an error on its line. */
export async function planImport(
  db: Kysely<Database>,
  principal: Principal,
  pemdaId: string,
  opds: ImportedOpd[],
): Promise<{ changes: PlannedChange[]; errors: RowError[] }> {
  await importTarget(db, principal, pemdaId);
  const ids = opds.map((o) => o.input.id);
  const existing = ids.length ? await db.selectFrom('parties').selectAll().where('id', 'in', ids).execute() : [];
  const known = new Map(existing.map((r) => [r.id, toParty(r)]));
  const changes: PlannedChange[] = [];
  const errors: RowError[] = [];
  for (const opd of opds) {
    const before = known.get(opd.input.id);
    // One address, one party: an import never moves a contact away from another party silently.
    const held = await addressesHeldElsewhere(db, opd.input.id, opd.input.contacts);
    for (const h of held) {
      errors.push({
        line: lineOfField(opd, h.field),
        message: `Alamat ${h.email} sudah tercatat sebagai kontak ${h.partyName}.`,
      });
    }
    if (held.length) continue;
    if (!before) {
      changes.push({ action: 'add', opd: opd.input, changed: [] });
      continue;
    }
    if (before.parentId !== pemdaId || before.kind !== 'opd') {
      errors.push({
        line: opd.line,
        message: `ID "${opd.input.id}" sudah dipakai pihak lain (${before.name}), bukan OPD di bawah pihak ini.`,
      });
      continue;
    }
    const changed = [
      ...(before.name !== opd.input.name ? ['nama'] : []),
      ...(before.timeZone !== opd.input.timeZone ? ['zona waktu'] : []),
      ...(contactsKey(before.contacts) !== contactsKey(opd.input.contacts) ? ['kontak'] : []),
    ];
    changes.push({ action: changed.length ? 'change' : 'same', opd: opd.input, before, changed });
  }
  return { changes, errors };
}

/** Contacts compared field by field (PostgreSQL's jsonb keeps its own key order). */
const contactsKey = (contacts: Contact[]): string =>
  JSON.stringify(contacts.map((c) => [c.name, c.position, c.email.toLowerCase(), c.role]));

/** Applies a plan in one transaction: planned again inside it, so a change since the preview is seen. */
export async function applyImport(
  db: Kysely<Database>,
  principal: Principal,
  pemdaId: string,
  opds: ImportedOpd[],
): Promise<PlannedChange[]> {
  return db.transaction().execute(async (tx) => {
    const { changes, errors } = await planImport(tx, principal, pemdaId, opds);
    if (errors.length)
      throw new Refusal(409, 'import_conflict', `Baris ${errors[0]!.line}: ${errors[0]!.message}`, 'file');
    const now = new Date();
    for (const c of changes) {
      const values = {
        name: c.opd.name,
        time_zone: c.opd.timeZone ?? 'Asia/Jakarta',
        contacts: JSON.stringify(c.opd.contacts),
        updated_at: now,
      };
      if (c.action === 'add')
        await tx
          .insertInto('parties')
          .values({ ...values, id: c.opd.id, kind: 'opd', parent_id: pemdaId })
          .execute();
      if (c.action === 'change') await tx.updateTable('parties').set(values).where('id', '=', c.opd.id).execute();
    }
    return changes;
  });
}

/** The columns the import reads, in the words people use, and one example row for a Pemda's OPD. */
const TEMPLATE_HEADER = ['ID OPD', 'Nama OPD', 'Zona waktu', 'Nama kontak', 'Jabatan', 'E-mail', 'Peran'];

/** A spreadsheet to fill in: the header the import reads and one example row, with the OPD id made from the Pemda's. */
export async function importTemplate(pemda: Party): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('OPD');
  sheet.addRow(TEMPLATE_HEADER).font = { bold: true };
  sheet.addRow([
    `dinsos-${pemda.id}`.slice(0, 64),
    'Dinas Sosial',
    'WIB',
    'Nama Penghubung',
    'Kepala Bidang',
    'penghubung@dinsos.example',
    'penghubung',
  ]);
  sheet.columns.forEach((c) => {
    c.width = 24;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
