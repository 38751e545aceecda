// Secrets read from the environment must be long and private: a value written anywhere in this repository (an old
// compose default, a test's key) is public, and whoever knows the link secret can sign links for any party.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIN_SECRET_BYTES = 32;
/** `aaaa…` is long but guessable: a random secret of 32 bytes has far more distinct characters than this. */
export const MIN_DISTINCT_CHARACTERS = 16;

/** Defaults this project once shipped: public forever, even after they left the repository. */
const ONCE_PUBLISHED = ['ganti-kunci-tautan-ini-0123456789', 'ganti-token-admin-ini-0123456789'];

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.data',
  '.tools',
  '.test-data',
  'test-output',
  'dist',
  '.schemathesis',
]);

function* repositoryFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* repositoryFiles(path);
    else if (entry.isFile() && statSync(path).size < 2_000_000) yield path;
  }
}

/** The first file of this repository that holds `value`, if any (the image holds the files it ships). */
export function foundInRepository(value: string, root = ROOT): string | undefined {
  if (ONCE_PUBLISHED.includes(value)) return 'an earlier docker-compose.yml';
  for (const file of repositoryFiles(root)) {
    if (readFileSync(file).includes(value)) return file.slice(root.length);
  }
  return undefined;
}

/** Why `value` may not be used as the secret `name`, or undefined when it may. */
export function secretProblem(name: string, value: string, root = ROOT): string | undefined {
  if (Buffer.byteLength(value) < MIN_SECRET_BYTES) {
    return `${name} must be at least ${MIN_SECRET_BYTES} bytes; make one with: openssl rand -base64 32`;
  }
  const distinct = new Set(value).size;
  if (distinct < MIN_DISTINCT_CHARACTERS) {
    return (
      `${name} has only ${distinct} distinct characters (at least ${MIN_DISTINCT_CHARACTERS}); make a random ` +
      `one ` +
      `with: openssl rand -base64 32`
    );
  }
  const where = foundInRepository(value, root);
  if (where)
    return (
      `${name} is written in ${where} in Sinergi's repository, so it is public; make a new one with: openssl ` +
      `rand -base64 32`
    );
  return undefined;
}
