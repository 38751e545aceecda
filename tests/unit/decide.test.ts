import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/types.js';
import type { DomainEvent } from '../../domain/events.js';
import { given } from './given-when-then.js';
import { officialCalendar } from './official-calendar.js';

const calendar = officialCalendar();
import {
  approve,
  audiensiScheduled,
  draft1,
  draft2,
  inDrafting,
  inSigning,
  signingScheduled,
  started,
} from './fixtures.js';

const startCommand = {
  type: 'startAgreement' as const,
  title: 'MoU',
  instrument: 'nota_kesepahaman' as const,
  parties: [
    { partyId: 'lapas-garut', role: 'initiator' as const, timeZone: 'Asia/Jakarta' as const },
    { partyId: 'pemkab-garut', role: 'counterpart' as const, timeZone: 'Asia/Jakarta' as const },
  ],
  scope: [],
  termMonths: 60,
  policy: DEFAULT_POLICY,
};

describe('startAgreement', () => {
  it('starts an agreement with two parties and one initiator', () =>
    given().when(startCommand).thenTypes(['AgreementStarted']));
  it('refuses one party', () =>
    given()
      .when({ ...startCommand, parties: startCommand.parties.slice(0, 1) })
      .thenRejected('too_few_parties', 'parties'));
  it('refuses two initiators', () =>
    given()
      .when({ ...startCommand, parties: startCommand.parties.map((p) => ({ ...p, role: 'initiator' as const })) })
      .thenRejected('one_initiator', 'parties'));
  it('refuses the same party twice', () =>
    given()
      .when({
        ...startCommand,
        parties: [startCommand.parties[0]!, { ...startCommand.parties[0]!, role: 'counterpart' }],
      })
      .thenRejected('duplicate_party', 'parties[1].partyId'));
  it('refuses a second start', () => given(started).when(startCommand).thenRejected('already_started'));
});

describe('scheduleMeeting', () => {
  const cmd = {
    type: 'scheduleMeeting' as const,
    kind: 'audiensi' as const,
    at: '2026-02-06T09:00:00+07:00',
    venue: 'Setda Garut',
  };
  it('invites every party by default', () =>
    given(started)
      .when(cmd)
      .then([
        {
          type: 'MeetingScheduled',
          data: {
            meetingId: 'id-1',
            kind: 'audiensi',
            at: cmd.at,
            venue: 'Setda Garut',
            invitees: ['lapas-garut', 'pemkab-garut'],
          },
        },
      ]));
  it('refuses an invitee who is not a party', () =>
    given(started)
      .when({ ...cmd, invitees: ['pemkot-ambon'] })
      .thenRejected('not_a_party', 'invitees[0]'));
  it('refuses an instant without an offset', () =>
    given(started)
      .when({ ...cmd, at: '2026-02-06T09:00:00' })
      .thenRejected('invalid_instant', 'at'));
  it('refuses in the signing stage', () =>
    given(...inSigning)
      .when(cmd)
      .thenRejected('wrong_stage'));
  it('refuses on a command before the agreement exists', () => given().when(cmd).thenRejected('unknown_agreement'));
});

