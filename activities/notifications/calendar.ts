// The iCalendar invitation attached to meeting and ceremony e-mails.
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { CalendarEvent } from '../../domain/calendar-entries.js';

export function invitation(
  event: CalendarEvent,
  stamp: string,
  organizerEmail: string,
  attendees: string[],
  description: string,
): string {
  const cancel = event.method === 'CANCEL';
  const method = cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  const calendar = ical({ prodId: { company: 'Sinergi', product: 'sinergi', language: 'ID' }, method });
  const start = new Date(event.start);
  calendar.createEvent({
    id: event.uid,
    sequence: event.sequence,
    start,
    end: new Date(start.getTime() + event.durationMinutes * 60_000),
    stamp: new Date(stamp),
    summary: event.summary,
    location: event.location,
    description,
    organizer: { name: 'Sinergi', email: organizerEmail },
    ...(cancel ? { status: ICalEventStatus.CANCELLED } : {}),
    attendees: attendees.map((email) => ({ email, rsvp: true })),
  });
  return calendar.toString();
}
