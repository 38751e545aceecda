// One given/when/then per e-mail template: given these facts, when this one is decided, then exactly this e-mail
// goes to exactly these people. notificationsFor is pure, so no stack is needed.
import { describe, expect, it } from 'vitest';
import type { DomainEvent, FollowUpOpenedData } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { notificationsFor, TEMPLATES } from '../../domain/notifications.js';
import { NOW, record } from './given-when-then.js';
import { audiensiScheduled, draft1, inDrafting, inSigning, signingScheduled, started } from './fixtures.js';

const LAPAS = 'lapas-garut';
const PEMKAB = 'pemkab-garut';
const BOTH = [LAPAS, PEMKAB];

function given(...history: DomainEvent[]) {
  return {
    when: (fact: DomainEvent) => {
      const mails = notificationsFor(fold('a1', record([...history, fact])), [fact]);
      return {
        then: (expected: Record<string, unknown>[]) => {
          expect(mails).toHaveLength(expected.length);
          expected.forEach((e, i) => expect(mails[i]).toMatchObject(e));
          return mails;
        },
      };
    },
  };
}

const opened = (over: Partial<FollowUpOpenedData> = {}): DomainEvent => ({
  type: 'FollowUpOpened',
  data: {
    followUpId: 'f1',
    title: 'Kirim data WBP',
    kind: 'follow_up',
    ownerPartyId: PEMKAB,
    due: '2026-03-02',
    remindOn: '2026-02-26',
    overdueOn: '2026-03-03',
    level2On: '2026-03-10',
    ...over,
  },
});
const signed: DomainEvent = {
  type: 'SigningRecorded',
  data: {
    signedAt: '2026-04-27T10:00:00+07:00',
    documentNumbers: { [LAPAS]: 'W11.PAS.1', [PEMKAB]: '000.8/1' },
    termStart: '2026-04-27',
    termEnd: '2031-04-26',
  },
};
const active = [
  ...inSigning,
  signingScheduled,
  signed,
  { type: 'StageChanged', data: { from: 'signing', to: 'active' } },
] as DomainEvent[];
const tested = new Set<string>();
const template = (name: (typeof TEMPLATES)[number], body: () => void) =>
  it(name, () => {
    tested.add(name);
    body();
  });

