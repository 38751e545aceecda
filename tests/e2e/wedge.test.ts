// No input can wedge an agreement: bad characters are refused at every door, an append the database refuses for good
// refuses the command (the next one goes through), a stuck append shows in the metrics and logs and an operator can
// release it, and an unknown method on a known path is a 405.
import { formTokenFor } from '../../api/web/csrf.js';
import { adminSession } from '../support/people.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLink } from '../../infra/links.js';
import { commandUpdates, workflowIdFor } from '../../workflows/messages.js';
import { registerParty } from '../support/lifecycle.js';
import { ADMIN_TOKEN, LINK_SECRET, eventually, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

const execFileAsync = promisify(execFile);
const logLines: Record<string, unknown>[] = [];
const captured = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }),
);

let stack: Stack;
let api: ReturnType<typeof http>;
let meetingId: string;
let followUpId: string;
const ID = 'macet';
beforeAll(async () => {
  stack = await startStack({ stuckAfterAttempts: 3, log: captured });
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-w', name: 'Lapas W', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-w', name: 'Pemkab W', kind: 'pemda' });
  const parties = [
    { partyId: 'lapas-w', role: 'initiator' },
    { partyId: 'pemkab-w', role: 'counterpart' },
  ];
  expect(
    (
      await api('POST', '/v1/agreements', {
        id: ID,
        title: 'Kesepakatan W',
        instrument: 'nota_kesepahaman',
        parties,
        scope: [],
      })
    ).status,
  ).toBe(201);
  meetingId = (
    await api('POST', `/v1/agreements/${ID}/meetings`, {
      kind: 'audiensi',
      at: dates.at(dates.workingDays(-3)),
      venue: 'Aula',
    })
  ).body.meetings[0].id;
  const fu = await api('POST', `/v1/agreements/${ID}/follow-ups`, {
    title: 'Kirim data',
    ownerPartyId: 'pemkab-w',
    due: dates.workingDays(15),
  });
  followUpId = fu.body.followUps[0].id;
});
afterAll(async () => stack?.stop());

const commandEvents = async () =>
  Number(
    (
      await sql<{
        n: string;
      }>`select count(*) as n from events where stream_id = ${ID} and type <> 'NotificationSent'`.execute(
        stack.database.db,
      )
    ).rows[0]!.n,
  );
/** No event, no view and no e-mail of the refused command (e-mail receipts of earlier ones may still arrive). */
async function expectNothingStored(commandEventsBefore: number, title: string) {
  expect(await commandEvents()).toBe(commandEventsBefore);
  const view = (
    await stack.database.db.selectFrom('agreements').select('view').where('id', '=', ID).executeTakeFirstOrThrow()
  ).view;
  expect(JSON.stringify(view)).not.toContain(title);
  expect(
    (
      await sql<{ n: string }>`select count(*) as n from notifications where text_body like ${`%${title}%`}`.execute(
        stack.database.db,
      )
    ).rows[0]!.n,
  ).toBe('0');
}
const stuckGauge = async () => {
  const values = (await stack.registry.getSingleMetric('sinergi_activities_stuck')!.get()).values;
  return values.find((v) => v.labels.activity === 'appendEvents')?.value ?? 0;
};

async function form(path: string, body: string, cookie?: string) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  });
  return { status: res.status, text: await res.text() };
}

