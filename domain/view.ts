// The agreement as API.md shows it. Built from state alone, so a rebuild from events gives the same view.
import type { AgreementState, Draft, EndReason, FollowUp, Instrument, Meeting, Policy, Report, Signing, Stage, StageReached, AgreementParty } from './types.js';

export interface AgreementView {
  id: string;
  title: string;
  instrument: Instrument;
  stage: Stage;
  endReason?: EndReason;
  endNote?: string;
  parties: AgreementParty[];
  scope: string[];
  termMonths: number;
  policy: Policy;
  parentId?: string;
  renewalOf?: string;
  children: { id: string; partyId: string; title: string; stage: Stage; dueBy?: string }[];
  meetings: Meeting[];
  drafts: Draft[];
  signing?: Signing;
  followUps: FollowUp[];
  reports: Report[];
  term?: { start: string; end: string };
  dueBy?: string;
  renewal?: AgreementState['renewal'];
  stageHistory: StageReached[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toView(state: AgreementState): AgreementView {
  return {
    id: state.id,
    title: state.title,
    instrument: state.instrument,
    stage: state.stage,
    ...(state.endReason ? { endReason: state.endReason } : {}),
    ...(state.endNote ? { endNote: state.endNote } : {}),
    parties: state.parties,
    scope: state.scope,
    termMonths: state.termMonths,
    policy: state.policy,
    ...(state.parentId ? { parentId: state.parentId } : {}),
    ...(state.renewalOf ? { renewalOf: state.renewalOf } : {}),
    children: [],
    meetings: state.meetings,
    drafts: state.drafts,
    ...(state.signing ? { signing: state.signing } : {}),
    followUps: state.followUps,
    reports: state.reports,
    ...(state.term ? { term: state.term } : {}),
    ...(state.dueBy ? { dueBy: state.dueBy } : {}),
    ...(state.renewal ? { renewal: state.renewal } : {}),
    stageHistory: state.stageHistory,
    version: state.version,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
}

/** One row of a list: what a person scans for, never the whole agreement. */
export type AgreementSummary = Pick<
  AgreementView,
  'id' | 'title' | 'instrument' | 'stage' | 'endReason' | 'endNote' | 'parties' | 'parentId' | 'renewalOf' | 'term' | 'dueBy' |
  'version' | 'createdAt' | 'updatedAt'
> & {
  followUpsOpen: number;
  /** Open follow-ups whose level-1 escalation day has come on `today`. */
  followUpsOverdue: number;
};

export function toSummary(view: AgreementView, today: string): AgreementSummary {
  const { id, title, instrument, stage, endReason, endNote, parties, parentId, renewalOf, term, dueBy, version, createdAt, updatedAt } = view;
  const open = view.followUps.filter((f) => f.status === 'open');
  return {
    id, title, instrument, stage, endReason, endNote, parties, parentId, renewalOf, term, dueBy, version, createdAt, updatedAt,
    followUpsOpen: open.length,
    followUpsOverdue: open.filter((f) => f.overdueOn <= today).length,
  };
}
