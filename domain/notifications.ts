// Which e-mails each fact calls for. The activity renders and addresses them; this only decides.
import type {
  AgreementEnded,
  AgreementStarted,
  DomainEvent,
  DraftSubmitted,
  MeetingScheduled,
  RenewalDecided,
  RenewalReminderDue,
  DraftReviewed,
  ReportOverdue,
  SigningRecorded,
  SigningReminderSent,
  SigningReminderDue,
  SigningRescheduled,
  SigningScheduled,
} from './events.js';
import { ceremonyOf, type AgreementState, type ContactRole, type DraftChanges, type SigningAct } from './types.js';
import { meetingEvent, signingEvent, type CalendarEvent } from './calendar-entries.js';

export const TEMPLATES = [
  'meeting_invitation',
  'meeting_rescheduled',
  'meeting_cancelled',
  'signing_cancelled',
  'review_request',
  'signing_invitation',
  'signing_rescheduled',
  'signing_confirmation',
  'follow_up_assigned',
  'follow_up_reminder',
  'follow_up_escalation',
  'review_reminder',
  'review_overdue',
  'signing_reminder',
  'signing_overdue',
  'pks_started',
  'signing_nudge',
  'signing_turn',
  'changes_requested',
  'report_reminder',
  'report_overdue',
  'renewal_reminder',
  'renewal_decided',
  'agreement_ended',
] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export interface Audience {
  partyIds: string[];
  roles: ContactRole[];
  /** Named people; each must be a contact of one of `partyIds` when the e-mail is sent, or is left out. */
  emails?: string[];
}

/** A follow-up as its reminder and escalation e-mails speak of it. */
export interface FollowUpMail {
  followUpId: string;
  title: string;
  due: string;
  ownerPartyId: string;
  overdueOn: string;
  escalationLevel: number;
  /** The follow-up is this step of the electronic round under way: its person acts by signing, not by closing it. */
  signingStep?: { index: number; email: string };
}

/** The word counts a new draft carries, when it has them. */
const changesOf = (event: DraftSubmitted): { changes?: DraftChanges } =>
  event.data.changes ? { changes: event.data.changes } : {};

/** A draft under review as its reminder and overdue e-mails speak of it. */
export interface ReviewMail {
  version: number;
  documentUrl: string;
  reviewDueOn?: string;
  partyIds: string[];
}

/** What each template is given: the data of its fact, plus what the text needs from the state. */
export interface MailData {
  meeting_invitation: Omit<MeetingScheduled['data'], 'invitees'>;
  meeting_rescheduled: Omit<MeetingScheduled['data'], 'invitees'> & { previousAt: string };
  meeting_cancelled: Omit<MeetingScheduled['data'], 'invitees'> & { reason: string };
  signing_cancelled: { at: string; venue: string; reason: string };
  review_request: {
    version: number;
    documentUrl: string;
    sha256?: string;
    reviewDays: number;
    /** Words added and removed since the version before (drafts kept in Sinergi). */
    changes?: DraftChanges;
    /** The party whose link this e-mail carries; absent in runs from before one e-mail per party. */
    partyId?: string;
  };
  signing_invitation: SigningScheduled['data'];
  signing_rescheduled: SigningScheduled['data'] & Pick<SigningRescheduled['data'], 'previousAt'>;
  signing_confirmation: SigningRecorded['data'];
  follow_up_assigned: Omit<FollowUpMail, 'escalationLevel'> & { remindOn: string };
  follow_up_reminder: FollowUpMail;
  follow_up_escalation: FollowUpMail & { level: number };
  review_reminder: ReviewMail;
  review_overdue: ReviewMail;
  signing_reminder: SigningReminderDue['data'] & { venue?: string };
  signing_overdue: { ceremonyAt: string; venue?: string };
  signing_nudge: SigningReminderSent['data'] & { dueBy?: string };
  /** An electronic round's step has come to this person. */
  signing_turn: {
    step: number;
    steps: number;
    act: SigningAct;
    name: string;
    partyId: string;
    dueBy: string;
    /** The copy to download and sign. */
    documentId: string;
  };
  changes_requested: DraftReviewed['data'];
  pks_started: Required<Pick<AgreementStarted['data'], 'parentId'>> & Pick<AgreementStarted['data'], 'dueBy' | 'scope'>;
  report_reminder: { index: number; dueOn: string; skipped?: boolean };
  report_overdue: ReportOverdue['data'];
  renewal_reminder: RenewalReminderDue['data'];
  renewal_decided: RenewalDecided['data'] & { termEnd?: string };
  agreement_ended: AgreementEnded['data'];
}

