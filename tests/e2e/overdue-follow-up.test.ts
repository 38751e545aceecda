// Over HTTP against the real stack: a follow-up written down 10 working days late escalates to level 1 at once, once.
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
  const rows = await stack.database.db
    .selectFrom('notifications')
    .select(['message_id', 'template'])
    .where('agreement_id', '=', agreementId)
    .execute();
  const ids = new Set(rows.filter((r) => r.template === 'follow_up_escalation').map((r) => r.message_id));
  const parsed = await Promise.all(stack.sink.received.map((m) => simpleParser(m.raw)));
  return parsed.filter((m) => m.messageId && ids.has(m.messageId));
}

describe('an overdue follow-up over HTTP', () => {
  it('refuses a past due date unless marked late; a late one escalates to level 1 at once, and level 2 only after its interval', async () => {
    const id = 'garut-overdue';
    expect((await api('POST', '/v1/agreements', garutAgreement(id))).status).toBe(201);
    const today = localDate(Date.now(), 'Asia/Jakarta');
    const due = officialCalendar().addWorkingDays(today, -10);
    const item = { title: 'Menyiapkan langkah-langkah teknis', ownerPartyId: 'pemkab-garut', due };
    const refused = await api('POST', `/v1/agreements/${id}/follow-ups`, item);
    expect([refused.status, refused.body.error.code, refused.body.error.field]).toEqual([400, 'due_in_past', 'due']);
    const created = await api('POST', `/v1/agreements/${id}/follow-ups`, { ...item, late: true });
    expect(created.status).toBe(200);
    // Level 2 waits level2AfterDays working days after today's level 1, not the same second.
    const level2On = officialCalendar().addWorkingDays(today, 5);
    expect(created.body.followUps[0].escalations).toEqual([
      { level: 1, on: officialCalendar().nextWorkingDayAfter(due) },
      { level: 2, on: level2On },
    ]);
    const mails = await eventually(
      'the level-1 escalation e-mail',
      async () => {
        const m = await escalationMails(id);
        return m.length >= 1 && m;
      },
      10_000,
    );
    expect(mails.map((m) => m.subject?.match(/tingkat (\d)/)?.[1])).toEqual(['1']);
    const level1 = mails[0]!;
    expect((Array.isArray(level1.to) ? level1.to : [level1.to!]).flatMap((a) => a.value.map((v) => v.address))).toEqual(
      ['sekda@garutkab.test'],
    );

    // Nothing more follows: no level 2 yet, no stale reminder, no second copy.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await escalationMails(id)).toHaveLength(1);
    const templates = (await api('GET', `/v1/agreements/${id}/notifications`)).body.items
      .map((n: { template: string }) => n.template)
      .sort();
    expect(templates).toEqual(['follow_up_assigned', 'follow_up_escalation']);

    // The deadline lists answer from the projections.
    const overdue = await api('GET', '/v1/follow-ups?overdue=true');
    expect(overdue.body.items).toHaveLength(1);
    expect(overdue.body.items[0]).toMatchObject({
      agreementId: id,
      ownerPartyId: 'pemkab-garut',
      due,
      escalationLevel: 1,
      overdue: true,
    });
    expect(
      overdue.body.items[0].escalations.map((e: { level: number; sentAt?: string }) => [e.level, typeof e.sentAt]),
    ).toEqual([
      [1, 'string'],
      [2, 'undefined'],
    ]);
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
