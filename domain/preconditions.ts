// What each command a person sends needs of the agreement's state, before its input is looked at. `decide` runs
// these first, and `allowedCommands` asks them which commands a viewer may send now: one source for both.
import type { Command, CommandOf } from './commands.js';
import { STAGE_LABEL } from './labels.js';
import { CommandRejected, reject } from './rejection.js';
import type { AgreementState, Draft, FollowUp, Meeting, Stage } from './types.js';

/** The commands people send; the engine's own (start, deadlines, the umbrella's end) are not offered to anyone. */
export const PERSON_COMMANDS = [
  'scheduleMeeting',
  'rescheduleMeeting',
  'cancelMeeting',
  'recordMinutes',
  'submitDraft',
  'reviewDraft',
  'scheduleSigning',
  'recordSignedCopy',
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
export type PersonCommand = (typeof PERSON_COMMANDS)[number];

function requireStage(state: Conditions, allowed: Stage[], action: string): void {
  if (!allowed.includes(state.stage)) {
    const where = allowed.map((s) => STAGE_LABEL[s]).join(', ');
    reject(
      'wrong_stage',
      `${action} hanya bisa dilakukan pada tahap ${where}; kesepakatan ini berada pada ` +
        `tahap ${STAGE_LABEL[state.stage]}.`,
    );
  }
}

function requireNotEnded(state: Pick<Conditions, 'stage'>, action: string): void {
  if (state.stage === 'ended')
    reject('agreement_ended', `${action} tidak bisa dilakukan: kesepakatan ini sudah berakhir.`);
}

/** The part of an agreement the preconditions read: its state, or the view built from it. */
export type Conditions = Pick<AgreementState, 'stage' | 'drafts' | 'signing' | 'renewal' | 'published'>;

const electronicRoundRunning = (s: Conditions): boolean =>
  s.signing?.method === 'electronic' && !s.signing.signedAt && !s.signing.cancelled;

const followUpOpen = (action: string) => (s: Conditions) => requireNotEnded(s, action);

export const PRECONDITIONS: { [T in PersonCommand]: (state: Conditions) => void } = {
  scheduleMeeting: (s) => requireStage(s, ['exploration', 'drafting', 'active'], 'Menjadwalkan pertemuan'),
  recordMinutes: (s) => requireNotEnded(s, 'Mencatat notulen'),
  rescheduleMeeting: (s) => requireNotEnded(s, 'Mengubah jadwal pertemuan'),
  cancelMeeting: (s) => requireNotEnded(s, 'Membatalkan pertemuan'),
  submitDraft: (s) => requireStage(s, ['drafting'], 'Mengajukan draf'),
  reviewDraft: (s) => {
    requireStage(s, ['drafting'], 'Meninjau draf');
    if (s.drafts.length === 0) reject('no_draft', 'Belum ada draf yang diajukan.');
  },
  scheduleSigning: (s) => {
    requireStage(s, ['signing'], 'Menjadwalkan penandatanganan');
    if (electronicRoundRunning(s))
      reject('round_in_progress', 'Penandatanganan elektronik sedang berjalan; selesaikan dulu urutan yang ada.');
  },
  // The round's own checks (a round running, the step its turn) are decide's.
  recordSignedCopy: (s) => requireStage(s, ['signing'], 'Mengunggah salinan bertanda tangan'),
  recordSigning: (s) => {
    requireStage(s, ['signing'], 'Mencatat penandatanganan');
    if (!s.signing)
      reject('signing_not_scheduled', 'Penandatanganan belum dijadwalkan; jadwalkan upacaranya terlebih dahulu.');
    // Signed electronically only by the last verified signature, never by a record typed in.
    if (electronicRoundRunning(s))
      reject(
        'electronic_round',
        'Kesepakatan ini ditandatangani secara elektronik: tercatat setelah tanda tangan terakhir diverifikasi.',
      );
  },
  remindToSign: (s) =>
    requireStage(s, ['exploration', 'drafting', 'signing'], 'Mengingatkan para pihak untuk menandatangani'),
  openFollowUp: (s) => requireNotEnded(s, 'Menambah tindak lanjut'),
  completeFollowUp: followUpOpen('Menyelesaikan tindak lanjut'),
  rescheduleFollowUp: followUpOpen('Mengubah batas waktu tindak lanjut'),
  cancelFollowUp: followUpOpen('Membatalkan tindak lanjut'),
  commentOnFollowUp: followUpOpen('Mengomentari tindak lanjut'),
  startOperationalAgreement: (s) => requireStage(s, ['active'], 'Memulai perjanjian kerja sama operasional'),
  startOperationalAgreements: (s) => requireStage(s, ['active'], 'Memulai perjanjian kerja sama operasional'),
  recordReport: (s) => requireStage(s, ['active'], 'Mencatat laporan monev'),
  decideRenewal: (s) => {
    requireStage(s, ['active'], 'Memutuskan pembaruan');
    if (s.renewal)
      reject(
        'renewal_decided',
        `Keputusan pembaruan sudah diambil (${s.renewal.decision === 'renew' ? 'diperbarui' : 'diakhiri'}).`,
      );
  },
  cancelAgreement: (s) => requireNotEnded(s, 'Membatalkan'),
  // Publishing needs a signed agreement; withdrawing what is public is allowed at any stage, ended included.
  setPublication: (s) => {
    if (!s.published) requireStage(s, ['active'], 'Mengumumkan kesepakatan kepada publik');
  },
};

/** A document may be kept with an agreement of any kind at any stage until it ends, as any command may be sent. */
export function requireUploadAllowed(state: Pick<Conditions, 'stage'>): void {
  requireNotEnded(state, 'Mengunggah dokumen');
}

/** What a command's target checks read: the preconditions' part, plus the parties and follow-ups. */
export type Targets = Conditions & Pick<AgreementState, 'parties' | 'followUps' | 'meetings'>;

/** A meeting that can still be moved or called off: it exists, has no minutes, and was not called off. */
export function meetingToChange(state: Pick<AgreementState, 'meetings'>, meetingId: string): Meeting {
  const meeting = state.meetings.find((m) => m.id === meetingId);
  if (!meeting) reject('unknown_meeting', `Pertemuan "${meetingId}" tidak ada dalam kesepakatan ini.`);
  if (meeting.minutes)
    reject('minutes_recorded', 'Notulen pertemuan ini sudah dicatat; pertemuannya sudah berlangsung.');
  if (meeting.cancelled) reject('meeting_cancelled', `Pertemuan ini sudah dibatalkan (${meeting.cancelled.reason}).`);
  return meeting;
}

export function requireParty(state: Pick<AgreementState, 'parties'>, partyId: string, field: string): void {
  if (!state.parties.some((p) => p.partyId === partyId)) {
    reject('not_a_party', `Pihak "${partyId}" bukan pihak dalam kesepakatan ini.`, field);
  }
}

/** The draft a party reviews: it exists, nothing has replaced it, and this party has not reviewed it yet. */
export function draftToReview(state: Targets, version: number, partyId: string): Draft {
  const latest = state.drafts.at(-1)!;
  const draft = state.drafts.find((d) => d.version === version);
  if (!draft) reject('unknown_draft', `Draf versi ${version} tidak ada.`);
  if (draft.version !== latest.version) {
    reject(
      'superseded_draft',
      `Draf versi ${version} sudah digantikan oleh versi ${latest.version}; tinjau versi terbaru.`,
    );
  }
  requireParty(state, partyId, 'partyId');
  if (draft.reviews.some((r) => r.partyId === partyId)) {
    reject('already_reviewed', `Pihak "${partyId}" sudah meninjau draf versi ${version}.`);
  }
  return draft;
}

export function followUpNamed(state: Targets, followUpId: string): FollowUp {
  const followUp = state.followUps.find((f) => f.id === followUpId);
  if (!followUp) reject('unknown_follow_up', `Tindak lanjut "${followUpId}" tidak ada dalam kesepakatan ini.`);
  return followUp;
}

export function openFollowUpNamed(state: Targets, followUpId: string): FollowUp {
  const followUp = followUpNamed(state, followUpId);
  if (followUp.status !== 'open') reject('follow_up_closed', `Tindak lanjut "${followUp.title}" sudah ditutup.`);
  return followUp;
}

/**
 * An open follow-up a person may close. A step of a running electronic round is not one: it closes when that
 * step's signed copy is accepted, and closed by hand it would stop the step's reminders.
 */
export function closableFollowUp(state: Targets, followUpId: string): FollowUp {
  const followUp = openFollowUpNamed(state, followUpId);
  if (followUp.purpose === 'signing' && electronicRoundRunning(state))
    reject(
      'signing_step',
      'Langkah penandatanganan elektronik selesai sendiri saat salinan bertanda tangannya diterima Sinergi.',
    );
  return followUp;
}

/** Commands that act on one thing in the agreement: that thing must be there, and still open to it. */
const TARGETS: { [T in PersonCommand]?: (state: Targets, command: CommandOf<T>) => unknown } = {
  reviewDraft: (s, c) => draftToReview(s, c.version, c.partyId),
  rescheduleMeeting: (s, c) => meetingToChange(s, c.meetingId),
  cancelMeeting: (s, c) => meetingToChange(s, c.meetingId),
  completeFollowUp: (s, c) => closableFollowUp(s, c.followUpId),
  cancelFollowUp: (s, c) => closableFollowUp(s, c.followUpId),
  rescheduleFollowUp: (s, c) => openFollowUpNamed(s, c.followUpId),
  commentOnFollowUp: (s, c) => followUpNamed(s, c.followUpId),
};

/**
 * Why this command would be refused in this state, before its own fields are checked; undefined if it would not.
 * A page shows this before a person acts (the e-mail links); `decide` refuses with the same words.
 */
export function whyNot(
  state: Targets,
  command: Extract<Command, { type: PersonCommand }>,
): CommandRejected | undefined {
  try {
    PRECONDITIONS[command.type](state);
    const target = TARGETS[command.type] as ((s: Targets, c: Command) => unknown) | undefined;
    target?.(state, command);
    return undefined;
  } catch (err) {
    if (err instanceof CommandRejected) return err;
    throw err;
  }
}
