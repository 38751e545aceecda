// Given these facts, when this one is applied, then the agreement's state is this. evolve is pure.
import { describe, expect, it } from 'vitest';
import type { DomainEvent, FollowUpOpened, RecordedEvent } from '../../domain/events.js';
import { evolve, evolveAll, fold, initialState } from '../../domain/evolve.js';
import type { AgreementState } from '../../domain/types.js';
import { toView } from '../../domain/view.js';
import {
  approve,
  audiensiScheduled,
  draft1,
  draft2,
  inDrafting,
  inSigning,
  minutesProceed,
  signingScheduled,
  started,
} from './fixtures.js';
import { NOW, record } from './given-when-then.js';

const LATER = '2026-03-01T01:00:00.000Z';

/** Folds the history, then applies one more fact, recorded at LATER. */
function given(...history: DomainEvent[]) {
  const before = fold('a1', record(history));
  return {
    before,
    when: (fact: DomainEvent): AgreementState => {
      const recorded: RecordedEvent = {
        ...fact,
        id: 'next',
        meta: { actor: { kind: 'token', id: 't' }, occurredAt: LATER },
      };
      return evolve(before, recorded);
    },
  };
}

const followUp = (id: string, due = '2026-03-02'): FollowUpOpened => ({
  type: 'FollowUpOpened',
  data: {
    followUpId: id,
    title: `Tindak lanjut ${id}`,
    kind: 'follow_up',
    ownerPartyId: 'pemkab-garut',
    due,
    remindOn: '2026-02-26',
    overdueOn: '2026-03-03',
    level2On: '2026-03-10',
  },
});

