// No agreement can outgrow Temporal: the largest agreement the schemas allow is refused for its size, with a reason,
// before any append or view passes Temporal's 2 MB payload limit, and the agreement stays usable after.
import { describe, expect, it } from 'vitest';
import type { Command } from '../../domain/commands.js';
import { decide } from '../../domain/decide.js';
import type { RecordedEvent } from '../../domain/events.js';
import { evolve, initialState } from '../../domain/evolve.js';
import { MAX_PARTIES, MAX_PER_AGREEMENT, VIEW_BUDGET_BYTES, utf8Length, viewBytes } from '../../domain/limits.js';
import { CommandRejected } from '../../domain/rejection.js';
import { DEFAULT_POLICY, type AgreementState } from '../../domain/types.js';
import { toView } from '../../domain/view.js';
import { officialCalendar } from './official-calendar.js';

const TEMPORAL_PAYLOAD_LIMIT = 2 * 1024 * 1024;
const calendar = officialCalendar();
// The schemas' own maxima (api/schemas): names 200, long texts 5000, attendees 200, scope 100, follow-ups 100, parties MAX_PARTIES.
const text = (n: number, unit = 'x') => unit.repeat(n);
const PARTIES = Array.from({ length: MAX_PARTIES }, (_, i) => ({
  partyId: `pihak-${String(i).padStart(2, '0')}`,
  role: i === 0 ? ('initiator' as const) : ('counterpart' as const),
  timeZone: 'Asia/Jakarta' as const,
}));

function run(unit: string) {
  let state: AgreementState = initialState('besar');
  let n = 0;
  const now = '2026-02-06T02:00:00.000Z';
  const largest = { append: 0, view: 0 };
  const send = (command: Command): void => {
    const decided = decide(state, command, {
      now,
      newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      calendar,
    });
    const events = decided.map(
      (e, i) =>
        ({
          ...e,
          id: `e${state.version + i}`,
          meta: { actor: { kind: 'token', id: 't' }, occurredAt: now },
        }) as RecordedEvent,
    );
    state = events.reduce(evolve, state);
    const view = JSON.stringify(toView(state));
    largest.view = Math.max(largest.view, utf8Length(view));
    largest.append = Math.max(largest.append, utf8Length(JSON.stringify({ events, view: toView(state) })));
  };
  send({
    type: 'startAgreement',
    title: text(200, unit),
    instrument: 'nota_kesepakatan',
    parties: PARTIES,
    scope: Array.from({ length: 100 }, () => text(200, unit)),
    termMonths: 60,
    policy: DEFAULT_POLICY,
  });
  let meetingsWithMinutes = 0;
  let refusal: CommandRejected | undefined;
  for (let i = 0; i < MAX_PER_AGREEMENT.meetings + 1 && !refusal; i++) {
    try {
      send({
        type: 'scheduleMeeting',
        kind: 'coordination',
        at: '2026-02-02T09:00:00+07:00',
        venue: text(200, unit),
        agenda: text(5000, unit),
      });
      const meetingId = state.meetings.at(-1)!.id;
      send({
        type: 'recordMinutes',
        meetingId,
        summary: text(5000, unit),
        attendees: Array.from({ length: 200 }, (_, a) => ({
          name: text(200, unit),
          position: text(200, unit),
          partyId: PARTIES[a % MAX_PARTIES]!.partyId,
        })),
        agreedScope: Array.from({ length: 100 }, () => text(200, unit)),
        followUps: Array.from({ length: 100 }, (_, f) => ({
          title: text(200, unit),
          ownerPartyId: PARTIES[f % MAX_PARTIES]!.partyId,
          due: '2026-06-30',
        })),
      });
      meetingsWithMinutes++;
    } catch (err) {
      if (!(err instanceof CommandRejected)) throw err;
      refusal = err;
    }
  }
  return { state, largest, meetingsWithMinutes, refusal, send };
}

describe('the size of one agreement', () => {
  for (const [label, unit] of [
    ['ASCII text', 'x'],
    ['four-byte characters', '\u{1F600}'],
  ] as const) {
    it(`refuses the largest agreement the schemas allow before Temporal's limit (${label})`, () => {
      const { state, largest, refusal, send, meetingsWithMinutes } = run(unit);
      // ASCII minutes of the largest size fit a few times; four-byte ones are refused at the first.
      expect(meetingsWithMinutes).toBe(unit === 'x' ? 2 : 0);
      expect(refusal?.code).toBe('agreement_too_large');
      expect(refusal?.message).toMatch(/melebihi batas 512 KB/);
      expect(refusal?.field).toBeUndefined(); // a 409, not a 400
      expect(largest.view).toBeLessThanOrEqual(VIEW_BUDGET_BYTES);
      expect(largest.append).toBeLessThan(TEMPORAL_PAYLOAD_LIMIT);
      expect(viewBytes(state)).toBeLessThanOrEqual(VIEW_BUDGET_BYTES);
      // Still usable: a small command goes through.
      const version = state.version;
      expect(() =>
        send({ type: 'cancelAgreement', reason: 'Terlalu besar; dipecah menjadi dua kesepakatan.' }),
      ).not.toThrow();
      expect(version).toBeGreaterThan(1);
    });
  }

  it('caps the counts a real agreement never reaches, with a reason', () => {
    let state: AgreementState = initialState('banyak');
    const now = '2026-02-06T02:00:00.000Z';
    let n = 0;
    const send = (command: Command) => {
      const events = decide(state, command, { now, newId: () => `id-${++n}`, calendar }).map(
        (e) => ({ ...e, id: `e${++n}`, meta: { actor: { kind: 'token', id: 't' }, occurredAt: now } }) as RecordedEvent,
      );
      state = events.reduce(evolve, state);
    };
    send({
      type: 'startAgreement',
      title: 'T',
      instrument: 'nota_kesepahaman',
      parties: PARTIES.slice(0, 2),
      scope: [],
      termMonths: 60,
      policy: DEFAULT_POLICY,
    });
    for (let i = 0; i < MAX_PER_AGREEMENT.meetings; i++)
      send({ type: 'scheduleMeeting', kind: 'coordination', at: '2026-03-02T09:00:00+07:00', venue: 'Aula' });
    let code: string | undefined;
    try {
      send({ type: 'scheduleMeeting', kind: 'coordination', at: '2026-03-02T09:00:00+07:00', venue: 'Aula' });
    } catch (err) {
      code = (err as CommandRejected).code;
    }
    expect(code).toBe('limit_reached');
    expect(state.meetings).toHaveLength(MAX_PER_AGREEMENT.meetings);
  });
});