describe('the e-mail each fact calls for, template by template', () => {
  template('meeting_invitation', () =>
    given(started)
      .when(audiensiScheduled)
      .then([
        {
          template: 'meeting_invitation',
          to: { partyIds: BOTH, roles: ['liaison'] },
          data: { meetingId: 'm1', kind: 'audiensi', venue: 'Setda Garut' },
          calendar: { uid: 'meeting-m1@sinergi', sequence: 0, summary: `Audiensi: ${started.data.title}` },
        },
      ]),
  );
  template('meeting_rescheduled', () =>
    given(started, audiensiScheduled)
      .when({
        type: 'MeetingRescheduled',
        data: { meetingId: 'm1', at: '2026-02-09T09:00:00+07:00', venue: 'Setda', previousAt: 'x', sequence: 1 },
      })
      .then([
        {
          template: 'meeting_rescheduled',
          to: { partyIds: BOTH, roles: ['liaison'] },
          data: { at: '2026-02-09T09:00:00+07:00', previousAt: 'x' },
          calendar: { uid: 'meeting-m1@sinergi', sequence: 1 },
        },
      ]),
  );
  template('meeting_cancelled', () =>
    given(started, audiensiScheduled)
      .when({ type: 'MeetingCancelled', data: { meetingId: 'm1', reason: 'Banjir', sequence: 1 } })
      .then([
        {
          template: 'meeting_cancelled',
          to: { partyIds: BOTH, roles: ['liaison'] },
          data: { reason: 'Banjir' },
          calendar: { uid: 'meeting-m1@sinergi', sequence: 1, method: 'CANCEL' },
        },
      ]),
  );
  template('review_request', () =>
    given(...inDrafting)
      .when(draft1)
      .then([
        {
          template: 'review_request',
          to: { partyIds: [LAPAS], roles: ['liaison'] },
          data: { version: 1, partyId: LAPAS },
        },
        {
          template: 'review_request',
          to: { partyIds: [PEMKAB], roles: ['liaison'] },
          data: { version: 1, partyId: PEMKAB },
        },
      ]),
  );
  template('changes_requested', () =>
    given(...inDrafting, draft1)
      .when({
        type: 'DraftReviewed',
        data: { version: 1, partyId: PEMKAB, decision: 'request_changes', comments: 'Pasal 3' },
      })
      .then([
        { template: 'changes_requested', to: { partyIds: [LAPAS], roles: ['liaison'] }, data: { comments: 'Pasal 3' } },
      ]),
  );
  template('review_reminder', () =>
    given(...inDrafting, draft1)
      .when({ type: 'DraftReviewReminderDue', data: { version: 1, partyIds: [PEMKAB] } })
      .then([{ template: 'review_reminder', to: { partyIds: [PEMKAB], roles: ['liaison'] }, data: { version: 1 } }]),
  );
  template('review_overdue', () =>
    given(...inDrafting, draft1)
      .when({ type: 'DraftReviewOverdue', data: { version: 1, partyIds: [PEMKAB] } })
      .then([
        {
          template: 'review_overdue',
          to: { partyIds: [PEMKAB], roles: ['supervisor'] },
          cc: { partyIds: [PEMKAB], roles: ['liaison'] },
        },
      ]),
  );
  template('signing_invitation', () =>
    given(...inSigning)
      .when(signingScheduled)
      .then([
        {
          template: 'signing_invitation',
          to: { partyIds: BOTH, roles: ['liaison', 'signatory'] },
          data: { venue: 'Lapas Garut' },
          calendar: { uid: 'signing-a1@sinergi', sequence: 0, summary: `Penandatanganan: ${started.data.title}` },
        },
      ]),
  );
  template('signing_rescheduled', () =>
    given(...inSigning, signingScheduled)
      .when({
        type: 'SigningRescheduled',
        data: { ...signingScheduled.data, at: '2026-04-28T10:00:00+07:00', previousAt: 'x', sequence: 1 },
      })
      .then([
        {
          template: 'signing_rescheduled',
          to: { partyIds: BOTH, roles: ['liaison', 'signatory'] },
          calendar: { uid: 'signing-a1@sinergi', sequence: 1 },
        },
      ]),
  );
  template('signing_cancelled', () =>
    given(...inSigning, signingScheduled)
      .when({ type: 'SigningCancelled', data: { reason: 'Bupati berhalangan', sequence: 1 } })
      .then([
        {
          template: 'signing_cancelled',
          to: { partyIds: BOTH, roles: ['liaison', 'signatory'] },
          data: { reason: 'Bupati berhalangan' },
          calendar: { uid: 'signing-a1@sinergi', method: 'CANCEL', sequence: 1 },
        },
      ]),
  );
  template('signing_reminder', () =>
    given(...inSigning, signingScheduled)
      .when({ type: 'SigningReminderDue', data: { daysBefore: 1, ceremonyAt: signingScheduled.data.at } })
      .then([
        {
          template: 'signing_reminder',
          to: { partyIds: BOTH, roles: ['liaison', 'signatory'] },
          data: { daysBefore: 1, venue: 'Lapas Garut' },
        },
      ]),
  );
  it('sends no signing reminder that was skipped', () =>
    given(...inSigning, signingScheduled)
      .when({
        type: 'SigningReminderDue',
        data: { daysBefore: 7, ceremonyAt: signingScheduled.data.at, skipped: true },
      })
      .then([]));
  template('signing_overdue', () =>
    given(...inSigning, signingScheduled)
      .when({ type: 'SigningOverdue', data: { ceremonyAt: signingScheduled.data.at } })
      .then([
        {
          template: 'signing_overdue',
          to: { partyIds: [LAPAS], roles: ['supervisor'] },
          cc: { partyIds: [LAPAS], roles: ['liaison'] },
        },
      ]),
  );
  template('signing_confirmation', () =>
    given(...inSigning, signingScheduled)
      .when(signed)
      .then([
        {
          template: 'signing_confirmation',
          to: { partyIds: BOTH, roles: ['liaison', 'signatory'] },
          data: { termStart: '2026-04-27', termEnd: '2031-04-26' },
        },
      ]),
  );
  template('signing_nudge', () =>
    given(...inSigning)
      .when({ type: 'SigningReminderSent', data: { partyIds: [PEMKAB], stage: 'signing' } })
      .then([
        {
          template: 'signing_nudge',
          to: { partyIds: [PEMKAB], roles: ['liaison', 'signatory'] },
          cc: { partyIds: [LAPAS], roles: ['liaison'] },
        },
      ]),
  );
  template('signing_turn', () => {
    const final = { documentId: 'final', filename: 'final.pdf', sha256: 'f'.repeat(64) };
    const begun: DomainEvent = {
      type: 'ElectronicSigningStarted',
      data: {
        dueBy: '2026-02-20',
        approvedVersion: 1,
        document: final,
        steps: [
          { partyId: LAPAS, email: 'kalapas@lapas.test', name: 'Rudy Gunawan', act: 'sign' },
          { partyId: PEMKAB, email: 'bupati@garutkab.test', name: 'Hendra Wijaya', act: 'sign' },
        ],
      },
    };
    // The first step's person when the round begins, alone (their link acts for their step only).
    given(...inSigning)
      .when(begun)
      .then([
        {
          template: 'signing_turn',
          to: { partyIds: [LAPAS], roles: [], emails: ['kalapas@lapas.test'] },
          cc: { partyIds: [LAPAS], roles: ['liaison'] },
          data: { step: 0, steps: 2, act: 'sign', name: 'Rudy Gunawan', dueBy: '2026-02-20', documentId: 'final' },
        },
      ]);
    // The next when a copy is accepted, with that copy to sign; nobody after the last.
    const copy = { documentId: 'copy-1', filename: 'ttd-1.pdf', sha256: '1'.repeat(64) };
    const signature = { subject: 'CN=Rudy Gunawan', issuer: 'CN=CA', serial: '01', signedAt: NOW, timestamped: false };
    const accepted: DomainEvent = { type: 'SignedCopyAccepted', data: { step: 0, document: copy, signature } };
    given(...inSigning, begun)
      .when(accepted)
      .then([
        { template: 'signing_turn', to: { emails: ['bupati@garutkab.test'] }, data: { step: 1, documentId: 'copy-1' } },
      ]);
    given(...inSigning, begun, accepted)
      .when({ type: 'SignedCopyAccepted', data: { step: 1, document: copy, signature } })
      .then([]);
    // A step's reminder says which step it is, so that its person's link signs rather than closes it.
    const step = opened({
      followUpId: 'fs',
      title: 'Tanda tangan elektronik: Rudy Gunawan',
      ownerPartyId: LAPAS,
      ownerEmail: 'kalapas@lapas.test',
      purpose: 'signing',
    });
    given(...inSigning, begun, step)
      .when({ type: 'FollowUpReminderDue', data: { followUpId: 'fs' } })
      .then([{ template: 'follow_up_reminder', data: { signingStep: { index: 0, email: 'kalapas@lapas.test' } } }]);
    const plain = given(...inSigning, begun, step, opened())
      .when({ type: 'FollowUpReminderDue', data: { followUpId: 'f1' } })
      .then([{ template: 'follow_up_reminder' }]);
    expect(plain[0]!.data).not.toHaveProperty('signingStep');
  });
  template('follow_up_assigned', () =>
    given(started)
      .when(opened())
      .then([
        {
          template: 'follow_up_assigned',
          to: { partyIds: [PEMKAB], roles: ['liaison'] },
          data: { followUpId: 'f1', title: 'Kirim data WBP', due: '2026-03-02' },
        },
      ]),
  );
  it('assigns a follow-up to a named person by their address alone', () =>
    given(started)
      .when(opened({ ownerEmail: 'dinsos@garutkab.test' }))
      .then([
        { template: 'follow_up_assigned', to: { partyIds: [PEMKAB], roles: [], emails: ['dinsos@garutkab.test'] } },
      ]));
  template('follow_up_reminder', () =>
    given(started, opened())
      .when({ type: 'FollowUpReminderDue', data: { followUpId: 'f1' } })
      .then([
        {
          template: 'follow_up_reminder',
          to: { partyIds: [PEMKAB], roles: ['liaison'] },
          data: { title: 'Kirim data WBP' },
        },
      ]),
  );
  template('follow_up_escalation', () => {
    given(started, opened())
      .when({ type: 'FollowUpEscalated', data: { followUpId: 'f1', level: 1 } })
      .then([
        {
          template: 'follow_up_escalation',
          to: { partyIds: [PEMKAB], roles: ['supervisor'] },
          cc: { partyIds: [PEMKAB], roles: ['liaison'] },
          data: { level: 1 },
          ref: { followUpId: 'f1', level: 1 },
        },
      ]);
    // Level 2 goes up to the initiator's head, with the owner and its supervisors in copy.
    given(started, opened(), { type: 'FollowUpEscalated', data: { followUpId: 'f1', level: 1 } })
      .when({ type: 'FollowUpEscalated', data: { followUpId: 'f1', level: 2 } })
      .then([
        {
          template: 'follow_up_escalation',
          to: { partyIds: [LAPAS], roles: ['supervisor'] },
          cc: { partyIds: [PEMKAB], roles: ['liaison', 'supervisor'] },
          data: { level: 2 },
        },
      ]);
  });
  template('pks_started', () =>
    given()
      .when({
        ...started,
        data: { ...started.data, agreementId: 'a1', parentId: 'mou', scope: ['Pelatihan'], dueBy: '2026-09-01' },
      })
      .then([
        {
          template: 'pks_started',
          to: { partyIds: BOTH, roles: ['liaison'] },
          data: { parentId: 'mou', dueBy: '2026-09-01', scope: ['Pelatihan'] },
        },
      ]),
  );
  it('sends nothing for an umbrella agreement started', () => given().when(started).then([]));
  template('report_reminder', () =>
    given(...active)
      .when({ type: 'ReportReminderDue', data: { index: 1, dueOn: '2026-10-27' } })
      .then([{ template: 'report_reminder', to: { partyIds: BOTH, roles: ['liaison'] }, data: { index: 1 } }]),
  );
  template('report_overdue', () =>
    given(...active)
      .when({ type: 'ReportOverdue', data: { index: 1, dueOn: '2026-10-27' } })
      .then([
        {
          template: 'report_overdue',
          to: { partyIds: BOTH, roles: ['supervisor'] },
          cc: { partyIds: BOTH, roles: ['liaison'] },
        },
      ]),
  );
  template('renewal_reminder', () =>
    given(...active)
      .when({ type: 'RenewalReminderDue', data: { daysBefore: 90, termEnd: '2031-04-26' } })
      .then([
        {
          template: 'renewal_reminder',
          to: { partyIds: BOTH, roles: ['liaison', 'signatory'] },
          data: { daysBefore: 90 },
        },
      ]),
  );
  template('renewal_decided', () =>
    given(...active)
      .when({ type: 'RenewalDecided', data: { decision: 'end' } })
      .then([
        {
          template: 'renewal_decided',
          to: { partyIds: BOTH, roles: ['liaison'] },
          data: { decision: 'end', termEnd: '2031-04-26' },
        },
      ]),
  );
  template('agreement_ended', () =>
    given(...inDrafting)
      .when({ type: 'AgreementEnded', data: { reason: 'cancelled', note: 'Tidak berlanjut' } })
      .then([
        { template: 'agreement_ended', to: { partyIds: BOTH, roles: ['liaison'] }, data: { reason: 'cancelled' } },
      ]),
  );

  it('has a test above for every template', () => {
    expect([...TEMPLATES].filter((t) => !tested.has(t))).toEqual([]);
  });
});