describe('evolve', () => {
  it('starts an agreement in exploration, at version 1, created when the fact was recorded', () => {
    const state = given().when(started);
    expect(state).toMatchObject({ id: 'a1', stage: 'exploration', version: 1, createdAt: LATER, updatedAt: LATER });
    expect(state.stageHistory).toEqual([{ stage: 'exploration', at: LATER }]);
  });

  it('adds the scope agreed in minutes once, keeping what was there', () => {
    const withScope: DomainEvent = {
      ...minutesProceed,
      data: { ...minutesProceed.data, agreedScope: ['pelatihan keterampilan', 'layanan kesehatan'] },
    };
    const { before, when } = given(started, audiensiScheduled);
    const state = when(withScope);
    expect(before.scope).toEqual(['pelatihan keterampilan']);
    expect(state.scope).toEqual(['pelatihan keterampilan', 'layanan kesehatan']);
    expect(state.meetings[0]!.minutes).toMatchObject({ summary: 'Sepakat', recordedAt: LATER });
  });

  it('opens a follow-up with both escalation levels planned and none fired', () => {
    const [f] = given(started).when(followUp('f1')).followUps;
    expect(f).toMatchObject({ id: 'f1', status: 'open', escalationLevel: 0, openedAt: LATER });
    expect(f!.escalations).toEqual([
      { level: 1, on: '2026-03-03' },
      { level: 2, on: '2026-03-10' },
    ]);
  });

  it('keeps the highest escalation level, and marks only the level that fired', () => {
    const level2: DomainEvent = { type: 'FollowUpEscalated', data: { followUpId: 'f1', level: 2 } };
    const level1: DomainEvent = { type: 'FollowUpEscalated', data: { followUpId: 'f1', level: 1 } };
    const [f] = given(started, followUp('f1'), level2).when(level1).followUps;
    expect(f!.escalationLevel).toBe(2);
    expect(f!.escalations.map((e) => [e.level, e.firedAt])).toEqual([
      [1, LATER],
      [2, NOW],
    ]);
  });

  it('starts reminders and escalations afresh when a follow-up is given a new due date', () => {
    const reminded: DomainEvent = { type: 'FollowUpReminderDue', data: { followUpId: 'f1' } };
    const escalated: DomainEvent = { type: 'FollowUpEscalated', data: { followUpId: 'f1', level: 1 } };
    const moved: DomainEvent = {
      type: 'FollowUpRescheduled',
      data: {
        followUpId: 'f1',
        due: '2026-04-01',
        previousDue: '2026-03-02',
        remindOn: '2026-03-30',
        overdueOn: '2026-04-02',
        level2On: '2026-04-09',
      },
    };
    const [f] = given(started, followUp('f1'), reminded, escalated).when(moved).followUps;
    expect(f).toMatchObject({ due: '2026-04-01', remindOn: '2026-03-30', escalationLevel: 0 });
    expect(f!.remindedAt).toBeUndefined();
    expect(f!.escalations).toEqual([
      { level: 1, on: '2026-04-02' },
      { level: 2, on: '2026-04-09' },
    ]);
  });

  it('records a review against its own draft version only', () => {
    const state = given(...inDrafting, draft1, draft2).when(approve(1, 'pemkab-garut'));
    expect(state.drafts.map((d) => d.reviews.map((r) => r.partyId))).toEqual([['pemkab-garut'], []]);
  });

  it('forgets the reminders of a ceremony that moves, and counts the moves', () => {
    const reminder: DomainEvent = {
      type: 'SigningReminderDue',
      data: { daysBefore: 7, ceremonyAt: signingScheduled.data.at },
    };
    const moved: DomainEvent = {
      type: 'SigningRescheduled',
      data: { ...signingScheduled.data, at: '2026-05-04T10:00:00+07:00', previousAt: 'x', sequence: 1 },
    };
    const { before, when } = given(...inSigning, signingScheduled, reminder);
    expect(before.signing!.remindersSent).toEqual([7]);
    const state = when(moved);
    expect(state.signing).toMatchObject({ at: '2026-05-04T10:00:00+07:00', rescheduled: 1, scheduledAt: LATER });
    expect(state.signing!.remindersSent).toBeUndefined();
  });

  it('cancels the open follow-ups of an agreement that ends, and keeps the finished ones', () => {
    const done: DomainEvent = { type: 'FollowUpCompleted', data: { followUpId: 'f1', note: 'sudah' } };
    const ended: DomainEvent = { type: 'AgreementEnded', data: { reason: 'withdrawn', note: 'mundur' } };
    const state = given(started, followUp('f1'), followUp('f2'), done).when(ended);
    expect(state).toMatchObject({ stage: 'ended', endReason: 'withdrawn', endNote: 'mundur' });
    expect(state.followUps.map((f) => [f.id, f.status, f.closedAt])).toEqual([
      ['f1', 'done', NOW],
      ['f2', 'cancelled', LATER],
    ]);
  });

  it('marks an escalation as sent when its e-mail goes, and nothing else for other e-mails', () => {
    const sent = (extra: object): DomainEvent => ({
      type: 'NotificationSent',
      data: {
        notificationId: 'n1',
        template: 'follow_up_escalation',
        to: ['x@y.test'],
        messageId: '<n1@test>',
        sentAt: LATER,
        ...extra,
      },
    });
    const { before, when } = given(started, followUp('f1'));
    expect(when(sent({ followUpId: 'f1', level: 1 })).followUps[0]!.escalations[0]!.sentAt).toBe(LATER);
    const other = when(sent({}));
    expect({ ...other, version: before.version, updatedAt: before.updatedAt }).toEqual(before);
  });

  it('counts every fact in the version, so it equals the stream version', () => {
    const state = given(...inSigning).when(signingScheduled);
    expect(state.version).toBe(inSigning.length + 1);
  });

  it("shows the state without the engine's bookkeeping, and the same after a JSON round trip", () => {
    const view = toView(given(...inSigning).when(signingScheduled));
    expect(Object.keys(view)).not.toContain('monev');
    expect(Object.keys(view)).not.toContain('renewalRemindersSent');
    expect(view.children).toEqual([]);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});

describe('evolveAll', () => {
  // Follow-ups opened in a row, with facts between them that copy the list, touch one follow-up, or leave it be.
  const history = record([
    ...inSigning,
    ...Array.from({ length: 40 }, (_, i): DomainEvent[] => [
      followUp(`f${i}`),
      ...(i % 5 === 1 ? [{ type: 'FollowUpCompleted', data: { followUpId: `f${i - 1}` } } as DomainEvent] : []),
      ...(i % 7 === 3 ? [{ type: 'FollowUpEscalated', data: { followUpId: `f${i}`, level: 1 } } as DomainEvent] : []),
      ...(i % 9 === 4 ? [signingScheduled] : []),
    ]).flat(),
  ]);

  it('gives the state that folding the events one by one gives', () => {
    expect(evolveAll(initialState('a1'), history)).toEqual(history.reduce(evolve, initialState('a1')));
    expect(fold('a1', history)).toEqual(history.reduce(evolve, initialState('a1')));
  });

  it('gives it from any point, run by run, and never changes the state it starts from', () => {
    for (const cut of [1, 5, 17, 30, history.length - 1]) {
      const before = history.slice(0, cut).reduce(evolve, initialState('a1'));
      const kept = structuredClone(before);
      const after = evolveAll(before, history.slice(cut));
      expect(after).toEqual(history.reduce(evolve, initialState('a1')));
      expect(before).toEqual(kept);
      // Folding on from the result again leaves that result as it was, too.
      const again = structuredClone(after);
      evolveAll(after, record([followUp('f-more')]));
      expect(after).toEqual(again);
    }
  });
});
