// A retry is not a second command: the same Idempotency-Key, sent again or twice at once, records one set of events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveToActive, registerParty } from '../support/lifecycle.js';
import { http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

let stack: Stack;
let api: ReturnType<typeof http>;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-x', name: 'Lapas X', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-x', name: 'Pemkab X', kind: 'pemda' });
  await registerParty(api, { id: 'dinas-x', name: 'Dinas X', kind: 'opd', parentId: 'pemkab-x' });
});
afterAll(async () => stack?.stop());

const body = {
  title: 'Kesepakatan X',
  instrument: 'nota_kesepahaman',
  parties: [
    { partyId: 'lapas-x', role: 'initiator' },
    { partyId: 'pemkab-x', role: 'counterpart' },
  ],
  scope: ['x'],
};
const key = (k: string) => ({ 'idempotency-key': k });
const commandEvents = async (id: string) =>
  (await api('GET', `/v1/agreements/${id}/events`)).body.items
    .filter((e: { type: string }) => e.type !== 'NotificationSent')
    .map((e: { type: string }) => e.type);

describe('idempotency', () => {
  it('answers a retried create without an id with the same agreement', async () => {
    const first = await api('POST', '/v1/agreements', body, key('create-1'));
    const again = await api('POST', '/v1/agreements', body, key('create-1'));
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const [a, b] = await Promise.all([
      api('POST', '/v1/agreements', body, key('create-2')),
      api('POST', '/v1/agreements', body, key('create-2')),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    const all = (await api('GET', '/v1/agreements?q=Kesepakatan%20X&limit=50')).body.items.map(
      (x: { id: string }) => x.id,
    );
    expect(all.sort()).toEqual([first.body.id, a.body.id].sort());
    // Ids derived from a key live in a namespace of their own: nobody may choose one, not even a retry.
    expect(first.body.id).toMatch(/^idem-/);
    const chosen = await api('POST', '/v1/agreements', { ...body, id: first.body.id });
    expect([chosen.status, chosen.body.error.code]).toEqual([400, 'reserved_id']);
    expect((await api('POST', '/v1/agreements', { ...body, title: 'Lain' }, key('create-1'))).body.error.code).toBe(
      'idempotency_key_reused',
    );
  });

  it('answers a retried create with a chosen id after its first answer was lost', async () => {
    // The API process died after Temporal started the workflow and before the answer was stored: the retry, on
    // another process, finds its own agreement; another key is still refused.
    const first = await api('POST', '/v1/agreements', { ...body, id: 'jawaban-hilang' }, key('lost-1'));
    expect(first.status).toBe(201);
    await stack.database.db.deleteFrom('idempotency_keys').execute();
    const retry = await api('POST', '/v1/agreements', { ...body, id: 'jawaban-hilang' }, key('lost-1'));
    expect([retry.status, retry.body.id, retry.body.version]).toEqual([201, 'jawaban-hilang', first.body.version]);
    const other = await api('POST', '/v1/agreements', { ...body, id: 'jawaban-hilang' }, key('lost-2'));
    expect([other.status, other.body.error?.code]).toEqual([409, 'id_taken']);
    const unkeyed = await api('POST', '/v1/agreements', { ...body, id: 'jawaban-hilang' });
    expect([unkeyed.status, unkeyed.body.error?.code]).toEqual([409, 'id_taken']);

    // The same for a PKS started under an active umbrella.
    await driveToActive(api, 'jawaban-hilang', dates.today);
    const pks = { id: 'pks-hilang', partyId: 'dinas-x', title: 'PKS X', scope: [] };
    const child = await api('POST', '/v1/agreements/jawaban-hilang/operational-agreements', pks, key('lost-3'));
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    await stack.database.db.deleteFrom('idempotency_keys').execute();
    const again = await api('POST', '/v1/agreements/jawaban-hilang/operational-agreements', pks, key('lost-3'));
    expect([again.status, again.body.id]).toEqual([201, 'pks-hilang']);
    const another = await api('POST', '/v1/agreements/jawaban-hilang/operational-agreements', pks, key('lost-4'));
    expect([another.status, another.body.error?.code]).toEqual([409, 'id_taken']);
    expect(
      (await commandEvents('jawaban-hilang')).filter((t: string) => t === 'OperationalAgreementStarted'),
    ).toHaveLength(1);
    expect(await commandEvents('jawaban-hilang')).toContain('AgreementStarted');
  });

  it('runs every command once, whether retried or doubled', async () => {
    const id = (await api('POST', '/v1/agreements', { ...body, id: 'perintah-ganda' })).body.id as string;
    let n = 0;
    /** Sends a command twice in a row, then twice at once, each pair with one key; both answers must match. */
    const twice = async (path: string, payload: unknown) => {
      const k = `k-${++n}`;
      const [x, y] = [
        await api('POST', `/v1/agreements/${id}${path}`, payload, key(k)),
        await api('POST', `/v1/agreements/${id}${path}`, payload, key(k)),
      ];
      expect(x.status, JSON.stringify(x.body)).toBe(200);
      expect(y.status).toBe(200);
      expect(y.body.version).toBe(x.body.version);
      return x.body;
    };
    const together = async (path: string, payload: unknown) => {
      const k = `k-${++n}`;
      const [x, y] = await Promise.all([
        api('POST', `/v1/agreements/${id}${path}`, payload, key(k)),
        api('POST', `/v1/agreements/${id}${path}`, payload, key(k)),
      ]);
      expect([x.status, y.status], JSON.stringify([x.body, y.body])).toEqual([200, 200]);
      return x.body;
    };
    const ahead = dates.workingDays(10);
    const meeting = await twice('/meetings', { kind: 'audiensi', at: dates.at(dates.workingDays(-3)), venue: 'Aula' });
    await together('/meetings', { kind: 'coordination', at: dates.at(ahead), venue: 'Aula' });
    await twice(`/meetings/${meeting.meetings[0].id}/minutes`, {
      attendees: [{ name: 'A', position: 'B', partyId: 'lapas-x' }],
      summary: 'S',
      outcome: 'proceed_to_drafting',
    });
    const fu = await together('/follow-ups', { title: 'T', ownerPartyId: 'pemkab-x', due: dates.workingDays(25) });
    await twice(`/follow-ups/${fu.followUps[0].id}/reschedule`, { due: dates.workingDays(30) });
    await together(`/follow-ups/${fu.followUps[0].id}/complete`, { note: 'ok' });
    await twice('/drafts', { documentUrl: 'https://dokumen.test/x1.pdf' });
    await together('/drafts', { documentUrl: 'https://dokumen.test/x2.pdf' });
    await twice('/drafts/2/reviews', { partyId: 'lapas-x', decision: 'approve' });
    await together('/drafts/2/reviews', { partyId: 'pemkab-x', decision: 'approve' });
    const signatories = [{ partyId: 'lapas-x', name: 'K', position: 'Kalapas' }];
    await twice('/signing', { at: dates.at(dates.workingDays(-2), '10:00'), venue: 'Aula', signatories });
    await together('/signing', { at: dates.at(dates.workingDays(-1), '10:00'), venue: 'Aula', signatories });
    await together('/signing/record', {
      signedAt: dates.workingDays(-1),
      documentNumbers: { 'lapas-x': '1', 'pemkab-x': '2' },
    });
    await twice('/reports', { period: 'I', summary: 'S' });
    await together('/renewal', { decision: 'end' });
    await twice('/cancel', { reason: 'Selesai' });

    expect(await commandEvents(id)).toEqual([
      'AgreementStarted',
      'MeetingScheduled',
      'MeetingScheduled',
      'MinutesRecorded',
      'StageChanged',
      'FollowUpOpened',
      'FollowUpRescheduled',
      'FollowUpCompleted',
      'DraftSubmitted',
      'DraftSubmitted',
      'DraftReviewed',
      'DraftReviewed',
      'StageChanged',
      'SigningScheduled',
      'SigningRescheduled',
      'SigningRecorded',
      'StageChanged',
      'ReportRecorded',
      'RenewalDecided',
      'AgreementEnded',
      // The coordination meeting ten working days ahead never took place: ending the agreement called it off, once.
      'MeetingCancelled',
    ]);
  });
});
