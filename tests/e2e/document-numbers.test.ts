// Document numbers by each office's template, against the real stack: proposals, the register, races, batal.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../domain/dates.js';
import { createToken } from '../../cli/tokens.js';
import { postForm, sessionOf } from '../support/people.js';
import { driveToSigning, registerParty } from '../support/lifecycle.js';
import { http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

let stack: Stack;
let api: ReturnType<typeof http>;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-cibinong', name: 'Lapas Kelas IIA Cibinong', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-bogor', name: 'Pemerintah Kabupaten Bogor', kind: 'pemda' });
  await registerParty(api, { id: 'pemkab-tanpa-templat', name: 'Pemerintah Kabupaten Tanpa Templat', kind: 'pemda' });
});
afterAll(async () => stack?.stop());

const at = dates.at(dates.workingDays(15));
const year = Number(localDate(at, 'Asia/Jakarta').slice(0, 4));
const LAPAS = 'W.11.PAS.PAS.10-HM.05.02-{nomor}';
const PEMDA = '000.8.3.3/{nomor}/Bag.Kerjasama/{tahun}';

async function agreementInSigning(id: string, counterpart = 'pemkab-bogor') {
  const started = await api('POST', '/v1/agreements', {
    id,
    title: `Kesepakatan ${id}`,
    instrument: 'nota_kesepahaman',
    scope: ['pembinaan kemandirian'],
    parties: [
      { partyId: 'lapas-cibinong', role: 'initiator' },
      { partyId: counterpart, role: 'counterpart' },
    ],
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return driveToSigning(api, id);
}

const schedule = (id: string, documentNumbers?: Record<string, string>) =>
  api('POST', `/v1/agreements/${id}/signing`, {
    at,
    venue: 'Aula Tegar Beriman',
    signatories: [
      { partyId: 'lapas-cibinong', name: 'Kalapas Cibinong', position: 'Kepala Lapas' },
      { partyId: 'pemkab-bogor', name: 'Bupati Bogor', position: 'Bupati' },
    ],
    ...(documentNumbers ? { documentNumbers } : {}),
  });

const register = async (partyId: string) =>
  (await api('GET', `/v1/parties/${partyId}/numbers?year=${year}`)).body.items as {
    number: string;
    agreementId: string;
    status: string;
  }[];

describe('document numbers by template', () => {
  it('refuses a template without a running number, naming the field', async () => {
    const res = await api('PATCH', '/v1/parties/lapas-cibinong', { numberTemplate: 'W.11.PAS/{tahun}' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_number_template', field: 'numberTemplate' });
    const unknown = await api('PATCH', '/v1/parties/lapas-cibinong', { numberTemplate: 'W.11/{nomor}/{kode}' });
    expect(unknown.status).toBe(400);
    // A NUL, an unpaired surrogate or a newline never reaches the database: a 400 naming the field.
    for (const bad of ['W.11/{nomor}\u0000', 'W.11/{nomor}\ud800', 'W.11/\n{nomor}']) {
      const res = await api('PATCH', '/v1/parties/lapas-cibinong', { numberTemplate: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.field).toBe('numberTemplate');
    }
  });

  it("lets an admin set a party's template, and not another party", async () => {
    const { token } = await createToken(stack.database.db, { role: 'party', partyId: 'pemkab-bogor' });
    const asBogor = http(stack.baseUrl, token);
    expect((await asBogor('PATCH', '/v1/parties/lapas-cibinong', { numberTemplate: LAPAS })).status).toBe(403);
    // A party token is not a person, so not a liaison: the template is a person's or an admin's to set.
    expect((await asBogor('PATCH', '/v1/parties/pemkab-bogor', { numberTemplate: PEMDA })).status).toBe(403);
    expect((await asBogor('GET', '/v1/parties/lapas-cibinong/numbers')).status).toBe(404);
    expect(
      (await http(stack.baseUrl, null)('PATCH', '/v1/parties/lapas-cibinong', { numberTemplate: LAPAS })).status,
    ).toBe(401);
    expect((await api('PATCH', '/v1/parties/lapas-cibinong', { numberTemplate: LAPAS })).body.numberTemplate).toBe(
      LAPAS,
    );
    expect((await api('PATCH', '/v1/parties/pemkab-bogor', { numberTemplate: PEMDA })).body.numberTemplate).toBe(PEMDA);
  });

  it("numbers the first three agreements of the year from each party's template", async () => {
    const numbers: Record<string, string>[] = [];
    for (const id of ['nomor-1', 'nomor-2', 'nomor-3']) {
      await agreementInSigning(id);
      const res = await schedule(id);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      numbers.push(res.body.signing.documentNumbers);
    }
    expect(numbers).toEqual(
      [1, 2, 3].map((n) => ({
        'lapas-cibinong': `W.11.PAS.PAS.10-HM.05.02-${n}`,
        'pemkab-bogor': `000.8.3.3/${n}/Bag.Kerjasama/${year}`,
      })),
    );
    console.log('[numbers] first three of the year:', JSON.stringify(numbers));
    expect((await register('pemkab-bogor')).map((r) => [r.number, r.agreementId, r.status])).toEqual([
      [`000.8.3.3/1/Bag.Kerjasama/${year}`, 'nomor-1', 'used'],
      [`000.8.3.3/2/Bag.Kerjasama/${year}`, 'nomor-2', 'used'],
      [`000.8.3.3/3/Bag.Kerjasama/${year}`, 'nomor-3', 'used'],
    ]);
  });

  it('gives two agreements numbered at the same moment consecutive numbers', async () => {
    await Promise.all([agreementInSigning('serentak-a'), agreementInSigning('serentak-b')]);
    const [a, b] = await Promise.all([schedule('serentak-a'), schedule('serentak-b')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const got = [
      a.body.signing.documentNumbers['lapas-cibinong'],
      b.body.signing.documentNumbers['lapas-cibinong'],
    ].sort();
    expect(got).toEqual(['W.11.PAS.PAS.10-HM.05.02-4', 'W.11.PAS.PAS.10-HM.05.02-5']);
  });

  it('refuses a number the party already used this year with a 409 naming the party, and stores nothing', async () => {
    const view = await agreementInSigning('nomor-ganda');
    const res = await schedule('nomor-ganda', { 'pemkab-bogor': `000.8.3.3/2/Bag.Kerjasama/${year}` });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('number_taken');
    expect(res.body.error.message).toContain('Pemerintah Kabupaten Bogor');
    const after = (await api('GET', '/v1/agreements/nomor-ganda')).body;
    expect(after.version).toBeGreaterThanOrEqual(view.version);
    expect(after.signing).toBeUndefined();
    const types = (await api('GET', '/v1/agreements/nomor-ganda/events')).body.items.map(
      (e: { type: string }) => e.type,
    );
    expect(types).not.toContain('SigningScheduled');
    // The Lapas number the refused step would have taken is not spent: the next one is still 6.
    const ok = await schedule('nomor-ganda', { 'pemkab-bogor': '000.8.3.3/ditulis-tangan/2026' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.signing.documentNumbers).toEqual({
      'lapas-cibinong': 'W.11.PAS.PAS.10-HM.05.02-6',
      'pemkab-bogor': '000.8.3.3/ditulis-tangan/2026',
    });
  });

  it('keeps the numbers across a new date, and marks them batal when the agreement ends before signing', async () => {
    const moved = await api('POST', '/v1/agreements/nomor-3/signing', {
      at: dates.at(dates.workingDays(20)),
      venue: 'Pendopo Bupati',
      signatories: [{ partyId: 'lapas-cibinong', name: 'Kalapas Cibinong', position: 'Kepala Lapas' }],
    });
    expect(moved.body.signing.documentNumbers['lapas-cibinong']).toBe('W.11.PAS.PAS.10-HM.05.02-3');
    expect((await api('POST', '/v1/agreements/nomor-3/cancel', { reason: 'Pemda menunda kerja sama' })).status).toBe(
      200,
    );
    const lapas = await register('lapas-cibinong');
    expect(lapas.find((r) => r.agreementId === 'nomor-3')).toMatchObject({
      number: 'W.11.PAS.PAS.10-HM.05.02-3',
      status: 'batal',
    });
    // No silent gap, and a cancelled number is not given again.
    await agreementInSigning('nomor-7');
    expect((await schedule('nomor-7')).body.signing.documentNumbers['lapas-cibinong']).toBe(
      'W.11.PAS.PAS.10-HM.05.02-7',
    );
  });

  it('records the signing with the numbers taken at scheduling', async () => {
    const signed = await api('POST', '/v1/agreements/nomor-1/signing/record', {
      signedAt: dates.today,
      documentNumbers: {},
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.signing.documentNumbers).toEqual({
      'lapas-cibinong': 'W.11.PAS.PAS.10-HM.05.02-1',
      'pemkab-bogor': `000.8.3.3/1/Bag.Kerjasama/${year}`,
    });
  });

  it('leaves a party without a template to write its number when the signing is recorded', async () => {
    await agreementInSigning('tanpa-templat', 'pemkab-tanpa-templat');
    const res = await api('POST', '/v1/agreements/tanpa-templat/signing', {
      at,
      venue: 'Aula',
      signatories: [{ partyId: 'pemkab-tanpa-templat', name: 'Bupati', position: 'Bupati' }],
    });
    expect(res.body.signing.documentNumbers).toEqual({ 'lapas-cibinong': 'W.11.PAS.PAS.10-HM.05.02-8' });
    const missing = await api('POST', '/v1/agreements/tanpa-templat/signing/record', {
      signedAt: dates.today,
      documentNumbers: {},
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('missing_document_number');
  });

  it('rebuilds every register from the events alone, to the same numbers', async () => {
    const before = { lapas: await register('lapas-cibinong'), pemda: await register('pemkab-bogor') };
    await stack.database.db.deleteFrom('document_numbers').execute();
    await stack.database.db.deleteFrom('document_number_counters').execute();
    const run = await promisify(execFile)('npx', ['tsx', 'cli/main.ts', 'projections', 'rebuild'], {
      env: { ...process.env, DATABASE_URL: stack.database.url },
    });
    expect(run.stdout).toMatch(/and \d+ document numbers/);
    expect({ lapas: await register('lapas-cibinong'), pemda: await register('pemkab-bogor') }).toEqual(before);
    await agreementInSigning('setelah-rebuild');
    expect((await schedule('setelah-rebuild')).body.signing.documentNumbers['lapas-cibinong']).toBe(
      'W.11.PAS.PAS.10-HM.05.02-9',
    );
  });

  it("lets a party's liaison change its template on the directory page, keeping what was typed when refused", async () => {
    const liaison = await sessionOf(stack.database.db, 'penghubung@pemkab-tanpa-templat.test');
    const bad = await postForm(stack.app, liaison, '/direktori/pemkab-tanpa-templat/nomor', {
      numberTemplate: '180/PKS/{tahun}',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Templat nomor harus memuat {nomor}');
    expect(bad.body).toContain('value="180/PKS/{tahun}"');
    const other = await postForm(stack.app, liaison, '/direktori/pemkab-bogor/nomor', {
      numberTemplate: '180/{nomor}',
    });
    expect(other.statusCode).toBe(403);
    const ok = await postForm(stack.app, liaison, '/direktori/pemkab-tanpa-templat/nomor', {
      numberTemplate: '180/{nomor}/PKS/{bulan}/{tahun}',
    });
    expect(ok.statusCode).toBe(303);
    const party = (await api('GET', '/v1/parties/pemkab-tanpa-templat')).body;
    expect(party.numberTemplate).toBe('180/{nomor}/PKS/{bulan}/{tahun}');
    // The register shows on the page of the Lapas's own liaison, batal included.
    const lapas = await sessionOf(stack.database.db, 'penghubung@lapas-cibinong.test');
    const page = await stack.app.inject({ url: '/direktori', headers: { cookie: `sinergi_sesi=${lapas}` } });
    expect(page.body).toContain(`Register nomor ${year}`);
    expect(page.body).toContain('W.11.PAS.PAS.10-HM.05.02-3');
    expect(page.body).toContain('Batal');
  });
});