describe('recordMinutes', () => {
  const minutes = {
    type: 'recordMinutes' as const,
    meetingId: 'm1',
    attendees: [{ name: 'Afan Sulistiono', position: 'Kasi Kamtib', partyId: 'lapas-garut' }],
    summary: 'Audiensi',
  };
  it('proceeds to drafting with follow-ups', () =>
    given(started, audiensiScheduled)
      .when({
        ...minutes,
        outcome: 'proceed_to_drafting',
        followUps: [{ title: 'Finalisasi draf MoU', ownerPartyId: 'lapas-garut', due: '2026-02-20' }],
      })
      .thenTypes(['MinutesRecorded', 'FollowUpOpened', 'StageChanged']));
  it('meets again without changing stage', () =>
    given(started, audiensiScheduled)
      .when({ ...minutes, outcome: 'another_meeting' })
      .thenTypes(['MinutesRecorded']));
  it('withdraws and ends the agreement', () => {
    const events = given(started, audiensiScheduled)
      .when({ ...minutes, outcome: 'withdrawn' })
      .events();
    expect(events.at(-1)).toEqual({ type: 'AgreementEnded', data: { reason: 'withdrawn', note: 'Audiensi' } });
  });
  it('refuses a meeting that does not exist', () => given(started).when(minutes).thenRejected('unknown_meeting'));
  it('refuses minutes recorded twice', () =>
    given(started, audiensiScheduled, {
      type: 'MinutesRecorded',
      data: { meetingId: 'm1', attendees: [], summary: 's', agreedScope: [] },
    })
      .when(minutes)
      .thenRejected('minutes_recorded'));
  it('refuses an outcome outside exploration', () =>
    given(...inDrafting, {
      type: 'MeetingScheduled',
      data: { ...(audiensiScheduled.data as object), meetingId: 'm2' } as never,
    })
      .when({ ...minutes, meetingId: 'm2', outcome: 'proceed_to_drafting' })
      .thenRejected('outcome_outside_exploration'));
  it('refuses minutes of a meeting still ahead: it has not taken place', () =>
    given(started, {
      ...audiensiScheduled,
      data: { ...(audiensiScheduled.data as object), at: '2026-02-13T09:00:00+07:00' } as never,
    })
      .when(minutes)
      .thenRejected('minutes_before_meeting', 'meetingId'));
  it('takes minutes of a meeting that began a moment ago, within clock skew', () =>
    given(started, {
      ...audiensiScheduled,
      data: { ...(audiensiScheduled.data as object), at: '2026-02-06T09:04:00+07:00' } as never,
    })
      .when(minutes)
      .thenTypes(['MinutesRecorded']));
  it('refuses a follow-up on an impossible date', () =>
    given(started, audiensiScheduled)
      .when({ ...minutes, followUps: [{ title: 'x', ownerPartyId: 'lapas-garut', due: '2026-02-31' }] })
      .thenRejected('invalid_date', 'followUps[0].due'));
});

describe('submitDraft', () => {
  it('numbers versions from 1', () =>
    given(...inDrafting, draft1)
      .when({ type: 'submitDraft', documentUrl: 'https://docs.test/v2.pdf', sha256: 'AB'.repeat(32) })
      // Submitted Friday 6 Feb 2026 (NOW, WIB): a reminder after 5 working days, the deadline after 10 (16-17 Feb are Imlek).
      .then([
        {
          type: 'DraftSubmitted',
          data: {
            version: 2,
            documentUrl: 'https://docs.test/v2.pdf',
            sha256: 'ab'.repeat(32),
            reviewRemindOn: '2026-02-13',
            reviewDueOn: '2026-02-24',
          },
        },
      ]));
  it('refuses outside drafting', () =>
    given(started).when({ type: 'submitDraft', documentUrl: 'https://docs.test/v1.pdf' }).thenRejected('wrong_stage'));
});

describe('reviewDraft', () => {
  it('records a request for changes', () =>
    given(...inDrafting, draft1)
      .when({
        type: 'reviewDraft',
        version: 1,
        partyId: 'pemkab-garut',
        decision: 'request_changes',
        comments: 'Pasal 3',
      })
      .thenTypes(['DraftReviewed']));
  it('refuses a request for changes that does not say what to change', () =>
    given(...inDrafting, draft1)
      .when({ type: 'reviewDraft', version: 1, partyId: 'pemkab-garut', decision: 'request_changes', comments: '  ' })
      .thenRejected('note_required', 'comments'));
  it('moves to signing when every party approved the same version', () =>
    given(...inDrafting, draft1, approve(1, 'lapas-garut'))
      .when({ type: 'reviewDraft', version: 1, partyId: 'pemkab-garut', decision: 'approve' })
      .thenTypes(['DraftReviewed', 'StageChanged']));
  it('does not count approvals of an older version', () =>
    given(...inDrafting, draft1, approve(1, 'lapas-garut'), draft2)
      .when({ type: 'reviewDraft', version: 2, partyId: 'pemkab-garut', decision: 'approve' })
      .thenTypes(['DraftReviewed']));
  it('refuses an old version', () =>
    given(...inDrafting, draft1, draft2)
      .when({ type: 'reviewDraft', version: 1, partyId: 'pemkab-garut', decision: 'approve' })
      .thenRejected('superseded_draft'));
  it('refuses a version that does not exist', () =>
    given(...inDrafting, draft1)
      .when({ type: 'reviewDraft', version: 3, partyId: 'pemkab-garut', decision: 'approve' })
      .thenRejected('unknown_draft'));
  it('refuses when no draft was submitted', () =>
    given(...inDrafting)
      .when({ type: 'reviewDraft', version: 1, partyId: 'pemkab-garut', decision: 'approve' })
      .thenRejected('no_draft'));
  it('refuses a party that is not in the agreement', () =>
    given(...inDrafting, draft1)
      .when({ type: 'reviewDraft', version: 1, partyId: 'bapas-ambon', decision: 'approve' })
      .thenRejected('not_a_party', 'partyId'));
  it('refuses a second review by the same party', () =>
    given(...inDrafting, draft1, approve(1, 'lapas-garut'))
      .when({ type: 'reviewDraft', version: 1, partyId: 'lapas-garut', decision: 'approve' })
      .thenRejected('already_reviewed'));
});

