// Seed 001 in Chromium: the Kasubag of Bapas Klaten sees the 21 OPD of Pemkab Klaten, starts the missing PKS in one
// step, sees who is late, and reminds every OPD that has not signed, against the real stack.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { OPD_NAMES } from '../../bench/national/directory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveToActive, registerParty } from '../support/lifecycle.js';
import { signInByEmail } from '../support/browser-sign-in.js';
import { launchChromium, chromiumMissing } from '../support/screenshot.js';
import { eventually, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

const notRunBecause = chromiumMissing;
const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);
const KASUBAG = 'penghubung@bapas-klaten.test';
const UMBRELLA = 'klaten-nota-kesepakatan-web';
const OPDS = OPD_NAMES.slice(0, 21).map((name, i) => ({
  id: `opd-${String(i + 1).padStart(2, '0')}-klaten`,
  name: `${name} Kabupaten Klaten`,
}));

describe.skipIf(notRunBecause !== undefined)('PKS coverage in Chromium (seed 001)', () => {
  let stack: Stack;
  let browser: Browser;
  let api: ReturnType<typeof http>;

  beforeAll(async () => {
    stack = await startStack();
    api = http(stack.baseUrl);
    await registerParty(api, { id: 'bapas-klaten', name: 'Bapas Kelas I Klaten', kind: 'upt' });
    await registerParty(api, { id: 'pemkab-klaten', name: 'Pemerintah Kabupaten Klaten', kind: 'pemda' });
    for (const opd of OPDS) await registerParty(api, { ...opd, kind: 'opd', parentId: 'pemkab-klaten' });
    expect(
      (
        await api('POST', '/v1/agreements', {
          id: UMBRELLA,
          title: 'Nota Kesepakatan Bapas Klaten dan Pemkab Klaten',
          instrument: 'nota_kesepakatan',
          parties: [
            { partyId: 'bapas-klaten', role: 'initiator' },
            { partyId: 'pemkab-klaten', role: 'counterpart' },
          ],
          scope: ['pembimbingan klien pemasyarakatan', 'pidana kerja sosial'],
        })
      ).status,
    ).toBe(201);
    await driveToActive(api, UMBRELLA, dates.workingDays(-40));
    // Three PKS were started earlier, one at a time, with a target date that has passed.
    const earlier = await api('POST', `/v1/agreements/${UMBRELLA}/operational-agreements/batch`, {
      opdIds: OPDS.slice(0, 3).map((o) => o.id),
      title: 'PKS {opd}',
      scope: ['pidana kerja sosial'],
      dueBy: dates.workingDays(-5),
    });
    expect(earlier.body.started).toHaveLength(3);
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows each OPD with its PKS stage, starts the 18 missing in one step, and reminds the 21 unsigned', async () => {
    const page = await signInByEmail(browser, stack, KASUBAG, 1280);
    await page.goto(`${stack.baseUrl}/kesepakatan/${UMBRELLA}`);
    await page.getByRole('link', { name: /Cakupan PKS per OPD/ }).click();
    await page.getByRole('heading', { name: 'PKS dengan OPD', level: 1 }).waitFor();
    expect(await page.locator('.lead').textContent()).toBe(
      '21 OPD · 3 PKS dimulai · 0 sudah ditandatangani · 3 terlambat',
    );
    const rows = page.getByRole('table', { name: 'Cakupan PKS per OPD' }).locator('tbody tr');
    expect(await rows.count()).toBe(21);
    expect(await rows.filter({ hasText: 'Terlambat' }).count()).toBe(3);

    // The search narrows the list; every OPD without a PKS is ticked by default.
    await page.getByLabel('Cari OPD').fill('pertanian');
    await page.getByRole('button', { name: 'Cari' }).click();
    expect(await page.getByRole('checkbox').count()).toBe(1);
    expect(await page.getByText('Menampilkan 1 dari 18 OPD').count()).toBe(1);
    await page.getByLabel('Cari OPD').fill('');
    await page.getByRole('button', { name: 'Cari' }).click();
    const boxes = page.getByRole('checkbox');
    expect(await boxes.count()).toBe(18);
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(true);
    await page.getByLabel('Target penandatanganan (opsional)').fill(dates.workingDays(20));
    await page.screenshot({ path: new URL('pks-coverage-before-start-1280.png', SHOTS).pathname, fullPage: true });
    await page.getByRole('button', { name: 'Mulai PKS untuk OPD yang dipilih' }).click();
    await page.getByRole('status').filter({ hasText: '18 PKS dimulai.' }).waitFor();
    expect(await page.locator('.lead').textContent()).toBe(
      '21 OPD · 21 PKS dimulai · 0 sudah ditandatangani · 3 terlambat',
    );
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: new URL(`pks-coverage-${width}.png`, SHOTS).pathname, fullPage: true });
    }

    const sent = stack.sink.received.length;
    await page.getByLabel('Pesan (opsional)').fill('Mohon PKS ditandatangani sebelum rapat evaluasi.');
    await page.getByRole('button', { name: 'Ingatkan 21 OPD yang belum menandatangani' }).click();
    await page.getByRole('status').filter({ hasText: 'Pengingat dikirim ke 21 OPD.' }).waitFor();
    const umbrella = (await api('GET', `/v1/agreements/${UMBRELLA}`)).body;
    const reminded = await eventually(
      'a reminder to every OPD, accepted by the SMTP server',
      async () => {
        const to: string[] = [];
        for (const child of umbrella.children) {
          const items = (await api('GET', `/v1/agreements/${child.id}/notifications`)).body.items;
          const nudge = items.find(
            (n: { template: string; status: string }) => n.template === 'signing_nudge' && n.status === 'sent',
          );
          if (!nudge || !stack.sink.received.slice(sent).some((m) => m.raw.toString().includes(nudge.messageId)))
            return undefined;
          to.push(...nudge.to);
        }
        return to;
      },
      60_000,
    );
    for (const opd of OPDS) expect(reminded).toContain(`penghubung@${opd.id}.test`);
    expect(reminded).toContain(`kepala@${OPDS[20]!.id}.test`);
    // A second click within the hour reminds no one twice, and says why.
    await page.getByRole('button', { name: 'Ingatkan 21 OPD yang belum menandatangani' }).click();
    await page.getByRole('status').filter({ hasText: 'Pengingat dikirim ke 0 OPD. 21 dilewati' }).waitFor();
  });
});
