// The e-mailed invitation and the subscription feed are one event: built by one function (domain/calendar-entries.ts),
// read back here from both iCalendar texts and compared property by property.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { invitation } from '../../activities/notifications/calendar.js';
import { partyCalendar } from '../../api/routes/calendar.js';
import type { DomainEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { notificationsFor } from '../../domain/notifications.js';
import { toView } from '../../domain/view.js';
import { record } from './given-when-then.js';
import { audiensiScheduled, inSigning, signingScheduled, started } from './fixtures.js';

const PROPERTIES = ['uid', 'summary', 'dtstart', 'dtend', 'location', 'sequence'] as const;

function read(ics: string, uid: string): Record<string, string> {
  const event = new ICAL.Component(ICAL.parse(ics))
    .getAllSubcomponents('vevent')
    .find((e) => String(e.getFirstPropertyValue('uid')) === uid);
  if (!event) throw new Error(`no event ${uid}`);
  return Object.fromEntries(PROPERTIES.map((p) => [p, String(event.getFirstPropertyValue(p) ?? '')]));
}

function sameInBoth(history: DomainEvent[], fact: DomainEvent): void {
  const state = fold('a1', record([...history, fact]));
  const [mail] = notificationsFor(state, [fact]);
  const event = mail!.calendar!;
  const invited = read(invitation(event, '2026-02-01T00:00:00Z', 'sinergi@test', ['a@test'], 'd'), event.uid);
  const fed = read(partyCalendar('lapas-garut', [toView(state)], Date.parse('2026-02-01T00:00:00Z')), event.uid);
  expect(fed).toEqual(invited);
  expect(invited['summary']).not.toBe('');
}

describe('one calendar event for the invitation and the feed', () => {
  it('is the same meeting in both', () => sameInBoth([started], audiensiScheduled));
  it('is the same moved meeting in both', () =>
    sameInBoth([started, audiensiScheduled], {
      type: 'MeetingRescheduled',
      data: { meetingId: 'm1', at: '2026-02-09T13:00:00+07:00', venue: 'Aula', previousAt: 'x', sequence: 1 },
    }));
  it('is the same signing ceremony in both', () => sameInBoth(inSigning, signingScheduled));
});
