// Indonesian words for codes, shared by messages, e-mails and pages.
import type { AgreementRole, EndReason, Instrument, MeetingKind, Stage } from './types.js';

export const STAGE_LABEL: Record<Stage, string> = {
  exploration: 'penjajakan',
  drafting: 'penyusunan draf',
  signing: 'penandatanganan',
  active: 'pelaksanaan',
  ended: 'berakhir',
};

export const INSTRUMENT_LABEL: Record<Instrument, string> = {
  nota_kesepahaman: 'Nota Kesepahaman',
  nota_kesepakatan: 'Nota Kesepakatan',
  kesepakatan_bersama: 'Kesepakatan Bersama',
  perjanjian_kerja_sama: 'Perjanjian Kerja Sama',
};

export const MEETING_KIND_LABEL: Record<MeetingKind, string> = {
  audiensi: 'Audiensi',
  coordination: 'Rapat koordinasi',
  work_plan: 'Rapat rencana kerja',
};

export const ROLE_LABEL: Record<AgreementRole, string> = { initiator: 'Pemrakarsa', counterpart: 'Mitra', witness: 'Saksi' };

export const END_REASON_LABEL: Record<EndReason, string> = {
  expired: 'berakhir masa berlakunya',
  renewed: 'diperbarui',
  terminated: 'diakhiri',
  withdrawn: 'tidak dilanjutkan',
  cancelled: 'dibatalkan',
};
