// What each command a person sends needs of the agreement's state, before its input is looked at. `decide` runs
// these first, and `allowedCommands` asks them which commands a viewer may send now: one source for both.
import type { Command } from './commands.js';
import { STAGE_LABEL } from './labels.js';
import { reject } from './rejection.js';
import type { AgreementState, Stage } from './types.js';

/** The commands people send; the engine's own (start, deadlines, the umbrella's end) are not offered to anyone. */
export const PERSON_COMMANDS = [
  'scheduleMeeting', 'recordMinutes', 'submitDraft', 'reviewDraft', 'scheduleSigning', 'recordSigning', 'openFollowUp',
  'completeFollowUp', 'rescheduleFollowUp', 'cancelFollowUp', 'commentOnFollowUp', 'startOperationalAgreement',
  'recordReport', 'decideRenewal', 'cancelAgreement',
] as const satisfies readonly Command['type'][];
export type PersonCommand = (typeof PERSON_COMMANDS)[number];

function requireStage(state: Conditions, allowed: Stage[], action: string): void {
  if (!allowed.includes(state.stage)) {
    const where = allowed.map((s) => STAGE_LABEL[s]).join(', ');
    reject('wrong_stage', `${action} hanya bisa dilakukan pada tahap ${where}; kesepakatan ini berada pada tahap ${STAGE_LABEL[state.stage]}.`);
  }
}

function requireNotEnded(state: Conditions, action: string): void {
  if (state.stage === 'ended') reject('agreement_ended', `${action} tidak bisa dilakukan: kesepakatan ini sudah berakhir.`);
}

/** The part of an agreement the preconditions read: its state, or the view built from it. */
export type Conditions = Pick<AgreementState, 'stage' | 'drafts' | 'signing' | 'renewal'>;

const followUpOpen = (action: string) => (s: Conditions) => requireNotEnded(s, action);

export const PRECONDITIONS: { [T in PersonCommand]: (state: Conditions) => void } = {
  scheduleMeeting: (s) => requireStage(s, ['exploration', 'drafting', 'active'], 'Menjadwalkan pertemuan'),
  recordMinutes: (s) => requireNotEnded(s, 'Mencatat notulen'),
  submitDraft: (s) => requireStage(s, ['drafting'], 'Mengajukan draf'),
  reviewDraft: (s) => {
    requireStage(s, ['drafting'], 'Meninjau draf');
    if (s.drafts.length === 0) reject('no_draft', 'Belum ada draf yang diajukan.');
  },
  scheduleSigning: (s) => requireStage(s, ['signing'], 'Menjadwalkan penandatanganan'),
  recordSigning: (s) => {
    requireStage(s, ['signing'], 'Mencatat penandatanganan');
    if (!s.signing) reject('signing_not_scheduled', 'Penandatanganan belum dijadwalkan; jadwalkan upacaranya terlebih dahulu.');
  },
  openFollowUp: (s) => requireNotEnded(s, 'Menambah tindak lanjut'),
  completeFollowUp: followUpOpen('Menyelesaikan tindak lanjut'),
  rescheduleFollowUp: followUpOpen('Mengubah batas waktu tindak lanjut'),
  cancelFollowUp: followUpOpen('Membatalkan tindak lanjut'),
  commentOnFollowUp: followUpOpen('Mengomentari tindak lanjut'),
  startOperationalAgreement: (s) => requireStage(s, ['active'], 'Memulai perjanjian kerja sama operasional'),
  recordReport: (s) => requireStage(s, ['active'], 'Mencatat laporan monev'),
  decideRenewal: (s) => {
    requireStage(s, ['active'], 'Memutuskan pembaruan');
    if (s.renewal) reject('renewal_decided', `Keputusan pembaruan sudah diambil (${s.renewal.decision === 'renew' ? 'diperbarui' : 'diakhiri'}).`);
  },
  cancelAgreement: (s) => requireNotEnded(s, 'Membatalkan'),
};
