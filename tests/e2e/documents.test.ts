// Documents kept in Sinergi, against the real stack (Temporal, PostgreSQL, SMTP): real DOCX and PDF files made
// with document libraries, uploaded, downloaded byte for byte, compared between draft versions, searched,
// refused when they are not what they claim, and a first draft generated from the agreement's own data.
import { createHash } from 'node:crypto';
import { AlignmentType, Document, Packer, Paragraph } from 'docx';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportWithDocuments, verifyDocuments } from '../../cli/documents.js';
import { createToken } from '../../cli/tokens.js';
import { formTokenFor } from '../../api/web/csrf.js';
import { driveToSigning, registerParty } from '../support/lifecycle.js';
import { adminSession, postForm, sessionOf } from '../support/people.js';
import { screenshotOf } from '../support/screenshot.js';
import { ADMIN_TOKEN, eventually, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

let stack: Stack;
let api: ReturnType<typeof http>;
let outsider: string;
const ID = 'dok-garut';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const CLAUSES = [
  'Pasal 1 Maksud dan tujuan kerja sama ini adalah pembinaan warga binaan pemasyarakatan.',
  'Pasal 2 Ruang lingkup meliputi pelatihan keterampilan kerja dan layanan kesehatan.',
  'Pasal 3 Biaya pelaksanaan dibebankan pada anggaran masing-masing pihak.',
];
const docx = (paragraphs: string[]) =>
  Packer.toBuffer(
    new Document({
      sections: [{ children: paragraphs.map((p) => new Paragraph({ text: p, alignment: AlignmentType.LEFT })) }],
    }),
  );

async function pdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++)
    doc.addPage().drawText(`Salinan bertanda tangan halaman ${i}`, { x: 50, y: 700, size: 14, font });
  return doc.save();
}

