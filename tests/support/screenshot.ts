// A page's HTML as Chromium draws it (the dashboard's style sheet is inline), saved for the closing notes.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Why the browser suites cannot run here, if they cannot (they are then reported, not silently passed). */
export const chromiumMissing: string | undefined = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is missing (scripts/bootstrap.mjs installs Debian's chromium as root)`;

/**
 * How the tests start Chromium. In a shifted-clock run (npm run test:shifted) it keeps the real clock: libfaketime
 * slows it from milliseconds to a minute per page, and the server's clock, not the page's, decides everything.
 */
export function launchChromium(args: string[] = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', ...args],
    env: realClockEnv(),
  });
}

/** The environment without libfaketime: for a test's own tools (the browser, the fuzzer), never the product. */
export function realClockEnv(): Record<string, string> {
  const { LD_PRELOAD: _preload, FAKETIME: _faketime, ...env } = process.env;
  return env as Record<string, string>;
}
const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);

/** Returns the file written, or undefined where there is no Chromium to draw with. */
export async function screenshotOf(page: string, name: string, width = 1024): Promise<string | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const browser = await launchChromium();
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
