// Documents: a 10 MB PDF uploaded and downloaded through the API (multipart, type check, SHA-256, text read,
// PostgreSQL) against writing and reading the same bytes with plain SQL; and the text read of a 50-page PDF.
// The median of three runs of each, with the spread.
import { createHash, randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { pino } from 'pino';
import { buildApp } from '../api/app.js';
import type { Database } from '../schema/database.js';
import { extractTextOf } from '../services/documents/text.js';
import { seedAgreements } from './api-reads.js';
import type { Row } from './event-store.js';

const ADMIN = 'bench-admin-token-0123456789';
const RUNS = 3;

/** A PDF of `pages` pages of agreement text, and `padding` bytes of incompressible attachment. */
export async function benchPdf(pages: number, padding = 0): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= pages; p++) {
    const page = doc.addPage();
    for (let line = 0; line < 40; line++) {
      page.drawText(`Pasal ${p}.${line + 1} Para pihak sepakat melaksanakan pembinaan warga binaan pemasyarakatan.`, {
        x: 40,
        y: 780 - line * 18,
        size: 10,
        font,
      });
    }
  }
  if (padding) await doc.attach(randomBytes(padding), 'lampiran.bin', { mimeType: 'application/octet-stream' });
  return doc.save();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `runs ${xs.map((x) => x.toFixed(1)).join(', ')}`;

export async function documents(db: Kysely<Database>): Promise<Row[]> {
  await seedAgreements(db, 1);
  const app = await buildApp({
    db,
    temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    adminToken: ADMIN,
    log: pino({ level: 'silent' }),
  });
  // A different file each run (random padding), so nothing is already stored under its SHA-256.
  const files = await Promise.all(Array.from({ length: RUNS }, () => benchPdf(50, 10 * 1024 * 1024)));
  const mb = files[0]!.length / 1048576;
  const form = new FormData();
  form.set('kind', 'signed');
  const rows: Row[] = [];
  const up: number[] = [],
    down: number[] = [],
    sqlUp: number[] = [],
    sqlDown: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const bytes = files[run]!;
    form.set('file', new Blob([bytes]), `salinan-${run}.pdf`);
    const encoded = new Response(form);
    const payload = Buffer.from(await encoded.arrayBuffer());
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': encoded.headers.get('content-type')! };
    let t = performance.now();
    const res = await app.inject({ method: 'POST', url: '/v1/agreements/read-0000000/documents', payload, headers });
    up.push(mb / ((performance.now() - t) / 1000));
    if (res.statusCode !== 201) throw new Error(`upload: ${res.statusCode} ${res.body}`);
    t = performance.now();
    const got = await app.inject({
      method: 'GET',
      url: `/v1/documents/${res.json().id}`,
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    down.push(mb / ((performance.now() - t) / 1000));
    if (got.rawPayload.length !== bytes.length) throw new Error('download: wrong length');

    const key = createHash('sha256').update(bytes).update('plain').digest('hex');
    t = performance.now();
    await sql`insert into blobs (sha256, size, bytes) values (${key}, ${bytes.length}, ${Buffer.from(bytes)})`.execute(
      db,
    );
    sqlUp.push(mb / ((performance.now() - t) / 1000));
    t = performance.now();
    await sql`select bytes from blobs where sha256 = ${key}`.execute(db);
    sqlDown.push(mb / ((performance.now() - t) / 1000));
  }
  await app.close();
  // Where the upload's time goes, beyond the INSERT: hashing and reading the text of the same file.
  let t = performance.now();
  createHash('sha256').update(files[0]!).digest('hex');
  const hashMs = performance.now() - t;
  t = performance.now();
  await extractTextOf('pdf', Buffer.from(files[0]!));
  const readMs = performance.now() - t;
  rows.push({
    benchmark: `upload of a ${mb.toFixed(1)} MB PDF (50 pages of text), median of ${RUNS}`,
    figure: +median(up).toFixed(1),
    unit: 'MB/s',
    baseline: +median(sqlUp).toFixed(1),
    ratio: +(median(up) / median(sqlUp)).toFixed(2),
    note: `ours: multipart, type check, SHA-256 (${hashMs.toFixed(0)} ms), text read (${readMs.toFixed(0)} ms), blob + row; baseline: one INSERT of the bytes. ${spread(up)} vs ${spread(sqlUp)}`,
  });
  rows.push({
    benchmark: `download of the same PDF, median of ${RUNS}`,
    figure: +median(down).toFixed(1),
    unit: 'MB/s',
    baseline: +median(sqlDown).toFixed(1),
    ratio: +(median(down) / median(sqlDown)).toFixed(2),
    note: `ours: access check, row, blob, headers; baseline: one SELECT of the bytes. ${spread(down)} vs ${spread(sqlDown)}`,
  });

  const fifty = Buffer.from(await benchPdf(50));
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t = performance.now();
    const text = await extractTextOf('pdf', fifty);
    times.push(performance.now() - t);
    if (!text || !('text' in text) || !text.text.includes('Pasal 50.40')) throw new Error('text read failed');
  }
  rows.push({
    benchmark: `text read of a 50-page PDF (${(fifty.length / 1024).toFixed(0)} KB, 2,000 lines), median of ${RUNS}`,
    figure: Math.round(median(times)),
    unit: 'ms',
    baseline: 0,
    ratio: 0,
    note: `unpdf (pdf.js); ${spread(times)} ms`,
  });
  return rows;
}
