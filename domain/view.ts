// The agreement as API.md shows it. Built from state alone, so a rebuild from events gives the same view.
import type { AgreementState, Stage } from './types.js';
import { isOverdue } from './deadlines.js';

/** What the engine keeps for its own reminders: never shown, so a rebuild need not agree on it. */
type EngineBookkeeping = 'termRecordedAt' | 'operationalAgreements' | 'monev' | 'renewalRemindersSent';

/** An operational agreement (PKS) under this one, as its own stream now stands. */
export interface ChildSummary {
  id: string;
  partyId: string;
  title: string;
  stage: Stage;
  dueBy?: string;
}

/** The view is the state without the engine's bookkeeping, plus the children read beside it. */
export type AgreementView = Omit<AgreementState, EngineBookkeeping> & { children: ChildSummary[] };

export function toView(state: AgreementState): AgreementView {
  // The bookkeeping is named only to leave it out.
  const { termRecordedAt, operationalAgreements, monev, renewalRemindersSent, ...shown } = state;
  return { ...dropUndefined(shown), children: [] };
}

/**
 * The state a stored view stands for, with the engine's bookkeeping empty. `evolve` only ever writes the
 * bookkeeping, never reads it to compute what the view shows, so folding new events onto this state gives the
 * same view as folding them onto the full state (tests/e2e/overview.test.ts checks it against a rebuild).
 */
export function stateFromView(view: AgreementView): AgreementState {
  const { children: _children, ...shown } = view;
  return { ...shown, operationalAgreements: [], monev: { remindedFor: [], overdueFor: [] }, renewalRemindersSent: [] };
}

/** Optional fields absent rather than undefined, so a view compares equal to its JSON round trip. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** One row of a list: what a person scans for, never the whole agreement. */
export type AgreementSummary = Pick<
  AgreementView,
  | 'id'
  | 'title'
  | 'instrument'
  | 'stage'
  | 'endReason'
  | 'endNote'
  | 'parties'
  | 'parentId'
  | 'renewalOf'
  | 'term'
  | 'dueBy'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
> & {
  followUpsOpen: number;
  /** Open follow-ups whose level-1 escalation day has come on `today`. */
  followUpsOverdue: number;
};

export function toSummary(view: AgreementView, today: string): AgreementSummary {
  const {
    id,
    title,
    instrument,
    stage,
    endReason,
    endNote,
    parties,
    parentId,
    renewalOf,
    term,
    dueBy,
    version,
    createdAt,
    updatedAt,
  } = view;
  const open = view.followUps.filter((f) => f.status === 'open');
  return {
    id,
    title,
    instrument,
    stage,
    endReason,
    endNote,
    parties,
    parentId,
    renewalOf,
    term,
    dueBy,
    version,
    createdAt,
    updatedAt,
    followUpsOpen: open.length,
    followUpsOverdue: open.filter((f) => isOverdue(f, today)).length,
  };
}