describe('bad characters are refused at every door', () => {
  const BAD = { NUL: 'a\u0000b', 'unpaired surrogate': 'a\ud800b', 'control character': 'a\u001bb' };
  for (const [label, bad] of Object.entries(BAD)) {
    it(`refuses ${label} in each kind of field, naming it, and records nothing`, async () => {
      const before = await commandEvents();
      const cases: [string, string, unknown, string][] = [
        [
          'POST',
          `/v1/agreements/${ID}/follow-ups`,
          { title: bad, ownerPartyId: 'pemkab-w', due: dates.workingDays(15) },
          'title',
        ],
        [
          'POST',
          `/v1/agreements/${ID}/meetings/${meetingId}/minutes`,
          { attendees: [{ name: bad, position: 'Kasi', partyId: 'lapas-w' }], summary: 'Rapat' },
          'attendees[0].name',
        ],
        [
          'POST',
          `/v1/agreements/${ID}/meetings/${meetingId}/minutes`,
          { attendees: [{ name: 'A', position: 'Kasi', partyId: 'lapas-w' }], summary: `baris\n${bad}` },
          'summary',
        ],
        ['POST', '/v1/parties', { name: bad, kind: 'opd', contacts: [] }, 'name'],
        ['POST', `/v1/agreements/${ID}/reports`, { period: bad, summary: 's' }, 'period'],
      ];
      // A URL cannot carry an unpaired surrogate: its bytes are not UTF-8, and the path is refused as a whole.
      if (label === 'unpaired surrogate') cases.push(['GET', '/v1/agreements/a%ED%A0%80b', undefined, 'path']);
      else
        cases.push(
          ['GET', `/v1/agreements?q=${encodeURIComponent(bad)}`, undefined, 'q'],
          ['GET', `/v1/agreements/${encodeURIComponent(bad)}`, undefined, 'id'],
        );
      for (const [method, path, body, field] of cases) {
        const res = await api(method, path, body);
        expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.field, JSON.stringify(res.body)).toBe(field);
      }
      expect(await commandEvents()).toBe(before);
    });
  }

  it('refuses a NUL or control character in a dashboard form and on an e-mail link page, naming the field', async () => {
    const before = await commandEvents();
    const session = await adminSession(stack.database.db);
    const cookie = `sinergi_sesi=${session}`;
    const csrf = formTokenFor(session); // what every form of this session carries
    for (const bad of ['%00', '%1B']) {
      const dashboard = await form(
        `/kesepakatan/${ID}/aksi/follow-up`,
        `title=a${bad}b&ownerPartyId=pemkab-w&due=${dates.workingDays(15)}&kind=follow_up&csrf=${csrf}`,
        cookie,
      );
      expect(dashboard.status).toBe(400);
      // The field by its label, in Indonesian (refused by the form's own schema, before the page is read).
      expect(dashboard.text).toContain('Judul: berisi karakter yang tidak diizinkan');
      const link = signLink(LINK_SECRET, {
        a: ID,
        p: 'pemkab-w',
        act: 'complete',
        f: followUpId,
        e: 'penghubung@pemkab-w.test',
        exp: Date.now() / 1000 + 3600,
      });
      const page = await form(`/tautan/${link}`, `note=selesai${bad}`);
      expect(page.status).toBe(400);
      expect(page.text).toContain('Catatan: berisi karakter yang tidak diizinkan');
    }
    // Percent-decoding cannot make an unpaired surrogate: its bytes become U+FFFD, which is harmless text.
    const replaced = await form(
      `/kesepakatan/${ID}/aksi/follow-up`,
      `title=a%ED%A0%80b&ownerPartyId=pemkab-w&due=${dates.workingDays(15)}&kind=follow_up&csrf=${csrf}`,
      cookie,
    );
    expect(replaced.status).toBe(303);
    expect((await api('GET', `/v1/agreements/${ID}`)).body.followUps.at(-1).title).toBe('a\ufffd\ufffd\ufffdb');
    expect(await commandEvents()).toBe(before + 1);
  });
});

