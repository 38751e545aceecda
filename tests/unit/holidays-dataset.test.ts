// Every shipped holiday list agrees with an independent, well-kept dataset: the PyPI package `holidays`
// (pinned in scripts/bootstrap.mjs, installed into .tools/venv), Indonesia's public holidays and, in its
// government category, the cuti bersama. A difference fails unless the year's file explains it.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLIDAYS_DIR } from '../../config/env.js';

const PYTHON = new URL('../../.tools/venv/bin/python', import.meta.url).pathname;
const DATASET = `
import json, sys, holidays
year = int(sys.argv[1])
public = holidays.country_holidays('ID', years=year)
both = holidays.country_holidays('ID', years=year, categories=('public', 'government'))
print(json.dumps({
  'version': holidays.__version__,
  'holidays': sorted(d.isoformat() for d in public),
  'cutiBersama': sorted(d.isoformat() for d in both if d not in public),
}))
`;

interface YearFile {
  year: number;
  holidays: { date: string }[];
  cutiBersama: { date: string }[];
  /** Dates where this list and the dataset differ on purpose, each with the reason. */
  knownDifferences?: { date: string; reason: string }[];
}

const years = readdirSync(DEFAULT_HOLIDAYS_DIR)
  .filter((f) => /^\d{4}\.json$/.test(f))
  .map((f) => JSON.parse(readFileSync(`${DEFAULT_HOLIDAYS_DIR}${f}`, 'utf8')) as YearFile);
const notRunBecause = existsSync(PYTHON) ? undefined : `${PYTHON} is missing (scripts/bootstrap.mjs test installs it)`;

describe.skipIf(notRunBecause !== undefined)('holiday lists against the holidays dataset', () => {
  it('ships a list for this year and the next two', () => {
    expect(years.map((y) => y.year)).toEqual(expect.arrayContaining([2025, 2026, 2027]));
  });

  for (const file of years) {
    it(`${file.year}: the same holidays and cuti bersama, date for date`, async () => {
      const { stdout } = await promisify(execFile)(PYTHON, ['-c', DATASET, String(file.year)]);
      const dataset = JSON.parse(stdout) as { version: string; holidays: string[]; cutiBersama: string[] };
      expect(dataset.version).toBe('0.108');
      const explained = new Set((file.knownDifferences ?? []).map((d) => d.date));
      const differ = (ours: string[], theirs: string[]) =>
        [
          ...ours.filter((d) => !theirs.includes(d)).map((d) => `only in Sinergi: ${d}`),
          ...theirs.filter((d) => !ours.includes(d)).map((d) => `only in the dataset: ${d}`),
        ].filter((line) => !explained.has(line.slice(-10)));
      expect(differ(file.holidays.map((h) => h.date).sort(), dataset.holidays), 'holidays').toEqual([]);
      expect(differ(file.cutiBersama.map((h) => h.date).sort(), dataset.cutiBersama), 'cuti bersama').toEqual([]);
      for (const d of file.knownDifferences ?? []) expect(d.reason.trim(), d.date).not.toBe('');
    });
  }
});
