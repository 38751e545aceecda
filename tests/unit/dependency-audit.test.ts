// The offline half of the dependency check that `npm test` runs (scripts/dependency-audit.mjs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { offlineProblems } from '../../scripts/dependency-audit.mjs';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8'));

describe('the dependency check', () => {
  it('passes the committed manifest and lock file', () => {
    expect(offlineProblems(manifest, lock)).toEqual([]);
  });

  it('names an unpinned version, a package without integrity, one from elsewhere and an unreviewed install script', () => {
    const bad = {
      packages: {
        '': {},
        'node_modules/tanpa-hash': { version: '1.0.0' },
        'node_modules/dari-git': {
          version: '1.0.0',
          integrity: 'sha512-x',
          resolved: 'git+https://example.test/x.git',
        },
        'node_modules/skrip': { version: '1.0.0', integrity: 'sha512-x', hasInstallScript: true },
        'node_modules/esbuild': { version: '1.0.0', integrity: 'sha512-x', hasInstallScript: true },
      },
    };
    const problems = offlineProblems({ dependencies: { longgar: '^1.0.0' }, allowScripts: { esbuild: true } }, bad);
    expect(problems).toEqual([
      'longgar@^1.0.0: not pinned to one registry version',
      'node_modules/tanpa-hash: no sha512 integrity in the lock file',
      'node_modules/dari-git: resolved from git+https://example.test/x.git',
      'node_modules/skrip: runs an install script and is not in allowScripts',
    ]);
  });
});
