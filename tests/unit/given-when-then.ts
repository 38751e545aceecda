// Given these events, when this command, then these events (or this refusal).
import { expect } from 'vitest';
import type { Command } from '../../domain/commands.js';
import { decide } from '../../domain/decide.js';
import type { DomainEvent, RecordedEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { CommandRejected } from '../../domain/rejection.js';
import { officialCalendar } from './official-calendar.js';

const calendar = officialCalendar();

export const NOW = '2026-02-06T02:00:00.000Z';

export function record(events: DomainEvent[]): RecordedEvent[] {
  return events.map((e, i) => ({ ...e, id: `e${i}`, meta: { actor: { kind: 'token', id: 't' }, occurredAt: NOW } }));
}

export function given(...events: DomainEvent[]) {
  const state = fold('a1', record(events));
  let n = 0;
  const run = (command: Command) => decide(state, command, { now: NOW, newId: () => `id-${++n}`, calendar });
  return {
    state,
    when: (command: Command) => ({
      then: (expected: DomainEvent[]) => expect(run(command)).toEqual(expected),
      thenTypes: (types: string[]) => expect(run(command).map((e) => e.type)).toEqual(types),
      events: () => run(command),
      thenRejected: (code: string, field?: string) => {
        try {
          run(command);
        } catch (err) {
          expect(err).toBeInstanceOf(CommandRejected);
          expect((err as CommandRejected).code).toBe(code);
          expect((err as CommandRejected).field).toBe(field);
          expect((err as CommandRejected).message.length).toBeGreaterThan(10);
          return;
        }
        throw new Error(`expected ${command.type} to be refused with ${code}`);
      },
    }),
  };
}
