// Run as root, the local PostgreSQL keeps a private folder's data in a shared one. Those copies are removed once the
// folder they stood in for is gone and no server runs on them; anything else is left alone.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataFolderFor, sweepOrphanedData } from '../../scripts/local/postgres.js';

const root = mkdtempSync(join(tmpdir(), 'sinergi-shared-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A shared data folder standing in for `origin`, optionally with a server's pid file. */
function standIn(shared: string, name: string, origin?: string, pid?: number): string {
  const data = join(shared, `data-${name}`);
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, 'PG_VERSION'), '17\n');
  if (origin) writeFileSync(join(shared, `data-${name}.origin`), `${origin}\n`);
  if (pid !== undefined) writeFileSync(join(data, 'postmaster.pid'), `${pid}\n${data}\n`);
  return data;
}

describe('the shared data folders of a run as root', () => {
  it('removes the ones whose folder is gone and that no server runs on', async () => {
    const shared = join(root, 'shared');
    const kept = join(root, 'bench-kept');
    mkdirSync(kept, { recursive: true });
    const gone = join(root, 'bench-gone');
    // A process that lives through the test, and one that has ended, as the pid files' servers.
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    const ended = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => ended.once('exit', done));
    try {
      const orphan = standIn(shared, 'a', join(gone, 'pg'));
      const crashed = standIn(shared, 'b', join(gone, 'pg2'), ended.pid);
      const owned = standIn(shared, 'c', join(kept, 'pg'));
      const running = standIn(shared, 'd', join(gone, 'pg3'), alive.pid);
      const older = standIn(shared, 'e');
      expect(sweepOrphanedData(shared).sort()).toEqual([orphan, crashed]);
      expect([orphan, crashed].map(existsSync)).toEqual([false, false]);
      expect(existsSync(join(shared, 'data-a.origin'))).toBe(false);
      expect([owned, running, older].map(existsSync)).toEqual([true, true, true]);
      expect(sweepOrphanedData(shared)).toEqual([]);
    } finally {
      alive.kill();
    }
  });
});

describe('a data folder others can reach, run as root', () => {
  it('is used where asked, and the folder that holds it keeps its mode', () => {
    // A folder like /tmp: everyone may write in it, and only the owner of a file may remove it.
    chmodSync(root, 0o755);
    const shared = join(root, 'like-tmp');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const dataDir = join(shared, 'pg');
    expect(dataFolderFor(true, dataDir)).toBe(dataDir);
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
  });
});