describe('scheduleSigning', () => {
  const cmd = {
    type: 'scheduleSigning' as const,
    at: '2026-04-27T10:00:00+07:00',
    venue: 'Lapas Garut',
    signatories: [{ partyId: 'lapas-garut', name: 'Rusdedy', position: 'Kalapas' }],
  };
  it('schedules the ceremony', () =>
    given(...inSigning)
      .when(cmd)
      .thenTypes(['SigningScheduled']));
  it('reschedules with the next sequence', () => {
    const [event] = given(...inSigning, signingScheduled)
      .when({ ...cmd, at: '2026-04-28T10:00:00+07:00' })
      .events();
    expect(event).toMatchObject({
      type: 'SigningRescheduled',
      data: { previousAt: '2026-04-27T10:00:00+07:00', sequence: 1 },
    });
  });
  it('refuses before the drafts are approved', () =>
    given(...inDrafting)
      .when(cmd)
      .thenRejected('wrong_stage'));
  it('refuses a signatory from another party', () =>
    given(...inSigning)
      .when({ ...cmd, signatories: [{ partyId: 'kanwil-jambi', name: 'x', position: 'y' }] })
      .thenRejected('not_a_party', 'signatories[0].partyId'));
  it("asks the append for a number from each party's template, except those written by hand", () => {
    const [event] = given(...inSigning)
      .when({ ...cmd, documentNumbers: { 'pemkab-garut': '180/12/Huk' } })
      .events();
    expect(event).toMatchObject({
      data: { documentNumbers: { 'pemkab-garut': '180/12/Huk' }, numbersToTake: ['lapas-garut'] },
    });
  });
  it('keeps the numbers already taken when the date moves, and asks for none', () => {
    const scheduled = {
      ...signingScheduled,
      data: { ...signingScheduled.data, documentNumbers: { 'lapas-garut': 'W11/7', 'pemkab-garut': '180/3/2026' } },
    };
    const [event] = given(...inSigning, scheduled)
      .when({ ...cmd, at: '2026-04-28T10:00:00+07:00' })
      .events();
    expect(event).toMatchObject({
      type: 'SigningRescheduled',
      data: { documentNumbers: { 'lapas-garut': 'W11/7', 'pemkab-garut': '180/3/2026' } },
    });
    expect(event!.data).not.toHaveProperty('numbersToTake');
  });
  it('refuses a number for a party not in the agreement', () =>
    given(...inSigning)
      .when({ ...cmd, documentNumbers: { 'bapas-ambon': '9' } })
      .thenRejected('not_a_party', 'documentNumbers.bapas-ambon'));
});

