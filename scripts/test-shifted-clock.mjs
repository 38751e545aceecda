// Runs the test suite as if today were another date: `npm run test:shifted -- 2027-06-01 [vitest args]`.
// Every process that reads the clock through the C library (Node, PostgreSQL, the time-skipping Temporal server,
// Python) is moved by Debian's libfaketime. The Temporal dev server is statically linked Go and keeps the real
// clock, so the end-to-end suites run on the time-skipping server here (SINERGI_TEST_TEMPORAL). Left out, and named
// in the printout: the production-topology suite (its Temporal server is Go too), and Schemathesis, which has no
// date in it and on the time-skipping server outruns its 15-minute bound. The tests' own Chromium keeps the real
// clock (libfaketime slows it from milliseconds to a minute a page); the server's clock decides everything.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const [date, ...rest] = process.argv.slice(2);
if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
  console.error('usage: npm run test:shifted -- YYYY-MM-DD [vitest arguments]');
  process.exit(2);
}
if (!existsSync(LIB)) {
  console.error(`[shifted clock] ${LIB} is missing: apt-get install libfaketime`);
  process.exit(2);
}
// The same offset for every process, so they agree with each other; the time of day is kept.
const now = new Date();
const target = Date.parse(`${date}T${now.toISOString().slice(11, 23)}Z`);
const offset = Math.round((target - now.getTime()) / 1000);
console.log(
  `[shifted clock] ${now.toISOString()} -> ${new Date(target).toISOString()} (${offset >= 0 ? '+' : ''}${offset} s)`,
);
console.log(
  '[shifted clock] left out: tests/production (its Temporal server is Go and keeps the real clock), tests/fuzz (no ' +
    'date in it)',
);
const result = spawnSync(
  'npx',
  ['vitest', 'run', '--exclude', 'tests/production/**', '--exclude', 'tests/fuzz/**', ...rest],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      LD_PRELOAD: LIB,
      FAKETIME: `${offset >= 0 ? '+' : ''}${offset}`,
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      SINERGI_TEST_TEMPORAL: 'time-skipping',
      // Everything runs two to three times slower here: waits for e-mails and escalations get three times as long.
      SINERGI_TEST_PATIENCE: '3',
    },
  },
);
process.exit(result.status ?? 1);
