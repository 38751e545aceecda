// The overview, the spreadsheets and the public list against the real stack: counts equal the list's, a Kanwil
// sees its UPTs, the XLSX and CSV read back with real readers, /publik shows only what was published, the
// charts carry titles and numbers, and the inline read models equal a rebuild.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { launchChromium } from '../support/screenshot.js';
import { existsSync, mkdirSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAgreements } from '../../activities/projections/agreements.js';
import { rebuildOverview } from '../../activities/projections/overview.js';
import { createToken } from '../../cli/tokens.js';
import { addDays, localDate } from '../../domain/dates.js';
import { driveToSigning, registerParty } from '../support/lifecycle.js';
import { sessionOf } from '../support/people.js';
import { ADMIN_TOKEN, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

let stack: Stack;
let api: ReturnType<typeof http>;
const tokens: Record<string, string> = {};
let signedCopy = '';
const today = localDate(Date.now(), 'Asia/Jakarta');
const STAGES = ['exploration', 'drafting', 'signing', 'active', 'ended'];
const parties = (a: string, b: string) => [
  { partyId: a, role: 'initiator' },
  { partyId: b, role: 'counterpart' },
];

async function start(id: string, a: string, b: string) {
  const res = await api('POST', '/v1/agreements', {
    id,
    title: `Kesepakatan ${id}`,
    instrument: 'kesepakatan_bersama',
    parties: parties(a, b),
    scope: ['Pelatihan kerja'],
    termMonths: 12,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'kanwil-x', name: 'Kanwil X', kind: 'kanwil' });
  await registerParty(api, { id: 'upt-a', name: 'Lapas A', kind: 'upt', parentId: 'kanwil-x' });
  await registerParty(api, { id: 'upt-b', name: 'Bapas B', kind: 'upt', parentId: 'kanwil-x' });
  await registerParty(api, { id: 'upt-c', name: 'Lapas C', kind: 'upt' });
  await registerParty(api, { id: 'pemda-a', name: 'Pemkab A', kind: 'pemda' });
  for (const p of ['kanwil-x', 'upt-a', 'upt-b'])
    tokens[p] = (await createToken(stack.database.db, { role: 'party', partyId: p })).token;

  // Active, signed with a kept copy, ending within 90 days, with a follow-up long overdue.
  await start('ov-aktif', 'upt-a', 'pemda-a');
  const view = await driveToSigning(api, 'ov-aktif');
  const signatories = view.parties.map((p: { partyId: string }) => ({
    partyId: p.partyId,
    name: 'Pimpinan',
    position: 'Kepala',
  }));
  expect(
    (
      await api('POST', '/v1/agreements/ov-aktif/signing', {
        at: dates.at(addDays(today, -301), '10:00'),
        venue: 'Aula',
        signatories,
      })
    ).status,
  ).toBe(200);
  const pdf = await PDFDocument.create();
  pdf.addPage();
  const form = new FormData();
  form.set('kind', 'signed');
  form.set('file', new Blob([await pdf.save()]), 'salinan-ditandatangani.pdf');
  signedCopy = (
    (await (
      await fetch(`${stack.baseUrl}/v1/agreements/ov-aktif/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        body: form,
      })
    ).json()) as { id: string }
  ).id;
  const signedAt = addDays(today, -300);
  const signed = await api('POST', '/v1/agreements/ov-aktif/signing/record', {
    signedAt,
    documentNumbers: { 'upt-a': 'W1/1', 'pemda-a': '180/1' },
    documentIds: [signedCopy],
  });
  expect(signed.status, JSON.stringify(signed.body)).toBe(200);
  expect(
    (
      await api('POST', '/v1/agreements/ov-aktif/follow-ups', {
        title: 'Kirim data WBP',
        ownerPartyId: 'pemda-a',
        due: addDays(today, -20),
        late: true,
      })
    ).status,
  ).toBe(200);
  // In drafting, a sibling UPT's; in exploration, a UPT outside the Kanwil; and one cancelled.
  await start('ov-draf', 'upt-b', 'pemda-a');
  const meeting = await api('POST', '/v1/agreements/ov-draf/meetings', {
    kind: 'audiensi',
    at: dates.at(dates.workingDays(-2)),
    venue: 'Aula',
  });
  await api('POST', `/v1/agreements/ov-draf/meetings/${meeting.body.meetings[0].id}/minutes`, {
    attendees: [{ name: 'K', position: 'K', partyId: 'upt-b' }],
    summary: 'Lanjut.',
    outcome: 'proceed_to_drafting',
  });
  await start('ov-luar', 'upt-c', 'pemda-a');
  await start('ov-batal', 'upt-a', 'pemda-a');
  expect((await api('POST', '/v1/agreements/ov-batal/cancel', { reason: 'Tidak jadi' })).status).toBe(200);
});
afterAll(async () => stack?.stop());

const listCount = async (token: string, query = '') =>
  (await http(stack.baseUrl, token)('GET', `/v1/agreements?limit=200${query}`)).body.items.length;

describe('the overview', () => {
  it('counts what the list shows, stage by stage, for the whole scope and for one party', async () => {
    for (const [token, party] of [
      [ADMIN_TOKEN, ''],
      [ADMIN_TOKEN, 'upt-a'],
      [tokens['kanwil-x']!, ''],
    ] as const) {
      const o = (await http(stack.baseUrl, token)('GET', `/v1/reports/overview${party ? `?partyId=${party}` : ''}`))
        .body;
      expect(o.agreements.total).toBe(await listCount(token, party ? `&partyId=${party}` : ''));
      for (const stage of STAGES)
        expect(o.agreements.byStage[stage], stage).toBe(
          await listCount(token, `&stage=${stage}${party ? `&partyId=${party}` : ''}`),
        );
    }
  });

  it('lets a Kanwil see its UPTs, and a UPT only its own', async () => {
    const kanwil = (await http(stack.baseUrl, tokens['kanwil-x']!)('GET', '/v1/reports/overview')).body;
    expect(kanwil.agreements.total).toBe(3);
    expect(await listCount(tokens['kanwil-x']!)).toBe(3);
    const upt = (await http(stack.baseUrl, tokens['upt-a']!)('GET', '/v1/agreements?limit=200')).body.items
      .map((a: { id: string }) => a.id)
      .sort();
    expect(upt).toEqual(['ov-aktif', 'ov-batal']);
    expect((await http(stack.baseUrl, tokens['upt-a']!)('GET', '/v1/reports/overview')).body.agreements.total).toBe(2);
  });

  it('reads partyId as that party and every party under it: an admin filtering by a Kanwil sees its UPTs', async () => {
    const ids = (await api('GET', '/v1/agreements?partyId=kanwil-x&limit=200')).body.items
      .map((a: { id: string }) => a.id)
      .sort();
    expect(ids).toEqual(['ov-aktif', 'ov-batal', 'ov-draf']);
    const o = (await api('GET', '/v1/reports/overview?partyId=kanwil-x')).body;
    expect(o.agreements.total).toBe(3);
    for (const stage of STAGES)
      expect(o.agreements.byStage[stage], stage).toBe(await listCount(ADMIN_TOKEN, `&stage=${stage}&partyId=kanwil-x`));
    const csv = await (
      await fetch(`${stack.baseUrl}/v1/agreements/export.csv?partyId=kanwil-x`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).text();
    expect(
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(ids);
    const due = (await api('GET', '/v1/follow-ups?partyId=kanwil-x')).body.items.map(
      (f: { agreementId: string }) => f.agreementId,
    );
    expect(due).toEqual(['ov-aktif']);
    // A party with nobody under it is itself alone.
    expect((await api('GET', '/v1/reports/overview?partyId=upt-c')).body.agreements.total).toBe(1);
  });

  it('keeps its counts as agreements move and as a party moves in the directory, equal to counting afresh', async () => {
    const db = stack.database.db;
    const kept = async () => ({
      counts: (
        await sql<{ row: string }>`select concat_ws('|', scope, day, stage, instrument, n) as row
          from overview_counts where n <> 0 order by 1`.execute(db)
      ).rows.map((r) => r.row),
      institutions: (
        await sql<{ row: string }>`select concat_ws('|', party_id, stage, n) as row
          from overview_institutions where n <> 0 order by 1`.execute(db)
      ).rows.map((r) => r.row),
      coverage: (
        await sql<{ row: string }>`select concat_ws('|', umbrella_id, started, signed) as row
          from pks_coverage where started <> 0 order by 1`.execute(db)
      ).rows.map((r) => r.row),
      escalations: (
        await sql<{ row: string }>`select concat_ws('|', scope, month, level, n) as row
          from escalation_counts where n <> 0 order by 1`.execute(db)
      ).rows.map((r) => r.row),
      monev: (
        await sql<{ row: string }>`select concat_ws('|', scope, day, due, on_time, first_missed) as row
          from monev_counts where due <> 0 or on_time <> 0 or first_missed <> 0 order by 1`.execute(db)
      ).rows.map((r) => r.row),
      durations: (
        await sql<{ row: string }>`select concat_ws('|', scope, year, measure, days, n) as row
          from overview_durations where n <> 0 order by 1`.execute(db)
      ).rows.map((r) => r.row),
    });
    const afresh = async () => {
      await sql`select overview_counts_refresh()`.execute(db);
      return kept();
    };
    const asKept = await kept();
    expect(asKept.counts.length).toBeGreaterThan(0);
    // The speed from the kept histogram equals the percentiles counted over the rows (a period is counted so).
    const whole = (await api('GET', '/v1/reports/overview')).body;
    const period = (await api('GET', `/v1/reports/overview?from=${dates.days(-3650)}&to=${dates.days(1)}`)).body;
    expect(whole.speed.length).toBeGreaterThan(0);
    expect(whole.speed).toEqual(period.speed);
    expect(whole.agreements).toEqual(period.agreements);
    expect(whole.monev).toEqual(period.monev);
    expect(whole.followUps).toEqual(period.followUps);
    expect(whole.escalationsByMonth).toEqual(period.escalationsByMonth);
    expect(whole.escalationsByMonth.length).toBeGreaterThan(0);
    expect(await afresh()).toEqual(asKept);
    const kanwil = http(stack.baseUrl, tokens['kanwil-x']!);
    const total = async () => (await kanwil('GET', '/v1/reports/overview')).body.agreements.total;
    expect(await total()).toBe(3);
    // Lapas C joins Kanwil X: its agreement is counted there at once, and back out when it leaves.
    expect((await api('PATCH', '/v1/parties/upt-c', { parentId: 'kanwil-x' })).status).toBe(200);
    const moved = await kept();
    expect(await afresh()).toEqual(moved);
    expect(await total()).toBe(4);
    expect((await api('PATCH', '/v1/parties/upt-c', { parentId: '' })).status).toBe(200);
    expect(await kept()).toEqual(asKept);
    expect(await total()).toBe(3);
  });

  it('names who is late, what expires, and monev kept', async () => {
    const o = (await api('GET', '/v1/reports/overview')).body;
    expect(o.followUps.byParty[0]).toMatchObject({ partyId: 'pemda-a', name: 'Pemkab A', overdue: 1 });
    expect(o.followUps.overdue).toBe(1);
    expect(o.expiring.map((e: { id: string }) => e.id)).toEqual(['ov-aktif']);
    // Signed 300 days ago but recorded today: the periods already past then are history, as the engine counts them
    // (domain/deadlines.ts monevPeriods), not a missing report.
    expect(o.monev).toMatchObject({ due: 0, onTime: 0, percent: null });
    expect((await api('GET', `/v1/reports/overview?from=${dates.days(1)}&to=${dates.days(-300)}`)).status).toBe(400);
  });

  it('draws charts with a title and the numbers of their tables, and keeps the inline read models equal to a rebuild', async () => {
    const session = await sessionOf(stack.database.db, 'admin@overview.test', 'admin');
    const res = await fetch(`${stack.baseUrl}/ringkasan`, { headers: { cookie: `sinergi_sesi=${session}` } });
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page.match(/<svg role="img"/g)).toHaveLength(3);
    expect(page).toContain('<title id="c-tahap-t">Kesepakatan per tahap</title>');
    expect(page).toMatch(
      /<desc id="c-tahap-d">4 kesepakatan: penjajakan 1, penyusunan draf 1, penandatanganan 0, pelaksanaan 1, berakhir 1\.<\/desc>/,
    );
    if (existsSync('/usr/bin/chromium')) {
      const browser = await launchChromium();
      const shots = new URL('../../test-output/screenshots/', import.meta.url);
      mkdirSync(shots, { recursive: true });
      for (const width of [1280, 360]) {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        await context.addCookies([{ name: 'sinergi_sesi', value: session, url: stack.baseUrl }]);
        const tab = await context.newPage();
        await tab.goto(`${stack.baseUrl}/ringkasan`);
        await tab.screenshot({ path: new URL(`overview-${width}.png`, shots).pathname, fullPage: true });
      }
      await browser.close();
    }
    const snapshot = async () => ({
      facts: await stack.database.db.selectFrom('agreement_facts').selectAll().orderBy('id').execute(),
      followUps: await stack.database.db.selectFrom('follow_up_facts').selectAll().orderBy('follow_up_id').execute(),
    });
    const inline = await snapshot();
    await rebuildOverview(stack.database.db);
    expect(await snapshot()).toEqual(inline);
    // Each stored view was folded forward from the one before by the append activity; a fold from the first
    // event gives the same.
    const views = async () =>
      await stack.database.db.selectFrom('agreements').select(['id', 'view']).orderBy('id').execute();
    const folded = await views();
    await rebuildAgreements(stack.database.db);
    expect(await views()).toEqual(folded);
  });
});

describe('spreadsheets', () => {
  it("gives the list's rows as XLSX with real dates and a frozen, filtered header, and the open follow-ups", async () => {
    const res = await fetch(`${stack.baseUrl}/v1/agreements/export.xlsx?partyId=pemda-a`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.getWorksheet('Kesepakatan')!;
    expect(sheet.getRow(1).values).toContain('Tanggal ditandatangani');
    const ids = [];
    for (let r = 2; r <= sheet.rowCount; r++) ids.push(sheet.getRow(r).getCell(1).value);
    const listed = (await api('GET', '/v1/agreements?limit=200&partyId=pemda-a')).body.items.map(
      (a: { id: string }) => a.id,
    );
    expect(ids).toEqual(listed);
    const active = sheet.getRow(ids.indexOf('ov-aktif') + 2);
    expect(active.getCell(6).value).toBeInstanceOf(Date);
    expect((active.getCell(6).value as Date).toISOString().slice(0, 10)).toBe(addDays(today, -300));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    const follow = book.getWorksheet('Tindak lanjut')!;
    expect(follow.getRow(2).getCell(3).value).toBe('Kirim data WBP');
  });

  it("downloads from the dashboard's list with its filters kept", async () => {
    const session = await sessionOf(stack.database.db, 'penghubung@upt-a.test');
    const list = await (
      await fetch(`${stack.baseUrl}/kesepakatan?stage=active`, { headers: { cookie: `sinergi_sesi=${session}` } })
    ).text();
    expect(list).toContain('href="/kesepakatan/unduh.xlsx?stage=active"');
    const res = await fetch(`${stack.baseUrl}/kesepakatan/unduh.csv?stage=active&partyId=&q=`, {
      headers: { cookie: `sinergi_sesi=${session}` },
    });
    const text = Buffer.from(await res.arrayBuffer());
    // Separated by semicolons, so Excel set to Indonesian opens it in columns.
    expect(text.toString('utf8').split('\n')[0]).toMatch(/^\uFEFFID;/);
    const rows = parse(text, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(rows.map((r) => r['ID'])).toEqual(['ov-aktif']);
    expect(rows[0]!['Para pihak']).toBe('Lapas A; Pemkab A');
  });

  it('gives the same rows as CSV with a BOM', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/agreements/export.csv?stage=active`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(Buffer.from(bytes), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['ID'])).toEqual(['ov-aktif']);
    expect(rows[0]!['Para pihak']).toBe('Lapas A; Pemkab A');
  });
});

describe('the public list', () => {
  it('shows only what the initiator published, with its signed copy, and no address', async () => {
    expect(await (await fetch(`${stack.baseUrl}/publik`)).text()).not.toContain('Kesepakatan ov-aktif');
    expect((await fetch(`${stack.baseUrl}/publik/dokumen/${signedCopy}`)).status).toBe(404);
    expect(
      (await http(stack.baseUrl, tokens['upt-b']!)('POST', '/v1/agreements/ov-aktif/publication', { public: true }))
        .status,
    ).toBe(404);
    expect((await api('POST', '/v1/agreements/ov-draf/publication', { public: true })).status).toBe(409);
    const published = await http(stack.baseUrl, tokens['upt-a']!)('POST', '/v1/agreements/ov-aktif/publication', {
      public: true,
    });
    expect([published.status, published.body.published]).toEqual([200, true]);
    const res = await fetch(`${stack.baseUrl}/publik`);
    const page = await res.text();
    expect(res.headers.get('cache-control')).toContain('max-age');
    expect(page).toContain('Kesepakatan ov-aktif');
    expect(page).not.toContain('Kesepakatan ov-draf');
    // No e-mail address anywhere (the style sheet's @media is not one).
    expect(page).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    expect(page).toContain(`/publik/dokumen/${signedCopy}`);
    expect((await fetch(`${stack.baseUrl}/publik/dokumen/${signedCopy}`)).status).toBe(200);
    expect(await (await fetch(`${stack.baseUrl}/publik/pihak/pemda-a`)).text()).toContain('Kesepakatan ov-aktif');
    const events = (await api('GET', '/v1/agreements/ov-aktif/events?limit=200')).body.items;
    expect(events.at(-1).type).toBe('PublicationChanged');
    const { screenshotOf } = await import('../support/screenshot.js');
    await screenshotOf(page, 'public-list.png', 1280);
    await http(stack.baseUrl, tokens['upt-a']!)('POST', '/v1/agreements/ov-aktif/publication', { public: false });
    expect(await (await fetch(`${stack.baseUrl}/publik`)).text()).not.toContain('Kesepakatan ov-aktif');
    expect((await fetch(`${stack.baseUrl}/publik/dokumen/${signedCopy}`)).status).toBe(404);
  });

  it('lets what was published leave the list after the agreement ended, and names no party with nothing published', async () => {
    const initiator = http(stack.baseUrl, tokens['upt-a']!);
    expect((await initiator('POST', '/v1/agreements/ov-aktif/publication', { public: true })).status).toBe(200);
    expect((await api('POST', '/v1/agreements/ov-aktif/cancel', { reason: 'Diganti kesepakatan baru' })).status).toBe(
      200,
    );
    // Its workflow has closed: the withdrawal is decided on the stored events.
    await stack.env.client.workflow.getHandle('agreement-ov-aktif').result();
    expect(await (await fetch(`${stack.baseUrl}/publik`)).text()).toContain('Kesepakatan ov-aktif');
    const withdrawn = await initiator('POST', '/v1/agreements/ov-aktif/publication', { public: false });
    expect([withdrawn.status, withdrawn.body.published, withdrawn.body.stage]).toEqual([200, false, 'ended']);
    expect(await (await fetch(`${stack.baseUrl}/publik`)).text()).not.toContain('Kesepakatan ov-aktif');
    expect((await fetch(`${stack.baseUrl}/publik/dokumen/${signedCopy}`)).status).toBe(404);
    const events = (await api('GET', '/v1/agreements/ov-aktif/events?limit=200')).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'PublicationChanged', data: { public: false } });
    // Publishing again needs an active agreement; any other command stays refused.
    const again = await initiator('POST', '/v1/agreements/ov-aktif/publication', { public: true });
    expect([again.status, again.body.error.code]).toEqual([409, 'wrong_stage']);
    const other = await api('POST', '/v1/agreements/ov-aktif/follow-ups', {
      title: 'x',
      ownerPartyId: 'pemda-a',
      due: dates.days(5),
    });
    expect([other.status, other.body.error.code]).toEqual([409, 'agreement_ended']);
    // Nothing of Pemkab A is published now: its public page answers as for a party nobody knows.
    expect((await fetch(`${stack.baseUrl}/publik/pihak/pemda-a`)).status).toBe(404);
    expect((await fetch(`${stack.baseUrl}/publik/pihak/tidak-ada`)).status).toBe(404);
  });
});
