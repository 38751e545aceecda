// Signs in as a person does: asks for a link, takes it from the e-mail the SMTP server received, opens it.
import type { Browser, Page } from 'playwright-core';
import { eventually, type Stack } from './stack.js';

export async function signInByEmail(browser: Browser, stack: Stack, email: string, width = 1280): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
  await page.goto(`${stack.baseUrl}/`);
  const sent = stack.sink.received.length;
  await page.getByLabel('Alamat e-mail', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Kirim tautan masuk' }).click();
  await page.getByRole('heading', { name: 'Periksa e-mail Anda' }).waitFor();
  const mail = await eventually('the sign-in e-mail', async () =>
    stack.sink.received.slice(sent).find((m) => m.envelopeTo.includes(email)),
  );
  await page.goto(`${stack.baseUrl}${/\/masuk\/tautan\/[\w-]+/.exec(mail.raw.toString().replace(/=\r?\n/g, ''))![0]}`);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.waitForURL('**/kesepakatan');
  return page;
}