/** One e-mail to send: its template and the data of that template, never another's. */
export type MailOf<T extends TemplateName> = {
  template: T;
  to: Audience;
  cc?: Audience;
  data: MailData[T];
  calendar?: CalendarEvent;
  /** An escalation e-mail names its follow-up and level, so its sending shows in the follow-up's view. */
  ref?: { followUpId: string; level: number };
};

export type NotificationIntent = { [T in TemplateName]: MailOf<T> }[TemplateName];

const allParties = (state: AgreementState): string[] => state.parties.map((p) => p.partyId);
const initiatorOf = (state: AgreementState): string => state.parties.find((p) => p.role === 'initiator')?.partyId ?? '';

/** The follow-up's owner: the named e-mail, or the owning party's liaisons. */
function ownerAudience(state: AgreementState, followUpId: string): Audience {
  const f = state.followUps.find((x) => x.id === followUpId);
  if (f?.ownerEmail) return { partyIds: [f.ownerPartyId], roles: [], emails: [f.ownerEmail] };
  return { partyIds: f ? [f.ownerPartyId] : [], roles: ['liaison'] };
}

// decide only records facts about follow-ups and drafts that exist, so the look-ups below always find one.
function followUpData(state: AgreementState, followUpId: string): FollowUpMail {
  const f = state.followUps.find((x) => x.id === followUpId);
  return {
    followUpId,
    title: f?.title ?? '',
    due: f?.due ?? '',
    ownerPartyId: f?.ownerPartyId ?? '',
    overdueOn: f?.overdueOn ?? '',
    escalationLevel: f?.escalationLevel ?? 0,
    ...stepOf(state, f),
  };
}

/** The step of the running electronic round a follow-up stands for, if it stands for one. */
function stepOf(state: AgreementState, f: AgreementState['followUps'][number] | undefined): Partial<FollowUpMail> {
  const round = state.signing?.method === 'electronic' && !state.signing.signedAt ? state.signing : undefined;
  const step = round?.steps.find((s) => s.status === 'current');
  if (!step || f?.purpose !== 'signing' || f.status !== 'open' || f.ownerEmail !== step.email) return {};
  return { signingStep: { index: step.index, email: step.email } };
}

function reviewData(state: AgreementState, version: number, partyIds: string[]): ReviewMail {
  const d = state.drafts.find((x) => x.version === version);
  return {
    version,
    documentUrl: d?.documentUrl ?? '',
    ...(d?.reviewDueOn ? { reviewDueOn: d.reviewDueOn } : {}),
    partyIds,
  };
}

export interface NotificationOptions {
  /** One review request per party, each with its own link; runs from before that change send one to all. */
  reviewRequestPerParty: boolean;
  /** A request for changes e-mails the initiator; runs from before that change send nothing for it. */
  changesRequestedMail?: boolean;
}

