// Seed 000: Lapas Kelas IIA Garut and Pemkab Garut.
import type {
  AgreementStarted,
  DomainEvent,
  MeetingScheduled,
  MinutesRecorded,
  SigningScheduled,
} from '../../domain/events.js';
import { DEFAULT_POLICY } from '../../domain/types.js';

export const started: AgreementStarted = {
  type: 'AgreementStarted',
  data: {
    agreementId: 'a1',
    title: 'Nota Kesepahaman Lapas Garut dan Pemkab Garut',
    instrument: 'nota_kesepahaman',
    parties: [
      { partyId: 'lapas-garut', role: 'initiator', timeZone: 'Asia/Jakarta' },
      { partyId: 'pemkab-garut', role: 'counterpart', timeZone: 'Asia/Jakarta' },
    ],
    scope: ['pelatihan keterampilan'],
    termMonths: 60,
    policy: DEFAULT_POLICY,
  },
};
export const audiensiScheduled: MeetingScheduled = {
  type: 'MeetingScheduled',
  data: {
    meetingId: 'm1',
    kind: 'audiensi',
    at: '2026-02-06T09:00:00+07:00',
    venue: 'Setda Garut',
    invitees: ['lapas-garut', 'pemkab-garut'],
  },
};
export const minutesProceed: MinutesRecorded = {
  type: 'MinutesRecorded',
  data: {
    meetingId: 'm1',
    attendees: [{ name: 'Widi', position: 'Kabag Kerja Sama', partyId: 'pemkab-garut' }],
    summary: 'Sepakat',
    agreedScope: [],
    outcome: 'proceed_to_drafting',
  },
};
export const toDrafting: DomainEvent = { type: 'StageChanged', data: { from: 'exploration', to: 'drafting' } };
export const draft1: DomainEvent = {
  type: 'DraftSubmitted',
  data: { version: 1, documentUrl: 'https://docs.test/v1.pdf' },
};
export const draft2: DomainEvent = {
  type: 'DraftSubmitted',
  data: { version: 2, documentUrl: 'https://docs.test/v2.pdf' },
};
export const approve = (version: number, partyId: string): DomainEvent => ({
  type: 'DraftReviewed',
  data: { version, partyId, decision: 'approve' },
});
export const toSigning: DomainEvent = { type: 'StageChanged', data: { from: 'drafting', to: 'signing' } };
export const signingScheduled: SigningScheduled = {
  type: 'SigningScheduled',
  data: {
    at: '2026-04-27T10:00:00+07:00',
    venue: 'Lapas Garut',
    signatories: [{ partyId: 'lapas-garut', name: 'Rusdedy', position: 'Kalapas' }],
    guests: [],
  },
};

export const inDrafting: DomainEvent[] = [started, audiensiScheduled, minutesProceed, toDrafting];
export const inSigning: DomainEvent[] = [
  ...inDrafting,
  draft1,
  approve(1, 'lapas-garut'),
  approve(1, 'pemkab-garut'),
  toSigning,
];
