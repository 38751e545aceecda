// The operator's CLI as a process against real PostgreSQL: tokens, projections rebuild, export.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream } from '../../activities/event-store/append.js';
import { projectAgreement } from '../../activities/projections/agreements.js';
import type { RecordedEvent } from '../../domain/events.js';
import { evolve, initialState } from '../../domain/evolve.js';
import { toView } from '../../domain/view.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { inSigning } from '../unit/fixtures.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('cli');
  for (const id of ['cli-a', 'cli-b']) {
    let state = initialState(id);
    const events: RecordedEvent[] = [
      ...inSigning,
      {
        type: 'DraftSubmitted',
        data: { version: 2, documentUrl: `https://dokumen.test/${id}.pdf`, sha256: 'ab'.repeat(32) },
      },
    ].map(
      (e, i) =>
        ({
          ...e,
          id: `20000000-0000-4000-8000-${id === 'cli-a' ? '0' : '1'}${String(i).padStart(11, '0')}`,
          meta: { actor: { kind: 'token', id: 't' }, occurredAt: `2026-02-0${1 + (i % 8)}T01:00:00.000Z` },
        }) as RecordedEvent,
    );
    for (const e of events) {
      const next = evolve(state, e);
      await appendToStream(t.db, id, state.version, [e], [projectAgreement(toView(next))]);
      state = next;
    }
  }
});
afterAll(async () => t?.drop());

const sinergi = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: new URL('../../', import.meta.url),
    env: { ...process.env, DATABASE_URL: t.url },
    encoding: 'utf8',
  });

describe('sinergi CLI', () => {
  it('rebuilds the projections from the events, giving the same rows', async () => {
    const before = await t.db.selectFrom('agreements').selectAll().orderBy('id').execute();
    await t.db.deleteFrom('agreements').execute();
    const run = sinergi('projections', 'rebuild');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('rebuilt 2 agreements, the overview of 2 and 0 document numbers');
    expect(await t.db.selectFrom('agreements').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it('creates, lists and revokes tokens, printing a token only once', () => {
    const created = sinergi('token', 'create', '--role', 'viewer', '--label', 'auditor');
    expect(created.status, created.stderr).toBe(0);
    const token = /token\s+(sng_\S+)/.exec(created.stdout)![1]!;
    const id = /id\s+(tok_\S+)/.exec(created.stdout)![1]!;
    const listed = sinergi('token', 'list');
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('active');
    expect(listed.stdout).not.toContain(token);
    expect(sinergi('token', 'revoke', id).status).toBe(0);
    expect(sinergi('token', 'list').stdout).toContain('revoked');
    expect(sinergi('token', 'revoke', id).status).toBe(1);
    expect(sinergi('token', 'create', '--role', 'party').stderr).toContain('--party');
  });

  it('exports an agreement with its events and documents for an auditor', () => {
    const run = sinergi('agreements', 'export', 'cli-a');
    expect(run.status, run.stderr).toBe(0);
    const exported = JSON.parse(run.stdout);
    expect(exported.agreement.id).toBe('cli-a');
    expect(exported.events.map((e: { version: number }) => e.version)).toEqual(
      exported.events.map((_: unknown, i: number) => i + 1),
    );
    expect(exported.documents.map((d: { documentUrl: string }) => d.documentUrl)).toEqual([
      'https://docs.test/v1.pdf',
      'https://dokumen.test/cli-a.pdf',
    ]);
    expect(sinergi('agreements', 'export', 'nope').status).toBe(1);
  });

  it('creates, lists and disables operators, ending their sessions', async () => {
    const created = sinergi(
      'user',
      'create',
      '--email',
      'Kabag@Kanwil.test',
      '--role',
      'admin',
      '--name',
      'Kabag Kerja Sama',
    );
    expect(created.status, created.stderr).toBe(0);
    expect(sinergi('user', 'create', '--email', 'x@y.test', '--role', 'party').status).not.toBe(0);
    expect(sinergi('user', 'list').stdout).toContain('kabag@kanwil.test\tadmin\tKabag Kerja Sama\tactive');
    await t.db
      .insertInto('sessions')
      .values({
        id_hash: 'h',
        email: 'kabag@kanwil.test',
        expires_at: new Date(Date.now() + 3_600_000),
        ended_at: null,
      })
      .execute();
    const disabled = sinergi('user', 'disable', 'kabag@kanwil.test');
    expect(disabled.status, disabled.stderr).toBe(0);
    expect(sinergi('user', 'list').stdout).toContain('kabag@kanwil.test\tadmin\tKabag Kerja Sama\tdisabled');
    expect(
      (await t.db.selectFrom('sessions').select('ended_at').where('id_hash', '=', 'h').executeTakeFirstOrThrow())
        .ended_at,
    ).not.toBeNull();
  });
});
