// The directory on the dashboard: an admin adds and edits parties, and imports a Pemda's OPD list from an
// XLSX or CSV: a preview first, every bad row by its line, and nothing written until confirmed (real PostgreSQL).
import { Client, Connection } from '@temporalio/client';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { formTokenFor } from '../../api/web/csrf.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { adminSession, postForm, sessionOf } from '../support/people.js';
import { lapasGarut, pemkabGarut } from '../support/scenario.js';
import { ADMIN_TOKEN, quietLog } from '../support/stack.js';

let t: TestDatabase;
let app: FastifyInstance;
let admin: string;
let liaison: string;
const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
const cookie = (id: string) => ({ cookie: `sinergi_sesi=${id}` });

beforeAll(async () => {
  t = await createTestDatabase('directory_import');
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = await buildApp({ db: t.db, temporal, adminToken: ADMIN_TOKEN, log: quietLog });
  for (const party of [lapasGarut, pemkabGarut]) {
    expect((await app.inject({ method: 'POST', url: '/v1/parties', headers: bearer, payload: party })).statusCode).toBe(
      201,
    );
  }
  admin = await adminSession(t.db);
  liaison = await sessionOf(t.db, 'widi@garutkab.test');
});

afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const form = (session: string, url: string, fields: Record<string, string>) => postForm(app, session, url, fields);

/** A multipart upload as a browser sends it, built by the platform's own FormData. */
async function upload(session: string, url: string, file: Uint8Array | undefined, name = 'opd.xlsx') {
  const data = new FormData();
  data.set('csrf', formTokenFor(session));
  if (file) data.set('file', new Blob([file]), name);
  const encoded = new Response(data);
  return app.inject({
    method: 'POST',
    url,
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { ...cookie(session), 'content-type': encoded.headers.get('content-type') ?? '' },
  });
}

const party = async (id: string) => {
  const res = await app.inject({ method: 'GET', url: `/v1/parties/${id}`, headers: bearer });
  return res.statusCode === 200 ? res.json() : undefined;
};

