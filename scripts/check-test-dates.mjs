// Fails `npm test` when a test that runs against a real clock writes a literal date the calendar will overtake:
// any real ISO date within two years of today, outside the frozen-clock tests (tests/unit/, which pass a fixed
// `now` and never read a clock). Those dates belong in tests/support/test-dates.ts, computed from the clock.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FROZEN = 'tests/unit/';
const WINDOW_MS = 2 * 365.25 * 86_400_000;
const DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield relative(root, path);
  }
}

/** The UTC midnight of a real calendar date, or undefined (2026-02-31 is no date, only bad input). */
function dateMs(y, m, d) {
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  return new Date(ms).toISOString().slice(0, 10) === `${y}-${m}-${d}` ? ms : undefined;
}

const now = Date.now();
const problems = [];
for (const file of files(join(root, 'tests'))) {
  const frozen = file.startsWith(FROZEN);
  readFileSync(join(root, file), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const where = `${file}:${i + 1}`;
      if (frozen && /Date\.now\(\)|new Date\(\)/.test(line))
        problems.push(`${where}: a frozen-clock test reads the real clock`);
      if (frozen) return;
      for (const [text, y, m, d] of line.matchAll(DATE)) {
        const ms = dateMs(y, m, d);
        if (ms !== undefined && Math.abs(ms - now) <= WINDOW_MS) {
          problems.push(
            `${where}: literal date ${text} lies within two years of today; compute it (tests/support/test-dates.ts)`,
          );
        }
      }
    });
}
if (problems.length > 0) {
  console.error(`[test dates] ${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('[test dates] no literal date near today outside the frozen-clock tests');
