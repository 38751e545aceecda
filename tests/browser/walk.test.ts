// Every page as each kind of person meets it, in Chromium at 1280 and 360 pixels: no id or code where a person
// reads, no ISO timestamp, no English schema message, no page wider than the screen, and no axe-core violation.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_LABEL } from '../../domain/labels.js';
import { createOperator } from '../../services/people.js';
import { signInByEmail } from '../support/browser-sign-in.js';
import { launchChromium, chromiumMissing } from '../support/screenshot.js';
import { http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

const notRunBecause = chromiumMissing;
const SHOTS = new URL('../../test-output/screenshots/walk/', import.meta.url);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const ADMIN = 'admin@walk.test';
const PARTIES = [
  {
    id: 'lapas-cibinong',
    name: 'Lapas Kelas IIA Cibinong',
    kind: 'upt',
    people: ['Rina Marlina', 'Dedi Kurniawan', 'Hendra Saputra'],
  },
  {
    id: 'pemkab-bogor',
    name: 'Pemerintah Kabupaten Bogor',
    kind: 'pemda',
    people: ['Siti Aminah', 'Bupati Bogor', 'Ahmad Fauzi'],
  },
  {
    id: 'dinsos-bogor',
    name: 'Dinas Sosial Kabupaten Bogor',
    kind: 'opd',
    parentId: 'pemkab-bogor',
    people: ['Yuni Lestari', 'Budi Santoso', 'Wawan Setiawan'],
  },
] as const;
const ROLES = ['liaison', 'signatory', 'supervisor'] as const;
const POSITIONS = ['Kasubag Kerja Sama', 'Kepala', 'Sekretaris'];
/** Addresses as officers have them: a person's name at the office's domain (no id or role code in them). */
const emailOf = (partyId: string, i: number) => {
  const party = PARTIES.find((p) => p.id === partyId)!;
  return `${party.people[i]!.toLowerCase().replace(/\s+/g, '.')}@${party.name.split(' ').slice(-1)[0]!.toLowerCase()}${party.kind}.test`;
};
const UMBRELLA = 'mou-cibinong-bogor';
const EXPLORING = 'mou-cibinong-bogor-pelatihan';

/** What must never stand in a page's visible text. */
const FORBIDDEN: [string, RegExp][] = [
  ['a UUID', /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i],
  ['a party id', new RegExp(`\\b(${PARTIES.map((p) => p.id).join('|')})\\b`)],
  ['an agreement id', new RegExp(`\\b(${UMBRELLA}|${EXPLORING}|idem-[0-9a-f]+)\\b`)],
  ['an ISO timestamp', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/],
  ['an English schema message', /\bmust\b|\bbody:|\bquerystring:/],
  ['an English event code', new RegExp(`\\b(${Object.keys(EVENT_LABEL).join('|')})\\b`)],
  [
    'an English role or outcome code',
    /\b(liaison|signatory|supervisor|initiator|counterpart|proceed_to_drafting|another_meeting)\b/,
  ],
];

interface Problem {
  page: string;
  width: number;
  what: string;
}

async function inspect(page: Page, name: string, width: number): Promise<Problem[]> {
  const problems: Problem[] = [];
  const text = String(await page.evaluate('document.body.innerText'));
  for (const [what, pattern] of FORBIDDEN) {
    const found = pattern.exec(text);
    if (found) problems.push({ page: name, width, what: `${what}: "${found[0]}"` });
  }
  const [scroll, inner] = (await page.evaluate(
    '[document.documentElement.scrollWidth, window.innerWidth]',
  )) as number[];
  if (scroll! > inner!) problems.push({ page: name, width, what: `horizontal overflow: ${scroll} px in ${inner} px` });
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(AXE);
  const violations = (await page.evaluate(`axe.run().then((r) => r.violations.map((v) =>
    v.id + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)) as string[];
  for (const v of violations) problems.push({ page: name, width, what: `axe: ${v}` });
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({
    path: new URL(`${name.replace(/[^a-z0-9]+/gi, '-')}-${width}.png`, SHOTS).pathname,
    fullPage: true,
  });
  return problems;
}

describe.skipIf(notRunBecause !== undefined)('every page, as each person meets it, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let api: ReturnType<typeof http>;

  beforeAll(async () => {
    stack = await startStack();
    api = http(stack.baseUrl);
    for (const p of PARTIES) {
      const contacts = p.people.map((name, i) => ({
        name,
        position: POSITIONS[i],
        email: emailOf(p.id, i),
        role: ROLES[i],
      }));
      const res = await api('POST', '/v1/parties', {
        id: p.id,
        name: p.name,
        kind: p.kind,
        ...('parentId' in p ? { parentId: p.parentId } : {}),
        contacts,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await createOperator(stack.database.db, { email: ADMIN, name: 'Admin Sinergi', role: 'admin' });
    // One umbrella signed and active, with a follow-up the Dinas Sosial owns; one agreement still being explored.
    const parties = [
      { partyId: 'lapas-cibinong', role: 'initiator' },
      { partyId: 'pemkab-bogor', role: 'counterpart' },
    ];
    expect(
      (
        await api('POST', '/v1/agreements', {
          id: UMBRELLA,
          title: 'Nota Kesepahaman Lapas Cibinong dan Pemkab Bogor',
          instrument: 'nota_kesepahaman',
          parties,
          scope: ['pembinaan kemandirian', 'layanan kesehatan'],
        })
      ).status,
    ).toBe(201);
    const held = dates.at(dates.workingDays(-40));
    const meeting = (
      await api('POST', `/v1/agreements/${UMBRELLA}/meetings`, { kind: 'audiensi', at: held, venue: 'Setda Bogor' })
    ).body.meetings[0];
    await api('POST', `/v1/agreements/${UMBRELLA}/meetings/${meeting.id}/minutes`, {
      attendees: [{ name: 'Rina Marlina', position: 'Kasubag Kerja Sama', partyId: 'lapas-cibinong' }],
      summary: 'Sepakat menyusun draf.',
      outcome: 'proceed_to_drafting',
    });
    await api('POST', `/v1/agreements/${UMBRELLA}/drafts`, { documentUrl: 'https://dokumen.test/mou-v1.pdf' });
    for (const p of parties)
      await api('POST', `/v1/agreements/${UMBRELLA}/drafts/1/reviews`, { partyId: p.partyId, decision: 'approve' });
    const signedOn = dates.workingDays(-20);
    await api('POST', `/v1/agreements/${UMBRELLA}/signing`, {
      at: dates.at(signedOn),
      venue: 'Lapas Cibinong',
      signatories: [
        { partyId: 'lapas-cibinong', name: 'Dedi Kurniawan', position: 'Kepala' },
        { partyId: 'pemkab-bogor', name: 'Bupati Bogor', position: 'Kepala' },
      ],
    });
    const signed = await api('POST', `/v1/agreements/${UMBRELLA}/signing/record`, {
      signedAt: signedOn,
      documentNumbers: { 'lapas-cibinong': 'W11.PAS.12/2026', 'pemkab-bogor': '180/12/HUK' },
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(
      (
        await api('POST', `/v1/agreements/${UMBRELLA}/follow-ups`, {
          title: 'Data warga binaan untuk bantuan sosial',
          ownerPartyId: 'dinsos-bogor',
          due: dates.workingDays(10),
        })
      ).status,
    ).toBe(200);
    await api('POST', `/v1/agreements/${UMBRELLA}/publication`, { public: true });
    await api('POST', '/v1/agreements', {
      id: EXPLORING,
      title: 'Kesepakatan pelatihan kerja',
      instrument: 'nota_kesepakatan',
      parties,
      scope: [],
    });
    await api('POST', `/v1/agreements/${EXPLORING}/meetings`, {
      kind: 'audiensi',
      at: dates.at(dates.workingDays(5)),
      venue: 'Aula Lapas',
    });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const walks: { who: string; email?: string; pages: string[] }[] = [
    {
      who: 'admin',
      email: ADMIN,
      pages: [
        '/kesepakatan',
        `/kesepakatan/${UMBRELLA}`,
        `/kesepakatan/${UMBRELLA}?riwayat=semua`,
        `/kesepakatan/${UMBRELLA}/pks`,
        `/kesepakatan/${EXPLORING}`,
        '/tenggat',
        '/ringkasan',
        '/direktori',
        '/dokumen?q=pembinaan',
        '/kalender',
        '/sesi',
      ],
    },
    {
      who: 'upt',
      email: emailOf('lapas-cibinong', 0),
      pages: [
        '/kesepakatan',
        `/kesepakatan/${UMBRELLA}`,
        `/kesepakatan/${EXPLORING}`,
        '/tenggat',
        '/ringkasan',
        '/direktori',
        '/kalender',
        '/sesi',
      ],
    },
    {
      who: 'pemda',
      email: emailOf('pemkab-bogor', 0),
      pages: ['/kesepakatan', `/kesepakatan/${UMBRELLA}`, `/kesepakatan/${UMBRELLA}/pks`, '/tenggat', '/direktori'],
    },
    {
      who: 'opd',
      email: emailOf('dinsos-bogor', 0),
      pages: ['/kesepakatan', `/kesepakatan/${UMBRELLA}`, '/tenggat', '/kalender'],
    },
    { who: 'visitor', pages: ['/masuk', '/publik'] },
  ];

  for (const walk of walks) {
    it(`shows ${walk.who} every page in words, at 1280 and 360 pixels`, async () => {
      const problems: Problem[] = [];
      for (const width of [1280, 360]) {
        const page = walk.email
          ? await signInByEmail(browser, stack, walk.email, width)
          : await (await browser.newContext({ viewport: { width, height: 800 } })).newPage();
        for (const path of walk.pages) {
          const res = await page.goto(`${stack.baseUrl}${path}`);
          expect(res?.status(), `${walk.who} ${path}`).toBe(200);
          problems.push(...(await inspect(page, `${walk.who}${path}`, width)));
        }
        if (walk.who === 'upt') {
          // A refused start form is part of the walk: its words are Indonesian too.
          await page.goto(`${stack.baseUrl}/kesepakatan`);
          await page.getByRole('button', { name: 'Mulai kesepakatan' }).click();
          problems.push(...(await inspect(page, 'upt-start-refused', width)));
        }
        await page.context().close();
      }
      expect(problems).toEqual([]);
    }, 240_000);
  }
});
