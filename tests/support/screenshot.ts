// A page's HTML as Chromium draws it (the dashboard's style sheet is inline), saved for the closing notes.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);

/** Returns the file written, or undefined where there is no Chromium to draw with. */
export async function screenshotOf(page: string, name: string, width = 1024): Promise<string | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const tab = await browser.newPage({ viewport: { width, height: 600 } });
    await tab.setContent(page);
    mkdirSync(SHOTS, { recursive: true });
    const path = new URL(name, SHOTS).pathname;
    await tab.screenshot({ path, fullPage: true });
    return path;
  } finally {
    await browser.close();
  }
}