describe('no poison pill', () => {
  it('refuses a command whose append the database refuses for good; the next command on the agreement succeeds', async () => {
    // A test-only trigger stands for any data the database will never take (class 22: data exception).
    await sql`create function refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.data::text like '%RACUN%' then raise exception 'racun' using errcode = '22023'; end if;
        return new;
      end $$`.execute(stack.database.db);
    await sql`create trigger refuse_poison before insert on events for each row execute function refuse_poison()`.execute(
      stack.database.db,
    );
    try {
      const events = await commandEvents();
      const refused = await api('POST', `/v1/agreements/${ID}/follow-ups`, {
        title: 'RACUN',
        ownerPartyId: 'pemkab-w',
        due: dates.workingDays(15),
      });
      expect(refused.status, JSON.stringify(refused.body)).toBe(409);
      expect(refused.body.error.code).toBe('data_rejected');
      expect(refused.body.error.message).toContain('tidak ada yang tersimpan');
      await expectNothingStored(events, 'RACUN');
      const next = await api('POST', `/v1/agreements/${ID}/follow-ups`, {
        title: 'Aman',
        ownerPartyId: 'pemkab-w',
        due: dates.workingDays(15),
      });
      expect(next.status, JSON.stringify(next.body)).toBe(200);
      expect(next.body.followUps.map((f: { title: string }) => f.title)).toContain('Aman');
      expect(
        logLines.some(
          (l) =>
            l.msg === 'append refused by the database; not retried' && l.agreementId === ID && l.sqlState === '22023',
        ),
      ).toBe(true);
    } finally {
      await sql`drop trigger refuse_poison on events`.execute(stack.database.db);
    }
  });

  it('counts the agreement as stuck while its database is down, and no longer once it is back', async () => {
    const name = new URL(stack.database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: stack.database.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    try {
      expect(await stuckGauge()).toBe(0);
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      const handle = stack.env.client.workflow.getHandle(workflowIdFor(ID));
      const command = {
        type: 'openFollowUp' as const,
        title: 'Saat basis data mati',
        ownerPartyId: 'pemkab-w',
        due: dates.workingDays(15),
      };
      const pending = handle.executeUpdate(commandUpdates.openFollowUp, {
        args: [{ command, actor: { kind: 'token', id: 'uji' } }],
      });
      await eventually('the stuck gauge rises', async () => (await stuckGauge()) === 1, 30_000);
      const warning = logLines.find((l) => l.msg === 'activity still failing after many attempts; the agreement waits');
      expect(warning).toMatchObject({ agreementId: ID, activity: 'appendEvents' });
      await admin.query(`alter database ${name} allow_connections true`);
      const view = await pending;
      expect(view.followUps.map((f) => f.title)).toContain('Saat basis data mati');
      expect(await stuckGauge()).toBe(0);
    } finally {
      await admin.query(`alter database ${name} allow_connections true`);
      await admin.end();
    }
  });

  it('lets an operator release a command stuck on an error time does not fix: refused, nothing stored, the agreement goes on', async () => {
    await releaseStuckCommand('MACET', { duringAttempt: false });
  });

  it('refuses a command released while an attempt is under way, once that attempt has failed', async () => {
    // The release waits for the attempt in flight: its failure carries the database's error, not a cancellation.
    await releaseStuckCommand('MACET_LAMBAT', { duringAttempt: true });
  });
});

/** Holds a command on an append the database keeps refusing, releases it with the CLI, and checks the refusal. */
async function releaseStuckCommand(title: string, { duringAttempt }: { duringAttempt: boolean }) {
  // P0001 (raised by a trigger) is not a permanent class: the append is retried without limit. Once `slow_attempts`
  // holds a row, every attempt sleeps first, so the release lands while one is under way.
  await sql`create table slow_attempts (on_ boolean)`.execute(stack.database.db);
  await sql`create function refuse_stuck() returns trigger language plpgsql as $$
    begin
      if new.data::text like ${sql.lit(`%${title}%`)} then
        if exists (select 1 from slow_attempts) then perform pg_sleep(10); end if;
        raise exception 'macet';
      end if;
      return new;
    end $$`.execute(stack.database.db);
  await sql`create trigger refuse_stuck before insert on events for each row execute function refuse_stuck()`.execute(
    stack.database.db,
  );
  try {
    const events = await commandEvents();
    const stuck = api('POST', `/v1/agreements/${ID}/follow-ups`, {
      title,
      ownerPartyId: 'pemkab-w',
      due: dates.workingDays(15),
    });
    await eventually('the stuck gauge rises', async () => (await stuckGauge()) === 1, 30_000);
    if (duringAttempt) {
      await sql`insert into slow_attempts values (true)`.execute(stack.database.db);
      await eventually('an attempt sleeps in the trigger', sleepingAttempt, 60_000);
    }
    // Not spawnSync: the worker runs in this process and must go on while the CLI waits for it.
    const release = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', 'agreements', 'release', ID],
      {
        cwd: new URL('../../', import.meta.url),
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: stack.env.address,
          TEMPORAL_NAMESPACE: stack.env.namespace ?? 'default',
        },
      },
    );
    expect(release.stdout).toMatch(/waiting on appendEvents, attempt \d+: macet/);
    expect(release.stdout).toContain(`released ${ID}`);
    const refused = await stuck;
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.error.code).toBe('released');
    await expectNothingStored(events, title);
    const next = await api('POST', `/v1/agreements/${ID}/follow-ups`, {
      title: duringAttempt ? 'Sesudah dilepas di tengah percobaan' : 'Sesudah dilepas',
      ownerPartyId: 'pemkab-w',
      due: dates.workingDays(15),
    });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
  } finally {
    await sql`drop trigger refuse_stuck on events`.execute(stack.database.db);
    await sql`drop function refuse_stuck`.execute(stack.database.db);
    await sql`drop table slow_attempts`.execute(stack.database.db);
  }
}

async function sleepingAttempt(): Promise<boolean> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
    where wait_event = 'PgSleep' and query ilike '%insert into%events%'`.execute(stack.database.db);
  return Number(rows[0]?.n) > 0;
}

describe('the contract', () => {
  it('answers an unknown method on a known path with 405 and Allow', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/agreements/${ID}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await api('DELETE', '/v1/nowhere')).status).toBe(404);
  });

  it('pages the audit trail', async () => {
    const first = await api('GET', `/v1/agreements/${ID}/events?limit=2`);
    expect(first.body.items.map((e: { version: number }) => e.version)).toEqual([1, 2]);
    expect(first.body.nextAfter).toBe(2);
    const rest = await api('GET', `/v1/agreements/${ID}/events?after=2&limit=1000`);
    expect(rest.body.items[0].version).toBe(3);
    expect(rest.body.nextAfter).toBeNull();
  });

  it('lists summaries, not whole agreements', async () => {
    const item = (await api('GET', '/v1/agreements')).body.items.find((a: { id: string }) => a.id === ID);
    expect(item).toMatchObject({
      id: ID,
      stage: 'exploration',
      followUpsOpen: expect.any(Number),
      followUpsOverdue: 0,
    });
    expect(item.meetings).toBeUndefined();
    expect(item.followUps).toBeUndefined();
  });
});