describe('remindToSign', () => {
  it('reminds the parties other than the initiator while the agreement is unsigned', () =>
    given(...inSigning)
      .when({ type: 'remindToSign', note: 'Mohon segera' })
      .then([
        { type: 'SigningReminderSent', data: { partyIds: ['pemkab-garut'], stage: 'signing', note: 'Mohon segera' } },
      ]));
  it('refuses a second reminder within the hour', () =>
    given(...inSigning, { type: 'SigningReminderSent', data: { partyIds: ['pemkab-garut'], stage: 'signing' } })
      .when({ type: 'remindToSign' })
      .thenRejected('reminded_recently'));
  it('refuses once the agreement is signed', () =>
    given(
      ...inSigning,
      signingScheduled,
      {
        type: 'SigningRecorded',
        data: { signedAt: '2026-02-05', documentNumbers: {}, termStart: '2026-02-05', termEnd: '2031-02-04' },
      },
      { type: 'StageChanged', data: { from: 'signing', to: 'active' } },
    )
      .when({ type: 'remindToSign' })
      .thenRejected('wrong_stage'));
});

describe('recordSigning', () => {
  // NOW is 2026-02-06 09:00 WIB.
  const cmd = {
    type: 'recordSigning' as const,
    signedAt: '2026-02-05',
    documentNumbers: { 'lapas-garut': 'W11.PAS.PAS.5-HM.05.02-01', 'pemkab-garut': '180/12/Huk' },
  };
  it('activates with a five-year term', () =>
    given(...inSigning, signingScheduled)
      .when(cmd)
      .then([
        {
          type: 'SigningRecorded',
          data: {
            signedAt: cmd.signedAt,
            documentNumbers: cmd.documentNumbers,
            termStart: '2026-02-05',
            termEnd: '2031-02-04',
          },
        },
        { type: 'StageChanged', data: { from: 'signing', to: 'active' } },
      ]));
  it("takes the term start from an instant in the initiator's zone", () => {
    const [event] = given(...inSigning, signingScheduled)
      .when({ ...cmd, signedAt: '2026-02-04T18:30:00Z' })
      .events();
    expect(event).toMatchObject({ data: { termStart: '2026-02-05' } });
  });
  it("records a signing dated today in the initiator's zone", () =>
    given(...inSigning, signingScheduled)
      .when({ ...cmd, signedAt: '2026-02-06' })
      .thenTypes(['SigningRecorded', 'StageChanged']));
  it('refuses a signing dated after today: it has not happened', () =>
    given(...inSigning, signingScheduled)
      .when({ ...cmd, signedAt: '2026-02-07' })
      .thenRejected('signed_in_future', 'signedAt'));
  it('refuses an instant ahead of now, beyond a few minutes of clock skew', () => {
    given(...inSigning, signingScheduled)
      .when({ ...cmd, signedAt: '2026-02-06T03:00:00Z' })
      .thenRejected('signed_in_future', 'signedAt');
    given(...inSigning, signingScheduled)
      .when({ ...cmd, signedAt: '2026-02-06T02:03:00Z' })
      .thenTypes(['SigningRecorded', 'StageChanged']);
  });
  it('keeps the numbers taken when the signing was scheduled', () => {
    const scheduled = {
      ...signingScheduled,
      data: { ...signingScheduled.data, documentNumbers: { 'lapas-garut': 'W11/7', 'pemkab-garut': '180/3/2026' } },
    };
    const [event] = given(...inSigning, scheduled)
      .when({ ...cmd, documentNumbers: {} })
      .events();
    expect(event).toMatchObject({
      data: { documentNumbers: { 'lapas-garut': 'W11/7', 'pemkab-garut': '180/3/2026' } },
    });
  });
  it('refuses a signing that was never scheduled', () =>
    given(...inSigning)
      .when(cmd)
      .thenRejected('signing_not_scheduled'));
  it('refuses a missing document number', () =>
    given(...inSigning, signingScheduled)
      .when({ ...cmd, documentNumbers: { 'lapas-garut': '1' } })
      .thenRejected('missing_document_number', 'documentNumbers'));
  it('refuses a number for a party not in the agreement', () =>
    given(...inSigning, signingScheduled)
      .when({ ...cmd, documentNumbers: { ...cmd.documentNumbers, 'bapas-ambon': '9' } })
      .thenRejected('not_a_party', 'documentNumbers.bapas-ambon'));
  it('refuses outside the signing stage', () =>
    given(...inDrafting)
      .when(cmd)
      .thenRejected('wrong_stage'));
});