async function xlsx(rows: string[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('OPD');
  for (const r of rows) sheet.addRow(r);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const HEADER = ['ID OPD', 'Nama OPD', 'Zona waktu', 'Nama kontak', 'Jabatan', 'E-mail', 'Peran'];

describe('parties on the directory page', () => {
  it('lets an admin add and edit a party, refusing a bad field by name, and no one else', async () => {
    const page = (await app.inject({ method: 'GET', url: '/direktori', headers: cookie(admin) })).body;
    expect(page).toContain('action="/direktori/pihak"');
    expect(page).toContain('href="/direktori/pemkab-garut/impor"');
    const bad = await form(admin, '/direktori/pihak', {
      id: 'dinkes garut',
      name: 'Dinas Kesehatan',
      kind: 'opd',
      parentId: 'pemkab-garut',
      timeZone: 'Asia/Jakarta',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id');
    expect(await party('dinkes garut')).toBeUndefined();
    const ok = await form(admin, '/direktori/pihak', {
      id: 'dinkes-garut',
      name: 'Dinas Kesehatan',
      kind: 'opd',
      parentId: 'pemkab-garut',
      timeZone: 'Asia/Jakarta',
    });
    expect([ok.statusCode, ok.headers.location]).toEqual([303, '/direktori?saved=pihak']);
    expect(await party('dinkes-garut')).toMatchObject({
      name: 'Dinas Kesehatan',
      kind: 'opd',
      parentId: 'pemkab-garut',
      contacts: [],
    });
    const taken = await form(admin, '/direktori/pihak', {
      id: 'dinkes-garut',
      name: 'Lain',
      kind: 'opd',
      parentId: '',
      timeZone: 'Asia/Jakarta',
    });
    expect(taken.statusCode).toBe(409);
    const edited = await form(admin, '/direktori/dinkes-garut/ubah', {
      name: 'Dinas Kesehatan Kab. Garut',
      parentId: 'pemkab-garut',
      timeZone: 'Asia/Makassar',
    });
    expect(edited.statusCode).toBe(303);
    expect(await party('dinkes-garut')).toMatchObject({
      name: 'Dinas Kesehatan Kab. Garut',
      timeZone: 'Asia/Makassar',
    });
    const self = await form(admin, '/direktori/dinkes-garut/ubah', {
      name: 'X',
      parentId: 'dinkes-garut',
      timeZone: 'Asia/Jakarta',
    });
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('induk');
    expect(
      (
        await form(liaison, '/direktori/pihak', {
          id: 'x',
          name: 'X',
          kind: 'opd',
          parentId: '',
          timeZone: 'Asia/Jakarta',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await form(liaison, '/direktori/pemkab-garut/ubah', { name: 'X', parentId: '', timeZone: 'Asia/Jakarta' }))
        .statusCode,
    ).toBe(403);
    expect(await party('pemkab-garut')).toMatchObject({ name: pemkabGarut.name });
  });
});

describe("importing a Pemda's OPD list", () => {
  const url = '/direktori/pemkab-garut/impor';
  const rows = [
    HEADER,
    ['dinsos-garut', 'Dinas Sosial', '', 'Rina', 'Kabid Rehsos', 'rina@dinsos.test', 'penghubung'],
    ['dinsos-garut', 'Dinas Sosial', '', 'Kadis Sosial', 'Kepala Dinas', 'kadis@dinsos.test', 'penanda tangan'],
    ['disnaker-garut', 'Dinas Tenaga Kerja', 'WIB', 'Budi', 'Kabid Pelatihan', 'budi@disnaker.test', 'penghubung'],
    ['dpmptsp-garut', 'DPMPTSP', '', '', '', '', ''],
  ];

  it('previews an XLSX, writes nothing until confirmed, then adds every OPD under the Pemda', async () => {
    const preview = await upload(admin, url, await xlsx(rows));
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('3 OPD ditambah, 0 diubah');
    expect(await party('dinsos-garut')).toBeUndefined();
    const applied =
      preview.body
        .match(/name="rows" value="([^"]*)"/)?.[1]
        ?.replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&') ?? '';
    const done = await form(admin, `${url}/terapkan`, { rows: applied });
    expect([done.statusCode, done.headers.location]).toEqual([303, '/direktori?saved=impor']);
    expect(await party('dinsos-garut')).toMatchObject({
      kind: 'opd',
      parentId: 'pemkab-garut',
      timeZone: 'Asia/Jakarta',
      contacts: [
        { name: 'Rina', position: 'Kabid Rehsos', email: 'rina@dinsos.test', role: 'liaison' },
        { name: 'Kadis Sosial', position: 'Kepala Dinas', email: 'kadis@dinsos.test', role: 'signatory' },
      ],
    });
    expect(await party('dpmptsp-garut')).toMatchObject({ name: 'DPMPTSP', contacts: [] });
  });

  it('offers a template that the import itself reads', async () => {
    const page = await app.inject({ url, headers: cookie(admin) });
    expect(page.body).toContain(`href="${url}/templat.xlsx"`);
    const template = await app.inject({ url: `${url}/templat.xlsx`, headers: cookie(admin) });
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-disposition']).toBe('attachment; filename="templat-opd-pemkab-garut.xlsx"');
    const preview = await upload(admin, url, new Uint8Array(template.rawPayload));
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).toContain('dinsos-pemkab-garut');
  });

  it('reads a semicolon CSV with a BOM, and shows what would change', async () => {
    const csv =
      '\uFEFFID OPD;Nama OPD;Nama kontak;Jabatan;E-mail;Peran\n' +
      'disnaker-garut;Dinas Tenaga Kerja dan Transmigrasi;Budi;Kabid Pelatihan;budi@disnaker.test;penghubung\n' +
      'dinsos-garut;Dinas Sosial;Rina;Kabid Rehsos;rina@dinsos.test;penghubung\n' +
      'dinsos-garut;Dinas Sosial;Kadis Sosial;Kepala Dinas;kadis@dinsos.test;penanda tangan\n';
    const preview = await upload(admin, url, new TextEncoder().encode(csv), 'opd.csv');
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('0 OPD ditambah, 1 diubah, 1 tidak berubah');
    expect(preview.body).toContain('Diubah (nama)');
  });

  it('reports every bad row by its line and writes nothing', async () => {
    const bad = [
      HEADER,
      ['dinkominfo-garut', 'Diskominfo', '', 'Sari', 'Kabid', 'sari@kominfo.test', 'penghubung'],
      ['dinkes-baru', 'Dinkes', 'WIBB', '', '', '', ''],
      ['dinkominfo-garut', 'Diskominfo', '', 'Tono', 'Staf', 'bukan-email', 'penghubung'],
      ['lapas-garut', 'Bukan OPD', '', '', '', '', ''],
      ['dpmd-garut', 'DPMD', '', 'Ani', 'Kabid', 'ani@dpmd.test', 'bos'],
    ];
    const res = await upload(admin, url, await xlsx(bad));
    expect(res.statusCode).toBe(400);
    const lines = [...res.body.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(lines).toEqual([3, 4, 5, 6]);
    expect(res.body).toContain('Tidak ada yang disimpan');
    expect(await party('dinkominfo-garut')).toBeUndefined();
  });

  it('refuses what is not a spreadsheet, an empty upload and a zip bomb, each naming the file', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x81]);
    const notSheet = await upload(admin, url, png, 'opd.xlsx');
    expect(notSheet.statusCode).toBe(415);
    expect(notSheet.body).toContain('file:');
    const empty = await upload(admin, url, undefined);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('file:');
    const bomb = new JSZip();
    bomb.file('xl/worksheets/sheet1.xml', new Uint8Array(60 * 1024 * 1024));
    const packed = await bomb.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect(packed.length).toBeLessThan(2 * 1024 * 1024);
    const refused = await upload(admin, url, packed);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('file:');
    const tooBig = await upload(admin, url, new Uint8Array(3 * 1024 * 1024).fill(65), 'opd.csv');
    expect(tooBig.statusCode).toBe(413);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('is for admins only, and a tampered confirmation is refused by its field', async () => {
    expect((await app.inject({ method: 'GET', url, headers: cookie(liaison) })).statusCode).toBe(403);
    expect((await upload(liaison, url, await xlsx(rows))).statusCode).toBe(403);
    const tampered = await form(admin, `${url}/terapkan`, { rows: '{"not":"rows"}' });
    expect(tampered.statusCode).toBe(400);
    expect(tampered.body).toContain('rows');
  });
});
