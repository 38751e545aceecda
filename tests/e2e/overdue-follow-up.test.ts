// Over HTTP against the real stack: a follow-up already 10 working days late escalates at once, exactly once per level.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../domain/dates.js';
import { eventually, http, startStack, type Stack } from '../support/stack.js';
import { garutAgreement, lapasGarut, pemkabGarut } from '../support/scenario.js';
import { officialCalendar } from '../unit/official-calendar.js';

let stack: Stack;
let api: ReturnType<typeof http>;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  for (const party of [lapasGarut, pemkabGarut]) await api('POST', '/v1/parties', party);
});
afterAll(async () => stack?.stop());

async function escalationMails(agreementId: string) {
  const rows = await stack.database.db.selectFrom('notifications').select(['message_id', 'template']).where('agreement_id', '=', agreementId).execute();
  const ids = new Set(rows.filter((r) => r.template === 'follow_up_escalation').map((r) => r.message_id));
  const parsed = await Promise.all(stack.sink.received.map((m) => simpleParser(m.raw)));
  return parsed.filter((m) => m.messageId && ids.has(m.messageId));
}

describe('an overdue follow-up over HTTP', () => {
  it('sends its level-1 and level-2 escalations within seconds, once each', async () => {
    const id = 'garut-overdue';
    expect((await api('POST', '/v1/agreements', garutAgreement(id))).status).toBe(201);
    const due = officialCalendar().addWorkingDays(localDate(Date.now(), 'Asia/Jakarta'), -10);
    const created = await api('POST', `/v1/agreements/${id}/follow-ups`, { title: 'Menyiapkan langkah-langkah teknis', ownerPartyId: 'pemkab-garut', due });
    expect(created.status).toBe(200);
    const mails = await eventually('two escalation e-mails', async () => {
      const m = await escalationMails(id);
      return m.length >= 2 && m;
    }, 10_000);
    expect(mails.map((m) => m.subject?.match(/tingkat (\d)/)?.[1]).sort()).toEqual(['1', '2']);
    const level1 = mails.find((m) => m.subject?.includes('tingkat 1'))!;
    expect((Array.isArray(level1.to) ? level1.to : [level1.to!]).flatMap((a) => a.value.map((v) => v.address))).toEqual(['sekda@garutkab.test']);
    const level2 = mails.find((m) => m.subject?.includes('tingkat 2'))!;
    expect((Array.isArray(level2.to) ? level2.to : [level2.to!]).flatMap((a) => a.value.map((v) => v.address))).toEqual(['kalapas@lapasgarut.test']);

    // Nothing more follows: no stale reminder, no second copy.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await escalationMails(id)).toHaveLength(2);
    const templates = (await api('GET', `/v1/agreements/${id}/notifications`)).body.items.map((n: { template: string }) => n.template).sort();
    expect(templates).toEqual(['follow_up_assigned', 'follow_up_escalation', 'follow_up_escalation']);

    // The deadline lists answer from the projections.
    const overdue = await api('GET', '/v1/follow-ups?overdue=true');
    expect(overdue.body.items).toHaveLength(1);
    expect(overdue.body.items[0]).toMatchObject({ agreementId: id, ownerPartyId: 'pemkab-garut', due, escalationLevel: 2, overdue: true });
    expect(overdue.body.items[0].escalations.map((e: { level: number; sentAt?: string }) => [e.level, typeof e.sentAt])).toEqual([[1, 'string'], [2, 'string']]);
    expect((await api('GET', '/v1/follow-ups?overdue=true&partyId=pemkab-garut')).body.items).toHaveLength(1);
    expect((await api('GET', '/v1/follow-ups?overdue=true&partyId=bapas-ambon')).body.items).toHaveLength(0);
    expect((await api('GET', '/v1/agreements?overdue=true')).body.items.map((a: { id: string }) => a.id)).toEqual([id]);

    // Moving the due date into the future takes it off the overdue list; completing it closes it.
    const followUpId = overdue.body.items[0].id as string;
    const later = officialCalendar().addWorkingDays(localDate(Date.now(), 'Asia/Jakarta'), 15);
    const moved = await api('POST', `/v1/agreements/${id}/follow-ups/${followUpId}/reschedule`, { due: later });
    expect(moved.body.followUps[0]).toMatchObject({ due: later, escalationLevel: 0 });
    expect((await api('GET', '/v1/follow-ups?overdue=true')).body.items).toHaveLength(0);
    expect((await api('GET', '/v1/follow-ups')).body.items).toHaveLength(1);
    const done = await api('POST', `/v1/agreements/${id}/follow-ups/${followUpId}/complete`, { note: 'Selesai' });
    expect(done.body.followUps[0].status).toBe('done');
    expect((await api('POST', `/v1/agreements/${id}/follow-ups/${followUpId}/cancel`, {})).status).toBe(409);
    expect((await api('GET', '/v1/follow-ups')).body.items).toHaveLength(0);
  });
});