const followUpOpened = {
  type: 'FollowUpOpened' as const,
  data: {
    followUpId: 'f1',
    title: 't',
    kind: 'follow_up' as const,
    ownerPartyId: 'lapas-garut',
    due: '2026-03-02',
    remindOn: '2026-02-26',
    overdueOn: '2026-03-03',
    level2On: '2026-03-10',
  },
};

describe('follow-ups', () => {
  const open = {
    type: 'openFollowUp' as const,
    title: 'Siapkan langkah teknis',
    ownerPartyId: 'pemkab-garut',
    due: '2026-03-02',
  };
  it('opens a follow-up in any stage but ended', () =>
    given(...inSigning)
      .when(open)
      .thenTypes(['FollowUpOpened']));
  it('refuses an owner who is not a party', () =>
    given(started)
      .when({ ...open, ownerPartyId: 'x' })
      .thenRejected('not_a_party', 'ownerPartyId'));
  it('completes an open follow-up', () =>
    given(started, followUpOpened)
      .when({ type: 'completeFollowUp', followUpId: 'f1', note: 'selesai' })
      .then([{ type: 'FollowUpCompleted', data: { followUpId: 'f1', note: 'selesai' } }]));
  it('refuses completing twice', () =>
    given(started, followUpOpened, { type: 'FollowUpCompleted', data: { followUpId: 'f1' } })
      .when({ type: 'completeFollowUp', followUpId: 'f1' })
      .thenRejected('follow_up_closed'));
  it('refuses an unknown follow-up', () =>
    given(started).when({ type: 'completeFollowUp', followUpId: 'nope' }).thenRejected('unknown_follow_up'));
  it("refuses a due date already past in the initiator's zone", () =>
    given(started)
      .when({ ...open, due: '2026-02-05' })
      .thenRejected('due_in_past', 'due'));
  it('takes a due date of today', () =>
    given(started)
      .when({ ...open, due: '2026-02-06' })
      .thenTypes(['FollowUpOpened']));
  it('takes a past due date marked late, and puts level 2 one interval after today, not at once', () => {
    const [event] = given(started)
      .when({ ...open, due: '2026-01-05', late: true })
      .events();
    // Level 1 is due (2026-01-06 is past); level 2 follows today's level 1 by level2AfterDays working days.
    expect(event).toMatchObject({
      data: {
        due: '2026-01-05',
        overdueOn: '2026-01-06',
        level2On: calendar.addWorkingDays('2026-02-06', DEFAULT_POLICY.level2AfterDays),
      },
    });
  });
  it('refuses a past due date in minutes, naming the line', () =>
    given(started, audiensiScheduled)
      .when({
        type: 'recordMinutes',
        meetingId: 'm1',
        summary: 's',
        attendees: [{ name: 'A', position: 'B', partyId: 'lapas-garut' }],
        followUps: [
          { title: 'x', ownerPartyId: 'lapas-garut', due: '2026-03-02' },
          { title: 'y', ownerPartyId: 'lapas-garut', due: '2026-01-30' },
        ],
      })
      .thenRejected('due_in_past', 'followUps[1].due'));
  it('refuses moving a due date into the past', () =>
    given(started, followUpOpened)
      .when({ type: 'rescheduleFollowUp', followUpId: 'f1', due: '2026-02-02' })
      .thenRejected('due_in_past', 'due'));
});

describe('commentOnFollowUp', () => {
  it('records the comment, closed or open', () =>
    given(started, followUpOpened, { type: 'FollowUpCompleted', data: { followUpId: 'f1' } })
      .when({ type: 'commentOnFollowUp', followUpId: 'f1', comment: 'Data sudah diterima Dinas.' })
      .then([{ type: 'FollowUpCommented', data: { followUpId: 'f1', comment: 'Data sudah diterima Dinas.' } }]));
  it('keeps the comments on the follow-up, oldest first', () => {
    const { state } = given(
      started,
      followUpOpened,
      { type: 'FollowUpCommented', data: { followUpId: 'f1', comment: 'satu' } },
      { type: 'FollowUpCommented', data: { followUpId: 'f1', comment: 'dua' } },
    );
    expect(state.followUps[0]!.comments?.map((c) => c.text)).toEqual(['satu', 'dua']);
  });
  it('refuses an unknown follow-up', () =>
    given(started)
      .when({ type: 'commentOnFollowUp', followUpId: 'nope', comment: 'x' })
      .thenRejected('unknown_follow_up'));
  it('refuses once the agreement has ended', () =>
    given(started, followUpOpened, { type: 'AgreementEnded', data: { reason: 'cancelled', note: 'x' } })
      .when({ type: 'commentOnFollowUp', followUpId: 'f1', comment: 'x' })
      .thenRejected('agreement_ended'));
});

