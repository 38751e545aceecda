// Updates and queries of the agreement workflow, shared by the workflow and the API.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarData } from '../domain/calendar.js';
import type { AgreementState, EndReason } from '../domain/types.js';
import type { Actor, Command, CommandOf } from '../domain/commands.js';
import type { AgreementView } from '../domain/view.js';

export const TASK_QUEUE = 'sinergi';
export const workflowIdFor = (agreementId: string): string => `agreement-${agreementId}`;

export interface CommandRequest<C extends Command = Command> {
  command: C;
  actor: Actor;
}

/** Commands a person sends to a running agreement; starting one is the workflow's own input. */
export const UPDATE_COMMANDS = [
  'scheduleMeeting',
  'rescheduleMeeting',
  'cancelMeeting',
  'recordMinutes',
  'submitDraft',
  'reviewDraft',
  'scheduleSigning',
  'recordSigning',
  'remindToSign',
  'openFollowUp',
  'completeFollowUp',
  'rescheduleFollowUp',
  'cancelFollowUp',
  'commentOnFollowUp',
  'startOperationalAgreement',
  'startOperationalAgreements',
  'recordReport',
  'decideRenewal',
  'cancelAgreement',
  'setPublication',
] as const satisfies readonly Command['type'][];
export type UpdateCommandType = (typeof UPDATE_COMMANDS)[number];

export type CommandUpdates = {
  [K in UpdateCommandType]: UpdateDefinition<AgreementView, [CommandRequest<CommandOf<K>>], K>;
};

export const commandUpdates = Object.fromEntries(
  UPDATE_COMMANDS.map((name) => [name, defineUpdate<AgreementView, [CommandRequest]>(name)]),
) as unknown as CommandUpdates;

/** Returns the view once the agreement's first event is stored (read-your-writes for a create). */
export const startedUpdate = defineUpdate<AgreementView, []>('started');

export const viewQuery = defineQuery<AgreementView>('view');

/** Error type of an update refused by the agreement's rules (the API answers 409, or 400 when a field is named). */
export const COMMAND_REJECTED = 'CommandRejected';
export interface RejectionDetails {
  code: string;
  field?: string;
}

/** Sent by an umbrella agreement to each operational agreement when it ends: no answer is needed. */
export const umbrellaEndedSignal = defineSignal<[{ umbrellaId: string; reason: EndReason }]>('umbrellaEnded');

/** An operator's release of an append that keeps failing: the command is refused and the agreement goes on. */
export const releaseStuckCommandSignal = defineSignal('releaseStuckCommand');

/** What a run hands to the next when it continues as new. */
export interface CarriedState {
  state: AgreementState;
  calendar: CalendarData;
  childrenTold: string[];
  umbrellaEnded?: { umbrellaId: string; reason: EndReason };
}

export interface AgreementWorkflowInput {
  agreementId: string;
  start: CommandOf<'startAgreement'>;
  actor: Actor;
  /** Continue as new past this many history events, or when Temporal suggests it (default 10,000). */
  historyLimit?: number;
  carried?: CarriedState;
}
