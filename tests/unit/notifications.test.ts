// Given these facts, which e-mails does the agreement call for? notificationsFor is pure: no stack needed.
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { notificationsFor } from '../../domain/notifications.js';
import { signingUid } from '../../domain/calendar-entries.js';
import { record } from './given-when-then.js';
import { audiensiScheduled, draft1, inDrafting, inSigning, signingScheduled, started } from './fixtures.js';

const after = (history: DomainEvent[], ...facts: DomainEvent[]) =>
  notificationsFor(fold('a1', record([...history, ...facts])), facts);

describe('notificationsFor', () => {
  it("invites the invitees' liaisons to a meeting, with a calendar entry of its own", () => {
    const [invitation, ...rest] = after([started], audiensiScheduled);
    expect(rest).toEqual([]);
    expect(invitation).toMatchObject({
      template: 'meeting_invitation',
      to: { partyIds: ['lapas-garut', 'pemkab-garut'], roles: ['liaison'] },
      calendar: { uid: 'meeting-m1@sinergi', sequence: 0, start: '2026-02-06T09:00:00+07:00', location: 'Setda Garut' },
    });
  });

  it('asks each party for its review in an e-mail of its own (its link acts for that party only)', () => {
    const requests = after(inDrafting, draft1);
    expect(requests.map((n) => [n.template, n.to.partyIds])).toEqual([
      ['review_request', ['lapas-garut']],
      ['review_request', ['pemkab-garut']],
    ]);
    expect(requests.map((n) => (n.template === 'review_request' ? n.data.partyId : undefined))).toEqual([
      'lapas-garut',
      'pemkab-garut',
    ]);
  });

  it("tells the initiator's liaisons when a party asks for changes, and no one of an approval", () => {
    const asked: DomainEvent = {
      type: 'DraftReviewed',
      data: { version: 1, partyId: 'pemkab-garut', decision: 'request_changes', comments: 'Pasal 3 diperjelas' },
    };
    expect(after([...inDrafting, draft1], asked)).toEqual([
      { template: 'changes_requested', to: { partyIds: ['lapas-garut'], roles: ['liaison'] }, data: asked.data },
    ]);
    expect(
      after([...inDrafting, draft1], {
        type: 'DraftReviewed',
        data: { version: 1, partyId: 'pemkab-garut', decision: 'approve' },
      }),
    ).toEqual([]);
    // A run recorded before this e-mail existed sends none on replay (CHANGES_REQUESTED_MAIL_PATCH).
    const history = fold('a1', record([...inDrafting, draft1, asked]));
    expect(notificationsFor(history, [asked], { reviewRequestPerParty: true, changesRequestedMail: false })).toEqual(
      [],
    );
  });

  it('keeps one calendar entry for a ceremony moved twice, with a rising sequence', () => {
    const moved = (sequence: number): DomainEvent => ({
      type: 'SigningRescheduled',
      data: { ...signingScheduled.data, at: `2026-05-0${sequence}T10:00:00+07:00`, previousAt: 'x', sequence },
    });
    const [first] = after(inSigning, signingScheduled);
    const [second] = after([...inSigning, signingScheduled], moved(1));
    const [third] = after([...inSigning, signingScheduled, moved(1)], moved(2));
    expect([first, second, third].map((n) => [n!.template, n!.calendar?.uid, n!.calendar?.sequence])).toEqual([
      ['signing_invitation', signingUid('a1'), 0],
      ['signing_rescheduled', signingUid('a1'), 1],
      ['signing_rescheduled', signingUid('a1'), 2],
    ]);
  });

  it('sends nothing for a comment on a follow-up', () => {
    const opened: DomainEvent = {
      type: 'FollowUpOpened',
      data: {
        followUpId: 'f1',
        title: 't',
        kind: 'follow_up',
        ownerPartyId: 'pemkab-garut',
        due: '2026-03-02',
        remindOn: '2026-02-26',
        overdueOn: '2026-03-03',
        level2On: '2026-03-10',
      },
    };
    expect(after([started, opened], { type: 'FollowUpCommented', data: { followUpId: 'f1', comment: 'ok' } })).toEqual(
      [],
    );
  });
});