/** A multipart upload as a client sends it, built by the platform's FormData. */
async function upload(
  agreementId: string,
  file: Uint8Array | undefined,
  filename: string,
  kind?: string,
  token = ADMIN_TOKEN,
) {
  const form = new FormData();
  if (kind) form.set('kind', kind);
  if (file) form.set('file', new Blob([file]), filename);
  const res = await fetch(`${stack.baseUrl}/v1/agreements/${agreementId}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}
const download = (id: string, token = ADMIN_TOKEN) =>
  fetch(`${stack.baseUrl}/v1/documents/${id}`, { headers: { authorization: `Bearer ${token}` } });
const storedCount = async () =>
  Number(
    (
      await stack.database.db
        .selectFrom('documents')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function inDrafting(id: string, scope: string[]) {
  const parties = [
    { partyId: 'lapas-dok', role: 'initiator' },
    { partyId: 'pemkab-dok', role: 'counterpart' },
  ];
  expect(
    (
      await api('POST', '/v1/agreements', {
        id,
        title: `Kesepakatan ${id}`,
        instrument: 'kesepakatan_bersama',
        parties,
        scope: [],
        termMonths: 60,
      })
    ).status,
  ).toBe(201);
  const meeting = await api('POST', `/v1/agreements/${id}/meetings`, {
    kind: 'audiensi',
    at: dates.at(dates.workingDays(-2)),
    venue: 'Aula',
  });
  const minutes = await api('POST', `/v1/agreements/${id}/meetings/${meeting.body.meetings[0].id}/minutes`, {
    attendees: [{ name: 'Kalapas', position: 'Kepala', partyId: 'lapas-dok' }],
    summary: 'Lanjut ke draf.',
    agreedScope: scope,
    outcome: 'proceed_to_drafting',
  });
  expect(minutes.body.stage, JSON.stringify(minutes.body)).toBe('drafting');
}

beforeAll(async () => {
  stack = await startStack({ maxUploadMb: 2 });
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-dok', name: 'Lapas Kelas IIA Garut', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-dok', name: 'Pemerintah Kabupaten Garut', kind: 'pemda' });
  await registerParty(api, { id: 'bapas-lain', name: 'Bapas Ambon', kind: 'upt' });
  outsider = (await createToken(stack.database.db, { role: 'party', partyId: 'bapas-lain' })).token;
  await inDrafting(ID, ['Pelatihan keterampilan', 'Layanan kesehatan']);
});
afterAll(async () => stack?.stop());

describe('documents kept in Sinergi', () => {
  let v2: string;
  let signed: string;

  it('keeps a DOCX and a PDF, and gives back the same bytes with their name, type and SHA-256', async () => {
    const file = new Uint8Array(await docx(CLAUSES));
    const up = await upload(ID, file, 'Draf Kesepakatan – versi 1.docx', 'draft');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({
      kind: 'draft',
      filename: 'Draf Kesepakatan – versi 1.docx',
      size: file.length,
      sha256: sha(file),
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    const res = await download(up.body.id);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(sha(bytes)).toBe(sha(file));
    expect(res.headers.get('content-type')).toBe(up.body.contentType);
    expect(res.headers.get('etag')).toBe(`"${sha(file)}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Draf Kesepakatan _ versi 1.docx"; filename*=UTF-8''Draf%20Kesepakatan%20%E2%80%93%20versi%201.docx`,
    );
    const submitted = await api('POST', `/v1/agreements/${ID}/drafts`, { documentId: up.body.id });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.drafts[0]).toMatchObject({
      version: 1,
      documentId: up.body.id,
      sha256: sha(file),
      documentUrl: `/dokumen/${up.body.id}`,
    });

    const scan = await pdf(3);
    const kept = await upload(ID, scan, 'salinan.pdf', 'signed');
    expect(kept.body).toMatchObject({ contentType: 'application/pdf', sha256: sha(scan) });
    signed = kept.body.id;
    expect(sha(new Uint8Array(await (await download(signed)).arrayBuffer()))).toBe(sha(scan));
  });

  it('shows exactly the clause version 2 changed, and the review e-mail says how much changed with a link', async () => {
    const changed = [
      CLAUSES[0]!,
      'Pasal 2 Ruang lingkup meliputi pelatihan kewirausahaan dan layanan kesehatan.',
      CLAUSES[2]!,
    ];
    const up = await upload(ID, new Uint8Array(await docx(changed)), 'Draf versi 2.docx', 'draft');
    v2 = up.body.id;
    const submitted = await api('POST', `/v1/agreements/${ID}/drafts`, { documentId: v2, note: 'Pasal 2 diubah' });
    expect(submitted.body.drafts[1]).toMatchObject({ version: 2, changes: { added: 1, removed: 2 } });
    const changes = await api('GET', `/v1/agreements/${ID}/drafts/2/changes`);
    expect(changes.status).toBe(200);
    expect(changes.body).toMatchObject({ from: 1, to: 2, added: 1, removed: 2 });
    const marked = changes.body.hunks.filter((h: { op: string }) => h.op !== 'equal');
    expect(marked).toEqual([
      { op: 'removed', text: 'keterampilan kerja' },
      { op: 'added', text: 'kewirausahaan' },
    ]);
    expect(changes.body.hunks.map((h: { text: string }) => h.text).join('')).toContain(CLAUSES[2]);
    const mail = await eventually('the review request for version 2', async () =>
      stack.sink.received.find(
        (m) =>
          m.raw.toString().includes('draf versi 2') ||
          m.raw
            .toString()
            .replace(/=\r?\n/g, '')
            .includes('versi 2:'),
      ),
    );
    const text = mail.raw.toString().replace(/=\r?\n/g, '');
    expect(text).toContain('1 kata ditambah, 2 dihapus');
    expect(text).toContain(`/kesepakatan/${ID}/draf/2/perubahan`);
    expect((await api('GET', `/v1/agreements/${ID}/drafts/1/changes`)).status).toBe(409);
  });

  it('finds a word that only version 2 holds, for those who may see it and no one else', async () => {
    const found = await api('GET', '/v1/documents?q=kewirausahaan');
    expect(found.body.items.map((d: { id: string; version?: number }) => [d.id, d.version])).toEqual([[v2, 2]]);
    expect(found.body.items[0].snippet).toContain('<mark>kewirausahaan</mark>');
    const party = (await createToken(stack.database.db, { role: 'party', partyId: 'pemkab-dok' })).token;
    expect((await http(stack.baseUrl, party)('GET', '/v1/documents?q=kewirausahaan')).body.items).toHaveLength(1);
    expect((await http(stack.baseUrl, outsider)('GET', '/v1/documents?q=kewirausahaan')).body.items).toEqual([]);
  });

  it('keeps attachments with the minutes, and refuses a document of another agreement by its field', async () => {
    const meeting = await api('POST', `/v1/agreements/${ID}/meetings`, {
      kind: 'coordination',
      at: dates.at(dates.workingDays(-1)),
      venue: 'Aula',
    });
    const meetingId = meeting.body.meetings.at(-1).id;
    const foreign = await api('POST', `/v1/agreements/${ID}/meetings/${meetingId}/minutes`, {
      attendees: [{ name: 'Kasi', position: 'Kasi', partyId: 'lapas-dok' }],
      summary: 'Rapat koordinasi.',
      documentIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect([foreign.status, foreign.body.error.field]).toEqual([400, 'documentIds[0]']);
    const minutes = await api('POST', `/v1/agreements/${ID}/meetings/${meetingId}/minutes`, {
      attendees: [{ name: 'Kasi', position: 'Kasi', partyId: 'lapas-dok' }],
      summary: 'Rapat koordinasi.',
      documentIds: [signed],
    });
    expect(minutes.status, JSON.stringify(minutes.body)).toBe(200);
    expect(minutes.body.meetings.at(-1).minutes.documents).toEqual([
      { documentId: signed, filename: 'salinan.pdf', sha256: expect.any(String) },
    ]);
  });

  it("hides another party's document exactly as an unknown one", async () => {
    expect((await download(signed, outsider)).status).toBe(404);
    expect((await download('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await upload(ID, await pdf(1), 'x.pdf', 'report', outsider)).status).toBe(404);
    expect((await http(stack.baseUrl, outsider)('GET', `/v1/agreements/${ID}/drafts/2/changes`)).status).toBe(404);
  });

  it('refuses what it must, naming the field, and stores nothing', async () => {
    const before = await storedCount();
    const exe = Uint8Array.from([
      0x4d,
      0x5a,
      0x90,
      0x00,
      0x03,
      0x00,
      0x00,
      0x00,
      0x04,
      0x00,
      0x00,
      0x00,
      0xff,
      0xff,
      ...new Array(200).fill(0),
    ]);
    const renamed = await upload(ID, exe, 'laporan.pdf', 'report');
    expect([renamed.status, renamed.body.error.field]).toEqual([415, 'file']);
    expect(renamed.body.error.message).toContain('application/x-msdownload');
    const big = await upload(ID, new Uint8Array(3 * 1024 * 1024), 'besar.pdf', 'report');
    expect([big.status, big.body.error.field]).toEqual([413, 'file']);
    const empty = await upload(ID, new Uint8Array(0), 'kosong.pdf', 'report');
    expect([empty.status, empty.body.error.field]).toEqual([400, 'file']);
    const noKind = await upload(ID, await pdf(1), 'x.pdf');
    expect([noKind.status, noKind.body.error.field]).toEqual([400, 'kind']);
    const badKind = await upload(ID, await pdf(1), 'x.pdf', 'rahasia');
    expect([badKind.status, badKind.body.error.field]).toEqual([400, 'kind']);
    expect(await storedCount()).toBe(before);
  });

  it('keeps a zip bomb dressed as a DOCX as uploaded, with a note instead of text, and stays up', async () => {
    const bomb = new JSZip();
    bomb.file(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    );
    bomb.file('word/document.xml', new Uint8Array(300 * 1024 * 1024));
    const packed = await bomb.generateAsync({
      type: 'uint8array',
      compression: 'DEFLATE',
      compressionOptions: { level: 9 },
    });
    expect(packed.length).toBeLessThan(2 * 1024 * 1024);
    const kept = await upload(ID, packed, 'draf.docx', 'attachment');
    expect(kept.status, JSON.stringify(kept.body)).toBe(201);
    expect(kept.body.textNote).toContain('terlalu besar');
    const broken = await upload(ID, (await pdf(2)).slice(0, 400), 'rusak.pdf', 'attachment');
    expect([broken.status, broken.body.textNote]).toEqual([
      201,
      'Teks tidak dapat dibaca dari berkas ini; berkasnya tetap disimpan apa adanya.',
    ]);
    expect((await fetch(`${stack.baseUrl}/healthz`)).status).toBe(200);
  });

  it('exports an agreement with its files, each under its SHA-256', async () => {
    const zip = await JSZip.loadAsync((await exportWithDocuments(stack.database.db, ID))!);
    const record = JSON.parse(await zip.file('agreement.json')!.async('string'));
    expect(record.files.map((f: { kind: string }) => f.kind)).toEqual([
      'draft',
      'signed',
      'draft',
      'attachment',
      'attachment',
    ]);
    for (const f of record.files as { sha256: string }[]) {
      expect(sha(await zip.file(`documents/${f.sha256}`)!.async('uint8array'))).toBe(f.sha256);
    }
    expect(record.events.find((e: { type: string }) => e.type === 'DraftSubmitted').data.documentId).toBe(
      record.files[0].id,
    );
  });

  it("reports a stored document whose bytes were changed behind Sinergi's back", async () => {
    expect((await verifyDocuments(stack.database.db)).mismatches).toEqual([]);
    const doc = await stack.database.db
      .selectFrom('documents')
      .select(['sha256'])
      .where('id', '=', signed)
      .executeTakeFirstOrThrow();
    await stack.database.db
      .updateTable('blobs')
      .set({ bytes: Buffer.from('diubah') })
      .where('sha256', '=', doc.sha256)
      .execute();
    const { mismatches } = await verifyDocuments(stack.database.db);
    expect(mismatches).toEqual([
      {
        sha256: doc.sha256,
        actual: sha(Buffer.from('diubah')),
        documents: [{ id: signed, agreementId: ID, filename: 'salinan.pdf' }],
      },
    ]);
  });
});

describe('a first draft written by Sinergi', () => {
  it("generates a DOCX from the agreement's data and submits it as the next version", async () => {
    await inDrafting('dok-draf', ['Pelatihan keterampilan kerja', 'Layanan kesehatan', 'Pembinaan kepribadian']);
    const res = await api('POST', '/v1/agreements/dok-draf/drafts/generate');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const draft = res.body.drafts[0];
    expect(draft).toMatchObject({ version: 1 });
    const file = Buffer.from(await (await download(draft.documentId)).arrayBuffer());
    const { value: text } = await mammoth.extractRawText({ buffer: file });
    expect(text).toContain('KESEPAKATAN BERSAMA');
    // The heading says what it is about once: the scope after TENTANG, not the title again ("Kesepakatan dok-draf").
    expect(text).toContain(
      'TENTANG\n\nKERJA SAMA DI BIDANG PELATIHAN KETERAMPILAN KERJA, LAYANAN KESEHATAN DAN PEMBINAAN KEPRIBADIAN',
    );
    expect(text).not.toContain('KESEPAKATAN DOK-DRAF');
    for (const name of [
      'LAPAS KELAS IIA GARUT',
      'PEMERINTAH KABUPATEN GARUT',
      'Pimpinan lapas-dok',
      'Pimpinan pemkab-dok',
    ])
      expect(text).toContain(name);
    for (const item of ['Pelatihan keterampilan kerja', 'Layanan kesehatan', 'Pembinaan kepribadian'])
      expect(text).toContain(item);
    expect(text).toContain('jangka waktu 5 (lima) tahun');
    expect(text).toMatch(
      /Pada hari ini (Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu) tanggal [a-z ]+ bulan [A-Z][a-z]+ tahun dua ribu/,
    );
    for (const pasal of [
      'MAKSUD DAN TUJUAN',
      'RUANG LINGKUP',
      'PELAKSANAAN',
      'PEMBIAYAAN',
      'JANGKA WAKTU',
      'MONITORING DAN EVALUASI',
      'PENYELESAIAN PERSELISIHAN',
      'PENUTUP',
    ]) {
      expect(text).toContain(pasal);
    }
  });

  it('leaves nothing behind when the draft may not be submitted', async () => {
    expect(
      (
        await api('POST', '/v1/agreements', {
          id: 'dok-awal',
          title: 'Masih penjajakan',
          instrument: 'kesepakatan_bersama',
          parties: [
            { partyId: 'lapas-dok', role: 'initiator' },
            { partyId: 'pemkab-dok', role: 'counterpart' },
          ],
          scope: [],
        })
      ).status,
    ).toBe(201);
    const before = await storedCount();
    const refused = await api('POST', '/v1/agreements/dok-awal/drafts/generate');
    expect(refused.status).toBe(409);
    expect(await storedCount()).toBe(before);
  });
});

describe('documents on the dashboard', () => {
  let session: string;
  const page = (path: string) =>
    fetch(`${stack.baseUrl}${path}`, { headers: { cookie: `sinergi_sesi=${session}` }, redirect: 'manual' });
  const post = (path: string, form: FormData | string) =>
    fetch(`${stack.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      body: form,
      headers: {
        cookie: `sinergi_sesi=${session}`,
        ...(typeof form === 'string' ? { 'content-type': 'multipart/form-data; boundary=x' } : {}),
      },
    });
  beforeAll(async () => {
    session = await sessionOf(stack.database.db, 'penghubung@pemkab-dok.test');
  });

  it('shows the comparison with insertions and deletions marked, linked from the version', async () => {
    const agreement = await (await page(`/kesepakatan/${ID}`)).text();
    expect(agreement).toContain('Draf versi 2.docx');
    expect(agreement).toContain(`href="/kesepakatan/${ID}/draf/2/perubahan"`);
    expect(agreement).toContain('1 kata ditambah, 2 dihapus');
    const res = await page(`/kesepakatan/${ID}/draf/2/perubahan`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/<del id="perubahan-pertama">keterampilan kerja<\/del>/);
    expect(text).toContain('<a href="#perubahan-pertama">Ke perubahan pertama');
    expect(text).toContain('<ins>kewirausahaan</ins>');
    expect(text.match(/<ins>/g)).toHaveLength(2); // the change, and the legend
    await screenshotOf(text, 'draft-changes.png');
  });

  it('uploads a draft from the dashboard as the next version, and downloads it', async () => {
    const form = new FormData();
    form.set('csrf', formTokenFor(session));
    form.set('kind', 'draft');
    form.set('submit', 'ya');
    form.set('file', new Blob([new Uint8Array(await docx([...CLAUSES, 'Pasal 4 Penutup.']))]), 'Draf versi 3.docx');
    const res = await post(`/kesepakatan/${ID}/dokumen`, form);
    expect([res.status, res.headers.get('location')]).toEqual([303, `/kesepakatan/${ID}?ok=dokumen`]);
    const view = (await api('GET', `/v1/agreements/${ID}`)).body;
    expect(view.drafts[2]).toMatchObject({ version: 3 });
    const events = (await api('GET', `/v1/agreements/${ID}/events`)).body.items as { type: string; actor: object }[];
    // The submission, not an e-mail receipt that may have been recorded after it.
    const submitted = events.filter((e) => e.type === 'DraftSubmitted').at(-1)!;
    expect(submitted.actor).toMatchObject({ email: 'penghubung@pemkab-dok.test' });
    const file = await page(`/dokumen/${view.drafts[2].documentId}`);
    expect(file.headers.get('content-disposition')).toContain('Draf%20versi%203.docx');
  });

  it('refuses a broken multipart form with a page, never a fault', async () => {
    const res = await post(
      `/kesepakatan/${ID}/dokumen`,
      '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 terpotong',
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const api = await fetch(`${stack.baseUrl}/v1/agreements/${ID}/documents`, {
      method: 'POST',
      body: '--x\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndraft\r\n--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect([api.status, ((await api.json()) as { error: { field: string } }).error.field]).toEqual([400, 'file']);
  });

  it('searches the text of the documents a person may see', async () => {
    const text = await (await page('/dokumen?q=kewirausahaan')).text();
    expect(text).toContain('<mark>kewirausahaan</mark>');
    expect(text).toContain('Draf versi 2.docx');
  });

  it('records the signing with its signed copy from the dashboard, and the public list links that copy', async () => {
    const id = 'dok-ditandatangani';
    await api('POST', '/v1/agreements', {
      id,
      title: 'MoU bertanda tangan',
      instrument: 'nota_kesepahaman',
      parties: [
        { partyId: 'lapas-dok', role: 'initiator' },
        { partyId: 'pemkab-dok', role: 'counterpart' },
      ],
      scope: ['pembinaan'],
    });
    await driveToSigning(api, id);
    const on = dates.workingDays(-1);
    const signatories = [
      { partyId: 'lapas-dok', name: 'Kalapas', position: 'Kepala' },
      { partyId: 'pemkab-dok', name: 'Bupati', position: 'Bupati' },
    ];
    expect(
      (await api('POST', `/v1/agreements/${id}/signing`, { at: dates.at(on), venue: 'Aula', signatories })).status,
    ).toBe(200);
    const copy = await upload(id, await pdf(1), 'MoU ditandatangani.pdf', 'signed');
    expect(copy.status).toBe(201);
    const admin = await adminSession(stack.database.db);
    const form = await stack.app.inject({ url: `/kesepakatan/${id}`, headers: { cookie: `sinergi_sesi=${admin}` } });
    // The uploaded signed copy is the record form's choice already.
    expect(form.body).toMatch(new RegExp(`<option value="${copy.body.id}" selected>MoU ditandatangani.pdf</option>`));
    const recorded = await postForm(stack.app, admin, `/kesepakatan/${id}/aksi/record`, {
      signedAt: on,
      'doc-lapas-dok': 'W1/1',
      'doc-pemkab-dok': '180/1',
      signedCopy: copy.body.id,
    });
    expect(recorded.statusCode, recorded.body).toBe(303);
    await api('POST', `/v1/agreements/${id}/publication`, { public: true });
    const listed = await eventually('the public list shows it', async () => {
      const body = await (await fetch(`${stack.baseUrl}/publik`)).text();
      return body.includes('MoU bertanda tangan') && body;
    });
    expect(listed).toContain(`<a href="/publik/dokumen/${copy.body.id}">MoU ditandatangani.pdf</a>`);
  });
});
