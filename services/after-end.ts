// What may still be recorded on an agreement after its workflow has closed: `decide` answers, as for any command
// (today only withdrawing a publication passes), and the events are appended with their read models as the
// workflow's own append would. No workflow writes this stream any more, so nothing races it but another such call.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ExpectedVersionConflictError, appendToStream } from '../activities/event-store/append.js';
import { readStream, toRecordedEvent } from '../activities/event-store/read.js';
import { inlineProjections } from '../activities/projections/inline.js';
import { EMPTY_CALENDAR, WorkingCalendar } from '../domain/calendar.js';
import type { Actor, Command } from '../domain/commands.js';
import { decide } from '../domain/decide.js';
import type { RecordedEvent } from '../domain/events.js';
import { evolve, fold } from '../domain/evolve.js';
import { toView, type AgreementView } from '../domain/view.js';
import type { Database } from '../schema/database.js';

export async function recordAfterEnd(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  command: Command,
  tries = 2,
): Promise<AgreementView> {
  const state = fold(id, (await readStream(db, id)).map(toRecordedEvent));
  const now = new Date().toISOString();
  // Throws CommandRejected (agreement_ended for anything but what the rules still allow).
  const decided = decide(state, command, { now, newId: randomUUID, calendar: new WorkingCalendar(EMPTY_CALENDAR) });
  if (decided.length === 0) return toView(state);
  const events: RecordedEvent[] = decided.map(
    (e) => ({ ...e, id: randomUUID(), meta: { actor, occurredAt: now } }) as RecordedEvent,
  );
  const view = toView(events.reduce(evolve, state));
  try {
    await appendToStream(db, id, state.version, events, inlineProjections(view, events));
  } catch (err) {
    // Two such commands at once: decide again on what the other stored.
    if (err instanceof ExpectedVersionConflictError && tries > 1)
      return recordAfterEnd(db, actor, id, command, tries - 1);
    throw err;
  }
  return view;
}
