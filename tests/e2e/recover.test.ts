// Agreements survive losing Temporal's database: a stack runs agreements and stops, Temporal's in-memory store
// gone with it; a second stack on a new, empty Temporal and the same Sinergi database runs `recover` (the
// function behind `sinergi recover`). Each agreement not ended runs again from its events: it answers its next
// command, an e-mail recorded and not yet sent goes out once, and nothing already sent goes out again.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { recoverAgreements } from '../../services/recover.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { registerParty } from '../support/lifecycle.js';
import { eventually, http, quietLog, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

let database: TestDatabase;
let first: Stack | undefined;
let second: Stack | undefined;
afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await database?.drop();
});

/** No e-mail waits in the outbox. */
const outboxEmpty = async () =>
  (await database.db.selectFrom('notifications').select('id').where('status', '=', 'pending').execute()).length === 0;

const parties = [
  { partyId: 'lapas-pulih', role: 'initiator' },
  { partyId: 'pemkab-pulih', role: 'counterpart' },
];

describe('sinergi recover', () => {
  it('starts every agreement not ended again from its events on a Temporal that lost them', async () => {
    database = await createTestDatabase('recover');
    first = await startStack({ database });
    const api1 = http(first.baseUrl);
    await registerParty(api1, { id: 'lapas-pulih', name: 'Lapas Pulih', kind: 'upt' });
    await registerParty(api1, { id: 'pemkab-pulih', name: 'Pemkab Pulih', kind: 'pemda' });
    for (const id of ['pulih', 'pulih-batal']) {
      const made = await api1('POST', '/v1/agreements', {
        id,
        title: `Kesepakatan ${id}`,
        instrument: 'nota_kesepahaman',
        parties,
        scope: ['Pelatihan'],
      });
      expect(made.status).toBe(201);
    }
    const meeting = { kind: 'audiensi', at: dates.at(dates.workingDays(5)), venue: 'Setda' };
    expect((await api1('POST', '/v1/agreements/pulih/meetings', meeting)).status).toBe(200);
    expect((await api1('POST', '/v1/agreements/pulih-batal/cancel', { reason: 'Tidak berlanjut' })).status).toBe(200);
    await eventually('the invitation sent', async () =>
      first!.sink.received.some((m) => m.raw.toString().includes('Kesepakatan pulih')),
    );
    await eventually('every e-mail sent', outboxEmpty);
    // An e-mail recorded in the outbox when Temporal was lost, not yet sent.
    const unsent = randomUUID();
    await database.db
      .insertInto('notifications')
      .values({
        id: unsent,
        agreement_id: 'pulih',
        template: 'follow_up_reminder',
        to_addresses: ['penghubung@pemkab-pulih.test'],
        cc_addresses: [],
        subject: 'Tertunda saat Temporal hilang',
        text_body: 'Pesan yang belum terkirim.',
        html_body: '<p>Pesan yang belum terkirim.</p>',
        ics: null,
        message_id: `<${unsent}@pulih.test>`,
        status: 'pending',
        copies: null,
      })
      .execute();
    const before = (await api1('GET', '/v1/agreements/pulih/events')).body.items.length as number;
    await first.stop();
    first = undefined;

    // A new, empty Temporal: the agreement's workflow is gone; Sinergi's database is the same.
    second = await startStack({ database });
    const api2 = http(second.baseUrl);
    const recovered = await recoverAgreements(database.db, second.env.client, quietLog);
    expect(recovered).toEqual([{ agreementId: 'pulih', outcome: 'started', mailQueued: 1 }]);
    // Running it again does nothing.
    expect(await recoverAgreements(database.db, second.env.client, quietLog)).toEqual([
      { agreementId: 'pulih', outcome: 'running', mailQueued: 0 },
    ]);

    // The e-mail recorded and not sent goes out once, and is recorded as sent in the agreement's events.
    await eventually('the held e-mail sent', async () =>
      second!.sink.received.some((m) => m.raw.toString().includes('Tertunda saat Temporal hilang')),
    );
    await eventually('its receipt recorded', async () => {
      const items = (await api2('GET', '/v1/agreements/pulih/events')).body.items as { type: string; data: object }[];
      return items.some((e) => e.type === 'NotificationSent' && JSON.stringify(e.data).includes(unsent));
    });

    // The agreement answers its next command, its history continuing where it was.
    const moved = await api2('POST', '/v1/agreements/pulih/meetings', {
      kind: 'coordination',
      at: dates.at(dates.workingDays(7)),
      venue: 'Lapas Pulih',
    });
    expect(moved.status).toBe(200);
    const events = (await api2('GET', '/v1/agreements/pulih/events')).body.items as { version: number }[];
    expect(events.length).toBeGreaterThan(before);
    expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));

    // Nothing already sent went out again: the new stack sent the held e-mail and the new invitation only.
    await eventually('the new invitation sent', async () => second!.sink.received.length >= 2);
    const subjects = second.sink.received.map((m) => /^Subject: (.*)$/m.exec(m.raw.toString())?.[1] ?? '');
    expect(subjects.filter((s) => s.includes('Tertunda'))).toHaveLength(1);
    expect(second.sink.received).toHaveLength(2);
  });

  it("replaces a workflow that holds another version than the events (Sinergi's database from an older dump)", async () => {
    const api2 = http(second!.baseUrl);
    const moved = await api2('POST', '/v1/agreements/pulih/meetings', {
      kind: 'coordination',
      at: dates.at(dates.workingDays(9)),
      venue: 'Setda',
    });
    expect(moved.status).toBe(200);
    await eventually('its invitation sent and recorded', outboxEmpty);
    const version = (await api2('GET', '/v1/agreements/pulih')).body.version as number;
    // The dump was taken before that meeting: its event and what followed it are not in the restored database.
    const meetingAt = await database.db
      .selectFrom('events')
      .select('version')
      .where('stream_id', '=', 'pulih')
      .where('type', '=', 'MeetingScheduled')
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    await database.db
      .deleteFrom('events')
      .where('stream_id', '=', 'pulih')
      .where('version', '>=', meetingAt.version)
      .execute();
    await database.db
      .updateTable('streams')
      .set({ version: meetingAt.version - 1 })
      .where('stream_id', '=', 'pulih')
      .execute();
    const [replaced] = await recoverAgreements(database.db, second!.env.client, quietLog);
    expect(replaced).toMatchObject({
      agreementId: 'pulih',
      outcome: 'replaced',
      staleVersion: { workflow: version, events: meetingAt.version - 1 },
    });
    // It goes on from the events: the next event takes the version after the restored ones.
    const again = await api2('POST', '/v1/agreements/pulih/meetings', {
      kind: 'coordination',
      at: dates.at(dates.workingDays(10)),
      venue: 'Setda',
    });
    expect(again.status).toBe(200);
    const events = (await api2('GET', '/v1/agreements/pulih/events')).body.items as { version: number }[];
    expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
    expect((await recoverAgreements(database.db, second!.env.client, quietLog))[0]?.outcome).toBe('running');
  });
});