describe('cancelAgreement', () => {
  it('ends the agreement with the reason', () =>
    given(...inDrafting)
      .when({ type: 'cancelAgreement', reason: 'Pemda menunda kerja sama' })
      .then([{ type: 'AgreementEnded', data: { reason: 'cancelled', note: 'Pemda menunda kerja sama' } }]));
  it('refuses a blank reason', () =>
    given(started).when({ type: 'cancelAgreement', reason: '  ' }).thenRejected('reason_required', 'reason'));
  it('refuses every command once ended', () => {
    const ended = given(started, { type: 'AgreementEnded', data: { reason: 'cancelled' } });
    ended.when({ type: 'cancelAgreement', reason: 'lagi' }).thenRejected('agreement_ended');
    ended
      .when({ type: 'openFollowUp', title: 't', ownerPartyId: 'lapas-garut', due: '2026-03-02' })
      .thenRejected('agreement_ended');
    ended
      .when({ type: 'scheduleMeeting', kind: 'audiensi', at: '2026-02-06T09:00:00+07:00', venue: 'v' })
      .thenRejected('wrong_stage');
  });
});

describe('rescheduleMeeting and cancelMeeting', () => {
  const ahead: DomainEvent = {
    type: 'MeetingScheduled',
    data: {
      meetingId: 'm2',
      kind: 'coordination',
      at: '2026-03-02T09:00:00+07:00',
      venue: 'Aula',
      invitees: ['lapas-garut', 'pemkab-garut'],
    },
  };
  it('moves a meeting to a new time and place, one SEQUENCE up', () =>
    given(started, ahead)
      .when({ type: 'rescheduleMeeting', meetingId: 'm2', at: '2026-03-03T10:00:00+07:00', venue: 'Setda' })
      .then([
        {
          type: 'MeetingRescheduled',
          data: {
            meetingId: 'm2',
            at: '2026-03-03T10:00:00+07:00',
            venue: 'Setda',
            previousAt: '2026-03-02T09:00:00+07:00',
            sequence: 1,
          },
        },
      ]));
  it('refuses a move that changes nothing, the same instant written in another zone included', () =>
    given(started, ahead)
      .when({ type: 'rescheduleMeeting', meetingId: 'm2', at: '2026-03-02T02:00:00Z' })
      .thenRejected('nothing_changed', 'at'));
  it('refuses to move or call off a meeting that was held', () =>
    given(...inDrafting)
      .when({ type: 'cancelMeeting', meetingId: 'm1', reason: 'x' })
      .thenRejected('minutes_recorded'));
  it('calls a meeting off with its reason, and then refuses to move it', () => {
    given(started, ahead)
      .when({ type: 'cancelMeeting', meetingId: 'm2', reason: 'Bupati berhalangan' })
      .then([{ type: 'MeetingCancelled', data: { meetingId: 'm2', reason: 'Bupati berhalangan', sequence: 1 } }]);
    given(started, ahead, { type: 'MeetingCancelled', data: { meetingId: 'm2', reason: 'x', sequence: 1 } })
      .when({ type: 'rescheduleMeeting', meetingId: 'm2', venue: 'Setda' })
      .thenRejected('meeting_cancelled');
  });
  it('calls off the meetings still ahead when the agreement ends, not those already past', () =>
    given(...inDrafting, ahead)
      .when({ type: 'cancelAgreement', reason: 'Ditunda' })
      .then([
        { type: 'AgreementEnded', data: { reason: 'cancelled', note: 'Ditunda' } },
        {
          type: 'MeetingCancelled',
          data: { meetingId: 'm2', reason: 'Kesepakatan berakhir (dibatalkan).', sequence: 1 },
        },
      ]));
});
