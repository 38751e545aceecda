// What a calendar shows of an agreement: its meetings, its signing ceremony and its follow-up due dates.
// One definition for the e-mailed invitation, the subscription feed and the month view, so all three
// carry the same UID, title and length for the same event.
import { MEETING_KIND_LABEL } from './labels.js';
import { ceremonyOf, type Cancellation, type CeremonySigning, type Meeting } from './types.js';
import type { AgreementView } from './view.js';

export const MEETING_MINUTES = 120;
export const SIGNING_MINUTES = 180;

export const meetingUid = (meetingId: string): string => `meeting-${meetingId}@sinergi`;
export const signingUid = (agreementId: string): string => `signing-${agreementId}@sinergi`;
export const followUpUid = (followUpId: string): string => `followup-${followUpId}@sinergi`;

export interface CalendarEvent {
  /** Stable per meeting or ceremony, so a reschedule updates the same calendar entry. */
  uid: string;
  sequence: number;
  /** REQUEST invites or moves; CANCEL calls it off (the same UID, a higher SEQUENCE). */
  method?: 'REQUEST' | 'CANCEL';
  start: string;
  durationMinutes: number;
  summary: string;
  location: string;
}

export function meetingEvent(
  title: string,
  m: Pick<Meeting, 'id' | 'kind' | 'at' | 'venue'>,
  sequence: number,
): CalendarEvent {
  return {
    uid: meetingUid(m.id),
    sequence,
    start: m.at,
    durationMinutes: MEETING_MINUTES,
    summary: `${MEETING_KIND_LABEL[m.kind]}: ${title}`,
    location: m.venue,
  };
}

export function signingEvent(
  agreementId: string,
  title: string,
  s: Pick<CeremonySigning, 'at' | 'venue'>,
  sequence: number,
): CalendarEvent {
  return {
    uid: signingUid(agreementId),
    sequence,
    start: s.at,
    durationMinutes: SIGNING_MINUTES,
    summary: `Penandatanganan: ${title}`,
    location: s.venue,
  };
}

/** One entry as a calendar shows it: a timed event, or a follow-up's due day. */
export type CalendarEntry =
  | (CalendarEvent & { kind: 'meeting' | 'signing'; agreementId: string; cancelled?: Cancellation })
  | {
      kind: 'follow_up';
      uid: string;
      agreementId: string;
      due: string;
      summary: string;
      description: string;
      ownerPartyId: string;
    };

/**
 * An agreement's entries. Meetings and ceremonies called off are kept (marked) so subscribed calendars drop them;
 * an ended agreement keeps only those. `followUpsOf` picks whose due dates show.
 */
export function calendarEntries(a: AgreementView, followUpsOf: (ownerPartyId: string) => boolean): CalendarEntry[] {
  const ended = a.stage === 'ended';
  const entries: CalendarEntry[] = [];
  for (const m of a.meetings) {
    if (ended && !m.cancelled) continue;
    entries.push({
      ...meetingEvent(a.title, m, m.sequence ?? 0),
      kind: 'meeting',
      agreementId: a.id,
      ...cancelledOf(m.cancelled),
    });
  }
  // An electronic round has no time or place to put in a calendar.
  const s = ceremonyOf(a.signing);
  if (s && !s.signedAt && (!ended || s.cancelled)) {
    entries.push({
      ...signingEvent(a.id, a.title, s, s.rescheduled),
      kind: 'signing',
      agreementId: a.id,
      ...cancelledOf(s.cancelled),
    });
  }
  if (ended) return entries;
  for (const f of a.followUps) {
    if (f.status !== 'open' || !followUpsOf(f.ownerPartyId)) continue;
    entries.push({
      kind: 'follow_up',
      uid: followUpUid(f.id),
      agreementId: a.id,
      due: f.due,
      summary: `Batas tindak lanjut: ${f.title}`,
      description: a.title,
      ownerPartyId: f.ownerPartyId,
    });
  }
  return entries;
}

const cancelledOf = (c: Cancellation | undefined) => (c ? { cancelled: c } : {});
