// No product line over 120 characters: the formatter wraps code, and this holds what it cannot wrap
// (strings, templates, comments). Tests and benchmarks are held by the formatter alone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 120;
const SKIP = new Set([
  'node_modules',
  '.tools',
  '.git',
  'tests',
  'bench',
  'test-output',
  '.test-data',
  'dist',
  '.data',
]);
const SOURCE = /\.(ts|mts|mjs|js)$/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') && entry.name !== '.ci') continue;
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (SOURCE.test(entry.name)) yield path;
  }
}

const long = [];
for (const file of files('.')) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.length > LIMIT) long.push(`${file}:${i + 1}: ${line.length} characters`);
    });
}
if (long.length) {
  console.error(`${long.length} product lines over ${LIMIT} characters:\n${long.join('\n')}`);
  process.exit(1);
}
console.log(`no product line over ${LIMIT} characters`);
