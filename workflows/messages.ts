// Updates and queries of the agreement workflow, shared by the workflow and the API.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarData } from '../domain/calendar.js';
import type { AgreementState, EndReason } from '../domain/types.js';
import type { Actor, Command, CommandOf } from '../domain/commands.js';
import { PERSON_COMMANDS } from '../domain/preconditions.js';
import type { AgreementView } from '../domain/view.js';

export const TASK_QUEUE = 'sinergi';
export const workflowIdFor = (agreementId: string): string => `agreement-${agreementId}`;

export interface CommandRequest<C extends Command = Command> {
  command: C;
  actor: Actor;
}

/** Commands a person sends to a running agreement; starting one is the workflow's own input. */
/** Each command a person may send is an Update of the same name: the list is the domain's. */
export const UPDATE_COMMANDS = PERSON_COMMANDS;
export type UpdateCommandType = (typeof UPDATE_COMMANDS)[number];

export type CommandUpdates = {
  [K in UpdateCommandType]: UpdateDefinition<AgreementView, [CommandRequest<CommandOf<K>>], K>;
};

/** The Update for one command, typed by it: its request carries exactly that command. */
export function commandUpdate<K extends UpdateCommandType>(
  name: K,
): UpdateDefinition<AgreementView, [CommandRequest<CommandOf<K>>], K> {
  return defineUpdate<AgreementView, [CommandRequest<CommandOf<K>>], K>(name);
}

// Written out, so the compiler checks that every command has its Update.
export const commandUpdates: CommandUpdates = {
  scheduleMeeting: commandUpdate('scheduleMeeting'),
  rescheduleMeeting: commandUpdate('rescheduleMeeting'),
  cancelMeeting: commandUpdate('cancelMeeting'),
  recordMinutes: commandUpdate('recordMinutes'),
  submitDraft: commandUpdate('submitDraft'),
  reviewDraft: commandUpdate('reviewDraft'),
  scheduleSigning: commandUpdate('scheduleSigning'),
  recordSigning: commandUpdate('recordSigning'),
  remindToSign: commandUpdate('remindToSign'),
  openFollowUp: commandUpdate('openFollowUp'),
  completeFollowUp: commandUpdate('completeFollowUp'),
  rescheduleFollowUp: commandUpdate('rescheduleFollowUp'),
  cancelFollowUp: commandUpdate('cancelFollowUp'),
  commentOnFollowUp: commandUpdate('commentOnFollowUp'),
  startOperationalAgreement: commandUpdate('startOperationalAgreement'),
  startOperationalAgreements: commandUpdate('startOperationalAgreements'),
  recordSignedCopy: commandUpdate('recordSignedCopy'),
  recordReport: commandUpdate('recordReport'),
  decideRenewal: commandUpdate('decideRenewal'),
  cancelAgreement: commandUpdate('cancelAgreement'),
  setPublication: commandUpdate('setPublication'),
};

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
  /**
   * Set by `sinergi recover` when it starts the run again from the events on a cluster that lost it: the e-mails
   * recorded and not yet sent, in their order; and nothing published on this cluster yet.
   */
  recovered?: { outbox: string[] };
}

export interface AgreementWorkflowInput {
  agreementId: string;
  start: CommandOf<'startAgreement'>;
  actor: Actor;
  /** Continue as new past this many history events, or when Temporal suggests it (default 10,000). */
  historyLimit?: number;
  carried?: CarriedState;
}