/** The notifications for events just decided; `state` is the agreement after them. */
export function notificationsFor(
  state: AgreementState,
  events: DomainEvent[],
  options: NotificationOptions = { reviewRequestPerParty: true },
): NotificationIntent[] {
  return events.flatMap((event): NotificationIntent[] => {
    switch (event.type) {
      case 'MeetingScheduled': {
        const d = event.data;
        return [
          {
            template: 'meeting_invitation',
            to: { partyIds: d.invitees, roles: ['liaison'] },
            data: { meetingId: d.meetingId, kind: d.kind, at: d.at, venue: d.venue, agenda: d.agenda },
            calendar: meetingEvent(state.title, { id: d.meetingId, kind: d.kind, at: d.at, venue: d.venue }, 0),
          },
        ];
      }
      case 'MeetingRescheduled':
      case 'MeetingCancelled': {
        const m = state.meetings.find((x) => x.id === event.data.meetingId)!;
        const meeting = {
          meetingId: m.id,
          kind: m.kind,
          at: m.at,
          venue: m.venue,
          ...(m.agenda ? { agenda: m.agenda } : {}),
        };
        const to: Audience = { partyIds: m.invitees, roles: ['liaison'] };
        const calendar = meetingEvent(state.title, m, event.data.sequence);
        if (event.type === 'MeetingRescheduled')
          return [
            { template: 'meeting_rescheduled', to, data: { ...meeting, previousAt: event.data.previousAt }, calendar },
          ];
        return [
          {
            template: 'meeting_cancelled',
            to,
            data: { ...meeting, reason: event.data.reason },
            calendar: { ...calendar, method: 'CANCEL' },
          },
        ];
      }
      case 'SigningCancelled': {
        // Only a ceremony ahead is called off (an electronic round has no date to cancel).
        const s = ceremonyOf(state.signing)!;
        return [
          {
            template: 'signing_cancelled',
            to: { partyIds: allParties(state), roles: ['liaison', 'signatory'] },
            data: { at: s.at, venue: s.venue, reason: event.data.reason },
            calendar: { ...signingEvent(state.id, state.title, s, event.data.sequence), method: 'CANCEL' },
          },
        ];
      }
      case 'DraftSubmitted':
        if (!options.reviewRequestPerParty) {
          return [
            {
              template: 'review_request',
              to: { partyIds: allParties(state), roles: ['liaison'] },
              data: {
                version: event.data.version,
                documentUrl: event.data.documentUrl,
                sha256: event.data.sha256,
                reviewDays: state.policy.reviewDays,
                ...changesOf(event),
              },
            },
          ];
        }
        // One e-mail per party: each carries a review link that acts for that party only.
        return state.parties.map((p) => ({
          template: 'review_request',
          to: { partyIds: [p.partyId], roles: ['liaison'] },
          data: {
            version: event.data.version,
            documentUrl: event.data.documentUrl,
            sha256: event.data.sha256,
            reviewDays: state.policy.reviewDays,
            partyId: p.partyId,
            ...changesOf(event),
          },
        }));
      case 'SigningScheduled':
      case 'SigningRescheduled': {
        const { at, venue, signatories, guests } = event.data;
        const to: Audience = { partyIds: allParties(state), roles: ['liaison', 'signatory'] };
        const sequence = event.type === 'SigningRescheduled' ? event.data.sequence : 0;
        const calendar = signingEvent(state.id, state.title, { at, venue }, sequence);
        const data = { at, venue, signatories, guests };
        if (event.type === 'SigningScheduled') return [{ template: 'signing_invitation', to, data, calendar }];
        return [
          { template: 'signing_rescheduled', to, data: { ...data, previousAt: event.data.previousAt }, calendar },
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
            to: {
              partyIds: [d.ownerPartyId],
              roles: d.ownerEmail ? [] : ['liaison'],
              ...(d.ownerEmail ? { emails: [d.ownerEmail] } : {}),
            },
            data: {
              followUpId: d.followUpId,
              title: d.title,
              due: d.due,
              ownerPartyId: d.ownerPartyId,
              remindOn: d.remindOn,
              overdueOn: d.overdueOn,
            },
          },
        ];
      }
      case 'FollowUpReminderDue':
        return [
          {
            template: 'follow_up_reminder',
            to: ownerAudience(state, event.data.followUpId),
            data: followUpData(state, event.data.followUpId),
          },
        ];
      case 'FollowUpEscalated': {
        const { followUpId, level } = event.data;
        const owner = state.followUps.find((f) => f.id === followUpId)?.ownerPartyId ?? '';
        const to: Audience = { partyIds: [level === 1 ? owner : initiatorOf(state)], roles: ['supervisor'] };
        // Level 1 copies the owner; level 2 copies the owner and the owner's supervisors, who were told at level 1.
        const ownerCopy = ownerAudience(state, followUpId);
        const cc: Audience =
          level === 1
            ? ownerCopy
            : {
                partyIds: [owner],
                roles: ownerCopy.emails ? ['supervisor'] : ['liaison', 'supervisor'],
                ...(ownerCopy.emails ? { emails: ownerCopy.emails } : {}),
              };
        return [
          {
            template: 'follow_up_escalation',
            to,
            cc,
            data: { ...followUpData(state, followUpId), level },
            ref: { followUpId, level },
          },
        ];
      }
      case 'DraftReviewReminderDue':
        return [
          {
            template: 'review_reminder',
            to: { partyIds: event.data.partyIds, roles: ['liaison'] },
            data: reviewData(state, event.data.version, event.data.partyIds),
          },
        ];
      case 'DraftReviewOverdue':
        return [
          {
            template: 'review_overdue',
            to: { partyIds: event.data.partyIds, roles: ['supervisor'] },
            cc: { partyIds: event.data.partyIds, roles: ['liaison'] },
            data: reviewData(state, event.data.version, event.data.partyIds),
          },
        ];
      case 'SigningReminderDue':
        if (event.data.skipped) return [];
        return [
          {
            template: 'signing_reminder',
            to: { partyIds: allParties(state), roles: ['liaison', 'signatory'] },
            data: { ...event.data, venue: ceremonyOf(state.signing)?.venue },
          },
        ];
      case 'SigningOverdue':
        return [
          {
            template: 'signing_overdue',
            to: { partyIds: [initiatorOf(state)], roles: ['supervisor'] },
            cc: { partyIds: [initiatorOf(state)], roles: ['liaison'] },
            data: { ...event.data, venue: ceremonyOf(state.signing)?.venue },
          },
        ];
      case 'AgreementStarted':
        if (!event.data.parentId) return [];
        return [
          {
            template: 'pks_started',
            to: { partyIds: allParties(state), roles: ['liaison'] },
            data: { parentId: event.data.parentId, dueBy: event.data.dueBy, scope: event.data.scope },
          },
        ];
      case 'DraftReviewed':
        // The initiator hears of a request for changes at once; an approval shows in the view and the next step.
        if (event.data.decision !== 'request_changes' || options.changesRequestedMail === false) return [];
        return [
          {
            template: 'changes_requested',
            to: { partyIds: [initiatorOf(state)], roles: ['liaison'] },
            data: { ...event.data },
          },
        ];
      case 'ElectronicSigningStarted':
      case 'SignedCopyAccepted': {
        // The next person whose turn it is, alone: their link acts for their step only.
        const round = state.signing?.method === 'electronic' ? state.signing : undefined;
        const index = event.type === 'ElectronicSigningStarted' ? 0 : event.data.step + 1;
        const steps = event.type === 'ElectronicSigningStarted' ? event.data.steps : (round?.steps ?? []);
        const next = steps[index];
        if (!next) return [];
        const documentId = event.data.document.documentId;
        const dueBy = event.type === 'ElectronicSigningStarted' ? event.data.dueBy : (round?.dueBy ?? '');
        return [
          {
            template: 'signing_turn',
            to: { partyIds: [next.partyId], roles: [], emails: [next.email] },
            cc: { partyIds: [initiatorOf(state)], roles: ['liaison'] },
            data: {
              step: index,
              steps: steps.length,
              act: next.act,
              name: next.name,
              partyId: next.partyId,
              dueBy,
              documentId,
            },
          },
        ];
      }
      case 'SigningReminderSent':
        return [
          {
            template: 'signing_nudge',
            to: { partyIds: event.data.partyIds, roles: ['liaison', 'signatory'] },
            cc: { partyIds: [initiatorOf(state)], roles: ['liaison'] },
            data: { ...event.data, ...(state.dueBy ? { dueBy: state.dueBy } : {}) },
          },
        ];
      case 'ReportReminderDue':
        if (event.data.skipped) return [];
        return [
          {
            template: 'report_reminder',
            to: { partyIds: allParties(state), roles: ['liaison'] },
            data: { ...event.data },
          },
        ];
      case 'ReportOverdue':
        return [
          {
            template: 'report_overdue',
            to: { partyIds: allParties(state), roles: ['supervisor'] },
            cc: { partyIds: allParties(state), roles: ['liaison'] },
            data: { ...event.data },
          },
        ];
      case 'RenewalReminderDue':
        if (event.data.skipped) return [];
        return [
          {
            template: 'renewal_reminder',
            to: { partyIds: allParties(state), roles: ['liaison', 'signatory'] },
            data: { ...event.data },
          },
        ];
      case 'RenewalDecided':
        return [
          {
            template: 'renewal_decided',
            to: { partyIds: allParties(state), roles: ['liaison'] },
            data: { ...event.data, termEnd: state.term?.end },
          },
        ];
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
