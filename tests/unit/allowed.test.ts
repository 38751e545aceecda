// Which commands a viewer may send in a state: the dashboard's forms are exactly these (domain/allowed.ts).
import { describe, expect, it } from 'vitest';
import { allowedCommands, type Viewer } from '../../domain/allowed.js';
import { fold } from '../../domain/evolve.js';
import type { DomainEvent } from '../../domain/events.js';
import { record } from './given-when-then.js';
import { audiensiScheduled, inDrafting, inSigning, signingScheduled, started } from './fixtures.js';

const given = (...events: DomainEvent[]) => ({
  viewedBy: (viewer: Viewer) => [...allowedCommands(fold('a1', record(events)), viewer)].sort(),
});
const admin: Viewer = { role: 'admin' };
const initiator: Viewer = { role: 'party', partyId: 'lapas-garut' };
const counterpart: Viewer = { role: 'party', partyId: 'pemkab-garut' };

describe('allowedCommands', () => {
  it('offers a viewer nothing', () =>
    expect(given(...inSigning, signingScheduled).viewedBy({ role: 'viewer' })).toEqual([]));

  it('offers meetings, minutes, follow-ups and cancelling while exploring', () =>
    expect(given(started, audiensiScheduled).viewedBy(admin)).toEqual([
      'cancelAgreement',
      'cancelFollowUp',
      'cancelMeeting',
      'commentOnFollowUp',
      'completeFollowUp',
      'openFollowUp',
      'recordMinutes',
      'remindToSign',
      'rescheduleFollowUp',
      'rescheduleMeeting',
      'scheduleMeeting',
    ]));

  it('offers drafts and reviews only while drafting, and reviews only once a draft exists', () => {
    expect(given(...inDrafting).viewedBy(admin)).toContain('submitDraft');
    expect(given(...inDrafting).viewedBy(admin)).not.toContain('reviewDraft');
  });

  // The drift the dashboard had: it hid the minutes form in the signing stage, though decide accepts minutes there.
  it('offers minutes in the signing stage, as decide accepts them', () =>
    expect(given(...inSigning).viewedBy(admin)).toContain('recordMinutes'));

  it('lets only the initiator (or an admin) record the signing, once it is scheduled', () => {
    expect(given(...inSigning).viewedBy(admin)).not.toContain('recordSigning');
    expect(given(...inSigning, signingScheduled).viewedBy(admin)).toContain('recordSigning');
    expect(given(...inSigning, signingScheduled).viewedBy(initiator)).toContain('recordSigning');
    expect(given(...inSigning, signingScheduled).viewedBy(counterpart)).not.toContain('recordSigning');
  });

  it('offers nothing once the agreement has ended', () =>
    expect(
      given(started, { type: 'AgreementEnded', data: { reason: 'cancelled', note: 'x' } }).viewedBy(admin),
    ).toEqual([]));
});
