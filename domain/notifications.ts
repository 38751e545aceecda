// Which e-mails each fact calls for. The activity renders and addresses them; this only decides.
import type { DomainEvent } from './events.js';
import type { AgreementState, ContactRole } from './types.js';

export const TEMPLATES = [
  'meeting_invitation',
  'review_request',
  'signing_invitation',
  'signing_rescheduled',
  'signing_confirmation',
  'follow_up_assigned',
  'agreement_ended',
] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export interface Audience {
  partyIds: string[];
  roles: ContactRole[];
  emails?: string[];
}

export interface CalendarEvent {
  /** Stable per meeting or ceremony, so a reschedule updates the same calendar entry. */
  uid: string;
  sequence: number;
  start: string;
  durationMinutes: number;
  summary: string;
  location: string;
}

export interface NotificationIntent {
  template: TemplateName;
  to: Audience;
  cc?: Audience;
  data: Record<string, unknown>;
  calendar?: CalendarEvent;
}

export const meetingUid = (meetingId: string): string => `meeting-${meetingId}@sinergi`;
export const signingUid = (agreementId: string): string => `signing-${agreementId}@sinergi`;

const allParties = (state: AgreementState): string[] => state.parties.map((p) => p.partyId);

/** The notifications for events just decided; `state` is the agreement after them. */
export function notificationsFor(state: AgreementState, events: DomainEvent[]): NotificationIntent[] {
  return events.flatMap((event): NotificationIntent[] => {
    switch (event.type) {
      case 'MeetingScheduled': {
        const d = event.data;
        return [
          {
            template: 'meeting_invitation',
            to: { partyIds: d.invitees, roles: ['liaison'] },
            data: { meetingId: d.meetingId, kind: d.kind, at: d.at, venue: d.venue, agenda: d.agenda },
            calendar: { uid: meetingUid(d.meetingId), sequence: 0, start: d.at, durationMinutes: 120, summary: state.title, location: d.venue },
          },
        ];
      }
      case 'DraftSubmitted':
        return [
          {
            template: 'review_request',
            to: { partyIds: allParties(state), roles: ['liaison'] },
            data: { version: event.data.version, documentUrl: event.data.documentUrl, sha256: event.data.sha256, reviewDays: state.policy.reviewDays },
          },
        ];
      case 'SigningScheduled':
      case 'SigningRescheduled': {
        const d = event.data;
        const rescheduled = event.type === 'SigningRescheduled';
        return [
          {
            template: rescheduled ? 'signing_rescheduled' : 'signing_invitation',
            to: { partyIds: allParties(state), roles: ['liaison', 'signatory'] },
            data: { at: d.at, venue: d.venue, signatories: d.signatories, guests: d.guests, ...(rescheduled ? { previousAt: event.data.previousAt } : {}) },
            calendar: {
              uid: signingUid(state.id),
              sequence: rescheduled ? event.data.sequence : 0,
              start: d.at,
              durationMinutes: 180,
              summary: `Penandatanganan: ${state.title}`,
              location: d.venue,
            },
          },
        ];
      }
      case 'SigningRecorded':
        return [
          {
            template: 'signing_confirmation',
            to: { partyIds: allParties(state), roles: ['liaison', 'signatory'] },
            data: { ...event.data },
          },
        ];
      case 'FollowUpOpened': {
        const d = event.data;
        return [
          {
            template: 'follow_up_assigned',
            to: { partyIds: d.ownerEmail ? [] : [d.ownerPartyId], roles: ['liaison'], ...(d.ownerEmail ? { emails: [d.ownerEmail] } : {}) },
            data: { followUpId: d.followUpId, title: d.title, due: d.due, ownerPartyId: d.ownerPartyId },
          },
        ];
      }
      case 'AgreementEnded':
        return [
          {
            template: 'agreement_ended',
            to: { partyIds: allParties(state), roles: ['liaison'] },
            data: { reason: event.data.reason, note: event.data.note },
          },
        ];
      default:
        return [];
    }
  });
}
