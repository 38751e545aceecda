// An electronic signing round on the dashboard, in Chromium against the real stack with real PAdES signatures
// (pyHanko): the initiator's liaison keeps the final PDF and begins the round (confirming a text that differs),
// signs their own step, sees a copy signed out of turn refused with its reason, and the round's progress to signed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../domain/format.js';
import { SIGNATURE_REFUSAL } from '../../domain/signers.js';
import { signInByEmail } from '../support/browser-sign-in.js';
import { signPdf } from '../support/pades.js';
import { launchChromium, chromiumMissing } from '../support/screenshot.js';
import { ADMIN_TOKEN, eventually, type http, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';
import { signingStack, textPdf, toApprovedPdf } from '../support/tte.js';

const notRunBecause = chromiumMissing;
const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);
const ID = 'tte-web-garut';
const LIAISON = 'penghubung@lapas-web.test';
const TEXT = ['Pasal 1 Kerja sama pembinaan kemandirian.', 'Pasal 2 Ruang lingkup pelatihan kerja.'];
const dir = mkdtempSync(join(tmpdir(), 'sinergi-tte-web-'));
const pki = join(dir, 'pki');

describe.skipIf(notRunBecause !== undefined)('an electronic signing round in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let api: ReturnType<typeof http>;

  beforeAll(async () => {
    ({ stack, api } = await signingStack(dir, 'web', {
      id: ID,
      title: 'Perjanjian kerja sama pelatihan kerja',
      instrument: 'perjanjian_kerja_sama',
    }));
    await toApprovedPdf(api, stack.baseUrl, ID, ['lapas-web', 'pemkab-web'], TEXT);
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The current copy as the page offers it, signed by `person` with pyHanko as their own tool would. */
  async function signedFromPage(page: Page, person: string, field: string): Promise<Buffer> {
    const current = await page.request.get(`${stack.baseUrl}/kesepakatan/${ID}/tte/berkas`);
    expect(current.status()).toBe(200);
    writeFileSync(join(dir, `current-${field}.pdf`), await current.body());
    await signPdf(join(dir, `current-${field}.pdf`), join(dir, `${field}.pdf`), { dir: pki, person, field });
    return readFileSync(join(dir, `${field}.pdf`));
  }

  async function uploadOnPage(page: Page, file: Buffer): Promise<void> {
    await page
      .locator('#f-tte-file')
      .setInputFiles({ name: 'bertanda-tangan.pdf', mimeType: 'application/pdf', buffer: file });
    await page.getByRole('button', { name: 'Unggah salinan bertanda tangan' }).click();
  }

  /** A later person's copy, handed in through /v1 as an integration would. */
  async function uploadByApi(person: string, field: string): Promise<number> {
    const current = await fetch(`${stack.baseUrl}/v1/agreements/${ID}/signing/document`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    writeFileSync(join(dir, `current-${field}.pdf`), Buffer.from(await current.arrayBuffer()));
    await signPdf(join(dir, `current-${field}.pdf`), join(dir, `${field}.pdf`), { dir: pki, person, field });
    const form = new FormData();
    form.set('file', new Blob([readFileSync(join(dir, `${field}.pdf`))]), `${field}.pdf`);
    const res = await fetch(`${stack.baseUrl}/v1/agreements/${ID}/signing/signed-copies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: form,
    });
    return res.status;
  }

  it('begins the round, refuses a copy out of turn with its reason, and shows the round to signed', async () => {
    const page = await signInByEmail(browser, stack, LIAISON, 1280);
    await page.goto(`${stack.baseUrl}/kesepakatan/${ID}`);

    // The final PDF, with one sentence more than the approved draft, kept as "Berkas final untuk TTE".
    await page.getByText('Unggah dokumen', { exact: true }).click();
    const final = Buffer.from(await textPdf([...TEXT, 'Pasal 3 Pembiayaan ditanggung bersama.']));
    await page
      .locator('#f-doc-file')
      .setInputFiles({ name: 'kesepakatan-final.pdf', mimeType: 'application/pdf', buffer: final });
    await page.locator('#f-doc-kind').selectOption('final');
    await page.getByRole('button', { name: 'Unggah', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Tersimpan.' }).waitFor();

    // The order: the liaison's initials, then the Kalapas, then the Bupati; the text differs, so it asks first.
    await page.getByText(/^Tindakan lain/).click();
    const form = page.locator('#form-signing-electronic');
    await form.getByLabel('Batas waktu').fill(dates.workingDays(10));
    await form.getByLabel('Langkah 1', { exact: true }).selectOption(`paraf|lapas-web|${LIAISON}`);
    await form.getByLabel('Langkah 2', { exact: true }).selectOption('sign|lapas-web|kepala@lapas-web.test');
    await form.getByLabel('Langkah 3', { exact: true }).selectOption('sign|pemkab-web|kepala@pemkab-web.test');
    await form.getByRole('button', { name: 'Mulai penandatanganan elektronik' }).click();
    const asked = page.locator('#form-signing-electronic .field-error');
    await asked.waitFor();
    expect(await asked.textContent()).toContain('berbeda dari draf versi 1 yang disetujui (5 kata ditambah');
    // What was chosen is still chosen; only the confirmation is added.
    expect(await form.getByLabel('Langkah 1', { exact: true }).inputValue()).toBe(`paraf|lapas-web|${LIAISON}`);
    expect(await form.getByLabel('Batas waktu').inputValue()).toBe(dates.workingDays(10));
    await form.getByLabel(/Teks berkas final boleh berbeda/).check();
    await form.getByRole('button', { name: 'Mulai penandatanganan elektronik' }).click();
    await page.getByRole('status').filter({ hasText: 'Penandatanganan elektronik dimulai' }).waitFor();
    const round = page.locator('#tte');
    expect(await round.locator('p').first().textContent()).toContain('0 dari 3 langkah selesai');
    expect(await round.locator('tr[aria-current="step"]').textContent()).toContain('Penghubung lapas-web');
    // The step's follow-up is listed, but it closes with the signed copy, not with a button.
    const stepRow = page.getByRole('row', { name: /Paraf elektronik: Penghubung lapas-web/ });
    expect(await stepRow.getByRole('button', { name: 'Tandai selesai' }).count()).toBe(0);
    await page.screenshot({ path: new URL('tte-initiator-round-1280.png', SHOTS).pathname, fullPage: true });

    // The first person's e-mail: their turn, what to do, by when, with a link.
    const mail = await eventually('the signing_turn e-mail to the liaison', async () => {
      const raw = stack.sink.received.find(
        (m) => m.envelopeTo.includes(LIAISON) && m.raw.toString().includes('Giliran paraf'),
      );
      return raw ? simpleParser(raw.raw) : undefined;
    });
    expect(mail.subject).toBe('Giliran paraf Bapak/Ibu: Perjanjian kerja sama pelatihan kerja');
    expect(mail.text).toContain('Langkah 1 dari 3');
    const shown = await browser.newPage({ viewport: { width: 720, height: 600 } });
    await shown.setContent(typeof mail.html === 'string' ? mail.html : `<pre>${mail.text}</pre>`);
    await shown.screenshot({ path: new URL('tte-signer-email.png', SHOTS).pathname, fullPage: true });
    await shown.close();

    // The Bupati's signature before the liaison's initials: refused, with the reason in words, nothing recorded.
    const before = (await api('GET', `/v1/agreements/${ID}`)).body.version;
    await uploadOnPage(page, await signedFromPage(page, 'bupati', 'TTE-dahulu'));
    await page.getByRole('heading', { name: 'Salinan bertanda tangan ditolak' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(SIGNATURE_REFUSAL.out_of_order);
    await page.screenshot({ path: new URL('tte-refusal-1280.png', SHOTS).pathname, fullPage: true });
    expect((await api('GET', `/v1/agreements/${ID}`)).body.version).toBe(before);

    // The liaison's own initials: accepted, and the round moves to the Kalapas.
    await page.getByRole('link', { name: 'Kembali ke penandatanganan' }).click();
    await uploadOnPage(page, await signedFromPage(page, 'paraf', 'Paraf-1'));
    await page.getByRole('status').filter({ hasText: 'Salinan bertanda tangan diterima' }).waitFor();
    expect(await round.locator('p').first().textContent()).toContain('1 dari 3 langkah selesai');
    expect(await round.locator('tr[aria-current="step"]').textContent()).toContain('Pimpinan lapas-web');
    expect(await round.locator('tbody tr').first().textContent()).toContain('CN=Penghubung lapas-web');

    // The Kalapas and the Bupati sign; the page shows the agreement signed, with its audit sheet.
    expect(await uploadByApi('kalapas', 'TTE-1')).toBe(200);
    expect(await uploadByApi('bupati', 'TTE-2')).toBe(200);
    await page.reload();
    expect(await round.textContent()).toContain('Ditandatangani secara elektronik pada');
    expect(await round.locator('.tag.done').count()).toBe(3);
    const sheet = await page.request.get(
      `${stack.baseUrl}${await round.getByRole('link', { name: 'Lembar jejak audit (PDF)' }).getAttribute('href')}`,
    );
    expect(sheet.status()).toBe(200);
    expect(sheet.headers()['content-type']).toContain('application/pdf');
    writeFileSync(new URL('lembar-jejak-audit.pdf', SHOTS), await sheet.body());
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: new URL(`tte-signed-${width}.png`, SHOTS).pathname, fullPage: true });
    }
    // Published, the public list says how it was signed.
    expect((await api('POST', `/v1/agreements/${ID}/publication`, { public: true })).status).toBe(200);
    const listed = await (await fetch(`${stack.baseUrl}/publik`)).text();
    expect(listed).toContain(`ditandatangani secara elektronik ${formatDate(dates.today)}`);
  }, 180_000);
});
