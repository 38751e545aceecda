// The iCalendar invitation attached to meeting and ceremony e-mails.
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { CalendarEvent } from '../../domain/notifications.js';

export function invitation(event: CalendarEvent, stamp: string, organizerEmail: string, attendees: string[], description: string): string {
  const calendar = ical({ prodId: { company: 'Sinergi', product: 'sinergi', language: 'ID' }, method: ICalCalendarMethod.REQUEST });
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
    attendees: attendees.map((email) => ({ email, rsvp: true })),
  });
  return calendar.toString();
}
