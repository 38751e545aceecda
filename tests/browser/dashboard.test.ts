// The dashboard in real headless Chromium (Debian's, driven by playwright-core) against the real stack.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../services/people.js';
import { registerParty } from '../support/lifecycle.js';
import { signInByEmail } from '../support/browser-sign-in.js';
import { launchChromium, chromiumMissing } from '../support/screenshot.js';
import { eventually, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';
import { formatInstant } from '../../domain/format.js';

// The audiensi took place two working days ago: its minutes are recorded after it (a meeting ahead has none).
const audiensiDay = dates.workingDays(-2);

const notRunBecause = chromiumMissing;
if (notRunBecause) console.warn(`[browser tests] not run: ${notRunBecause}`);
/** An operator made with `sinergi user create`; contacts of the parties sign in the same way. */
const ADMIN = 'admin@web.test';
const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);

describe.skipIf(notRunBecause !== undefined)('dashboard in Chromium', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    const api = http(stack.baseUrl);
    await registerParty(api, { id: 'lapas-web', name: 'Lapas Kelas IIA Garut', kind: 'upt' });
    await registerParty(api, { id: 'pemkab-web', name: 'Pemerintah Kabupaten Garut', kind: 'pemda' });
    await registerParty(api, { id: 'bapas-lain', name: 'Bapas Ambon', kind: 'upt' });
    await createOperator(stack.database.db, { email: ADMIN, name: 'Admin Sinergi', role: 'admin' });
    browser = await launchChromium([
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ]);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const signIn = (email: string, width = 1280): Promise<Page> => signInByEmail(browser, stack, email, width);

  let agreementUrl = '';

  it('signs in, starts an agreement and schedules an audiensi from the forms', async () => {
    const page = await signIn(ADMIN);
    expect(String(await page.evaluate('document.cookie'))).not.toContain('sinergi_sesi'); // HttpOnly
    // Parties are chosen by name from the directory, never typed as ids.
    await page.getByLabel('Pihak pemrakarsa', { exact: true }).selectOption({ label: 'Lapas Kelas IIA Garut' });
    await page.locator('#form-create').getByLabel('Pemerintah Kabupaten Garut', { exact: true }).check();
    await page.getByLabel('Ruang lingkup', { exact: true }).fill('Pelatihan keterampilan\nLayanan kesehatan');
    // Sent without a title: refused in Indonesian beside the field and in the summary, with everything typed kept.
    await page.getByRole('button', { name: 'Mulai kesepakatan' }).click();
    expect(await page.locator('#form-create .field-error').textContent()).toBe('Kesalahan: Judul: wajib diisi.');
    expect(await page.locator('#form-create .error-summary a').getAttribute('href')).toBe('#f-new-title');
    expect(await page.getByLabel('Ruang lingkup', { exact: true }).inputValue()).toBe(
      'Pelatihan keterampilan\nLayanan kesehatan',
    );
    expect(
      await page.locator('#form-create').getByLabel('Pemerintah Kabupaten Garut', { exact: true }).isChecked(),
    ).toBe(true);
    expect(await page.getByLabel('Judul', { exact: true }).getAttribute('maxlength')).toBe('200');
    // A fresh form, sent, then Back, and the same form sent again: the same agreement, not a second one.
    await page.goto(`${stack.baseUrl}/kesepakatan`);
    await page.getByLabel('Judul', { exact: true }).fill('Nota Kesepahaman Lapas Garut dan Pemkab Garut');
    await page.getByLabel('Pihak pemrakarsa', { exact: true }).selectOption({ label: 'Lapas Kelas IIA Garut' });
    await page.locator('#form-create').getByLabel('Pemerintah Kabupaten Garut', { exact: true }).check();
    await page.getByLabel('Ruang lingkup', { exact: true }).fill('Pelatihan keterampilan\nLayanan kesehatan');
    await page.getByRole('button', { name: 'Mulai kesepakatan' }).click();
    await page.waitForURL('**/kesepakatan/**');
    const first = page.url().split('?')[0]!;
    await page.goBack();
    expect(await page.getByLabel('Judul', { exact: true }).inputValue()).toBe(
      'Nota Kesepahaman Lapas Garut dan Pemkab Garut',
    );
    await page.getByRole('button', { name: 'Mulai kesepakatan' }).click();
    await page.waitForURL('**/kesepakatan/**');
    expect(page.url().split('?')[0]).toBe(first);
    const titled = (await http(stack.baseUrl)('GET', '/v1/agreements?q=Lapas%20Garut%20dan%20Pemkab')).body.items;
    expect(titled).toHaveLength(1);
    agreementUrl = page.url().split('?')[0]!;
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Nota Kesepahaman Lapas Garut dan Pemkab Garut',
    );
    expect(await page.locator('.stages li.current').textContent()).toContain('penjajakan');

    await page.locator('#form-meetings').getByLabel('Waktu', { exact: true }).fill(`${audiensiDay}T09:00`);
    await page.locator('#form-meetings').getByLabel('Tempat', { exact: true }).fill('Setda Garut');
    await page.getByRole('button', { name: 'Jadwalkan audiensi' }).click();
    await page.waitForURL('**?ok=meetings');
    expect(await page.locator('section', { hasText: 'Pertemuan' }).first().textContent()).toContain(
      formatInstant(dates.at(audiensiDay), 'Asia/Jakarta'),
    );

    // Keyboard only: record minutes that move the agreement to drafting.
    const minutes = page.locator('#form-minutes');
    // Attendees are ticked from the parties' contacts; a guest is written in for a party chosen by name.
    await minutes.getByLabel('Hadir: Penghubung lapas-web — Kasubag (Lapas Kelas IIA Garut)', { exact: true }).check();
    await minutes
      .getByLabel('Hadir: Penghubung pemkab-web — Kasubag (Pemerintah Kabupaten Garut)', { exact: true })
      .check();
    await minutes.getByLabel('Peserta lain (opsional)', { exact: true }).fill('Widi; Kabag Kerja Sama');
    await minutes
      .getByLabel('Pihak peserta lain', { exact: true })
      .selectOption({ label: 'Pemerintah Kabupaten Garut' });
    await minutes.getByLabel('Ringkasan', { exact: true }).fill('Audiensi; sepakat menyusun draf.');
    await minutes.getByLabel('Hasil', { exact: true }).selectOption('proceed_to_drafting');
    await minutes.getByLabel('Hasil', { exact: true }).press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL('**?ok=minutes');
    expect(await page.locator('.stages li.current').textContent()).toContain('penyusunan draf');
    const attended = await page.locator('section', { hasText: 'Pertemuan' }).first().textContent();
    expect(attended).toContain('Penghubung lapas-web (Kasubag, Lapas Kelas IIA Garut)');
    expect(attended).toContain('Widi (Kabag Kerja Sama, Pemerintah Kabupaten Garut)');
    await page.close();
  });

  it("shows the API's refusal beside the form", async () => {
    const page = await signIn(ADMIN);
    await page.goto(agreementUrl);
    // The first draft is uploaded as a file (the old link-and-SHA-256 form is gone); before it, the upload stands open.
    expect(await page.locator('#form-drafts').count()).toBe(0);
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText('Draf Nota Kesepahaman versi 1', {
      x: 50,
      y: 700,
      size: 14,
      font: await pdf.embedFont(StandardFonts.Helvetica),
    });
    await page
      .getByLabel('Berkas', { exact: true })
      .setInputFiles({ name: 'mou-v1.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await pdf.save()) });
    await page.getByLabel('Catatan untuk para pihak (opsional)', { exact: true }).fill('Mohon ditinjau.');
    await page.getByRole('button', { name: 'Unggah' }).click();
    await page.waitForURL('**?ok=dokumen');
    const documents = page.locator('section', { has: page.getByRole('heading', { name: 'Dokumen', exact: true }) });
    expect(await documents.textContent()).toContain('mou-v1.pdf');
    const review = page.locator('#form-review');
    await review.getByLabel('Atas nama pihak', { exact: true }).selectOption('lapas-web');
    await review.getByRole('button', { name: 'Setujui' }).click();
    await page.waitForURL('**?ok=review');
    // The same form sent again is the same change (nothing to refuse); a second review with a note is refused.
    await page.locator('#form-review').getByLabel('Atas nama pihak', { exact: true }).selectOption('lapas-web');
    await page.locator('#form-review').getByLabel('Catatan', { exact: true }).fill('Sekali lagi');
    await page.locator('#form-review').getByRole('button', { name: 'Setujui' }).click();
    await expect(page.locator('#form-review .error-summary').textContent()).resolves.toContain(
      'sudah meninjau draf versi 1',
    );
    expect(await page.locator('#form-review').getByLabel('Catatan', { exact: true }).inputValue()).toBe('Sekali lagi');
    expect(await page.locator('.error-summary').first().isVisible()).toBe(true);
    await page.close();
  });

  it("keeps another party's agreement out of sight", async () => {
    const page = await signIn('penghubung@bapas-lain.test');
    expect(await page.locator('table').first().textContent()).toContain('Tidak ada kesepakatan');
    const res = await page.goto(agreementUrl);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tidak ditemukan');
    await page.close();
  });

  it('approves from the e-mailed review link once, and refuses it again and when tampered', async () => {
    const link = await eventually('review request for the Pemkab in the mailbox', async () => {
      for (const m of stack.sink.received) {
        const eml = readFileSync(m.file, 'utf8');
        if (eml.includes('Permohonan tinjauan draf versi 1') && m.envelopeTo.includes('penghubung@pemkab-web.test')) {
          return /\/tautan\/[\w-]+\.[\w-]+/.exec(eml.replace(/=\r?\n/g, ''))?.[0];
        }
      }
      return undefined;
    });
    const page = await (await browser.newContext()).newPage();
    expect((await page.goto(`${stack.baseUrl}${link}`))?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tinjau draf versi 1');
    // The draft opens on the link's own authority, with no sign-in: the uploaded file itself.
    const draftLink = await page.getByRole('link', { name: 'Buka draf versi 1' }).getAttribute('href');
    expect(draftLink).toBe(`${link}/draf`);
    const opened = await fetch(`${stack.baseUrl}${draftLink}`, { redirect: 'manual' });
    expect([opened.status, opened.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(
      Buffer.from(await opened.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await page.getByRole('button', { name: 'Setujui' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Terima kasih');
    const view = (await http(stack.baseUrl)('GET', agreementUrl.replace(/.*\/kesepakatan\//, '/v1/agreements/'))).body;
    expect(view.stage).toBe('signing');
    const events = (
      await http(stack.baseUrl)('GET', agreementUrl.replace(/.*\/kesepakatan\//, '/v1/agreements/') + '/events')
    ).body.items;
    expect(events.filter((e: { type: string }) => e.type === 'DraftReviewed').at(-1).actor).toEqual({
      kind: 'contact',
      id: 'penghubung@pemkab-web.test',
      partyId: 'pemkab-web',
    });

    const again = await page.goto(`${stack.baseUrl}${link}`);
    expect(again?.status()).toBe(409);
    const tampered = link!.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    const bad = await page.goto(`${stack.baseUrl}${tampered}`);
    expect(bad?.status()).toBe(400);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tautan tidak sah');
    await page.close();
  });

  it('renders the agreement page on a phone and on a desktop', async () => {
    for (const width of [360, 1280]) {
      const page = await signIn(ADMIN, width);
      await page.goto(agreementUrl);
      const overflow = Boolean(await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1'));
      expect(overflow, `no horizontal scrolling at ${width}px`).toBe(false);
      await page.screenshot({ path: new URL(`agreement-${width}.png`, SHOTS).pathname, fullPage: true });
      // A long word typed into the document search wraps instead of widening the page.
      await page.goto(`${stack.baseUrl}/dokumen?q=${'perjanjiankerjasama'.repeat(10)}`);
      expect(
        Boolean(await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1')),
        `/dokumen at ${width}px`,
      ).toBe(false);
      await page.close();
    }
    expect(existsSync(new URL('agreement-360.png', SHOTS))).toBe(true);
  });

  it('keeps to a Content Security Policy with no inline script anywhere, and inline styles only on /docs', async () => {
    const page = await signIn(ADMIN);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const res = await page.goto(agreementUrl);
    expect(res?.headers()['content-security-policy']).not.toContain('unsafe-inline');
    // The page's own style sheet applies (admitted by its hash), and so do the classes that replaced inline styles.
    expect(await page.evaluate('getComputedStyle(document.querySelector("header")).backgroundColor')).toBe(
      'rgb(11, 61, 46)',
    );
    const docs = await page.goto(`${stack.baseUrl}/docs`);
    const scriptSrc = /script-src ([^;]*)/.exec(docs?.headers()['content-security-policy'] ?? '')?.[1];
    expect(scriptSrc).toBe("'self'"); // /docs may apply inline styles, never run inline script
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Sinergi API' }).waitFor();
    expect(violations).toEqual([]);
  });

  it('signs a contact in with a link from the e-mail the SMTP server stored, in that browser only', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/masuk`);
    await page.screenshot({ path: new URL('sign-in.png', SHOTS).pathname, fullPage: true });
    await page.getByLabel('Alamat e-mail', { exact: true }).fill('penghubung@pemkab-web.test');
    await page.getByRole('button', { name: 'Kirim tautan masuk' }).click();
    await page.getByRole('heading', { name: 'Periksa e-mail Anda' }).waitFor();
    // The link, as the person reads it in the stored .eml.
    const eml = await eventually('the sign-in e-mail', async () =>
      stack.sink.received.find(
        (m) => m.envelopeTo.includes('penghubung@pemkab-web.test') && m.raw.toString().includes('Tautan masuk Sinergi'),
      ),
    );
    const text = readFileSync(eml.file, 'utf8').replace(/=\r?\n/g, '');
    const link = /\/masuk\/tautan\/[\w-]+/.exec(text)![0];
    const mail = await context.newPage();
    await mail.setContent(
      `<pre style="font:14px monospace;white-space:pre-wrap;padding:1rem">${text.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</pre>`,
    );
    await mail.screenshot({ path: new URL('sign-in-email.png', SHOTS).pathname, fullPage: true });
    // Another browser cannot use it.
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${stack.baseUrl}${link}`);
    await other.getByRole('button', { name: 'Masuk', exact: true }).click();
    await other.getByRole('heading', { name: 'Peramban lain' }).waitFor();
    await other.screenshot({ path: new URL('sign-in-other-browser.png', SHOTS).pathname, fullPage: true });
    // The asking browser signs in, and sees the Pemkab's agreement under its own name.
    await page.goto(`${stack.baseUrl}${link}`);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.waitForURL('**/kesepakatan');
    expect(await page.locator('header').textContent()).toContain('· Pemerintah Kabupaten Garut');
    await page.goto(agreementUrl);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Nota Kesepahaman Lapas Garut dan Pemkab Garut',
    );
    expect(existsSync(new URL('sign-in-email.png', SHOTS))).toBe(true);
  });

  it("imports a Pemda's OPD list from an Excel file: preview, confirm, then the OPDs are in the directory", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('OPD');
    sheet.addRow(['ID OPD', 'Nama OPD', 'Zona waktu', 'Nama kontak', 'Jabatan', 'E-mail', 'Peran']);
    sheet.addRow([
      'dinsos-web',
      'Dinas Sosial Garut',
      'WIB',
      'Rina',
      'Kabid Rehsos',
      'rina@dinsos-web.test',
      'penghubung',
    ]);
    sheet.addRow([
      'disnaker-web',
      'Dinas Tenaga Kerja Garut',
      '',
      'Budi',
      'Kabid Pelatihan',
      'budi@disnaker-web.test',
      'penghubung',
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'opd-')), 'daftar-opd.xlsx');
    writeFileSync(file, new Uint8Array(await book.xlsx.writeBuffer()));
    const page = await signIn(ADMIN);
    await page.goto(`${stack.baseUrl}/direktori`);
    await page.getByRole('link', { name: 'Impor daftar OPD' }).first().click();
    await page.getByLabel('Berkas Excel (XLSX) atau CSV').setInputFiles(file);
    await page.getByRole('button', { name: 'Lihat pratinjau' }).click();
    await page.getByRole('status').filter({ hasText: '2 OPD ditambah' }).waitFor();
    await page.screenshot({ path: new URL('directory-import-preview.png', SHOTS).pathname, fullPage: true });
    await page.getByRole('button', { name: /^Terapkan/ }).click();
    await page.waitForURL('**/direktori?saved=impor');
    expect(await page.locator('main').textContent()).toContain('Dinas Sosial Garut');
    expect(await page.locator('main').textContent()).toContain('rina@dinsos-web.test');
    await page.screenshot({ path: new URL('directory.png', SHOTS).pathname, fullPage: true });
  });
});
