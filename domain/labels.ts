// Indonesian words for codes, shared by messages, e-mails and pages.
import type { EventType } from './events.js';
import type { AgreementRole, ContactRole, EndReason, Instrument, MeetingKind, MinutesOutcome, Stage } from './types.js';

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

export const ROLE_LABEL: Record<AgreementRole, string> = {
  initiator: 'Pemrakarsa',
  counterpart: 'Mitra',
  witness: 'Saksi',
};

export const END_REASON_LABEL: Record<EndReason, string> = {
  expired: 'berakhir masa berlakunya',
  renewed: 'diperbarui',
  terminated: 'diakhiri',
  withdrawn: 'tidak dilanjutkan',
  cancelled: 'dibatalkan',
};

export const CONTACT_ROLE_LABEL: Record<ContactRole, string> = {
  liaison: 'Penghubung',
  signatory: 'Penanda tangan',
  supervisor: 'Pimpinan',
};

export const MINUTES_OUTCOME_LABEL: Record<MinutesOutcome, string> = {
  proceed_to_drafting: 'lanjut ke penyusunan draf',
  another_meeting: 'perlu pertemuan lanjutan',
  withdrawn: 'tidak dilanjutkan',
};

/** What happened, as the history says it. */
export const EVENT_LABEL: Record<EventType, string> = {
  PublicationChanged: 'Tampilan di daftar publik diubah',
  AgreementStarted: 'Kesepakatan dimulai',
  MeetingScheduled: 'Pertemuan dijadwalkan',
  MeetingRescheduled: 'Jadwal pertemuan diubah',
  MeetingCancelled: 'Pertemuan dibatalkan',
  MinutesRecorded: 'Notulen dicatat',
  FollowUpOpened: 'Tindak lanjut ditambahkan',
  FollowUpCompleted: 'Tindak lanjut selesai',
  FollowUpCancelled: 'Tindak lanjut dibatalkan',
  FollowUpCommented: 'Tindak lanjut dikomentari',
  FollowUpRescheduled: 'Batas waktu tindak lanjut diubah',
  FollowUpReminderDue: 'Pengingat tindak lanjut',
  FollowUpEscalated: 'Tindak lanjut dieskalasi',
  DraftSubmitted: 'Draf diajukan',
  DraftReviewReminderDue: 'Pengingat tinjauan draf',
  DraftReviewOverdue: 'Tinjauan draf terlambat',
  SigningReminderDue: 'Pengingat penandatanganan',
  SigningOverdue: 'Penandatanganan terlambat',
  DraftReviewed: 'Draf ditinjau',
  SigningScheduled: 'Penandatanganan dijadwalkan',
  ElectronicSigningStarted: 'Penandatanganan elektronik dimulai',
  SignedCopyAccepted: 'Salinan bertanda tangan diterima',
  SigningRescheduled: 'Jadwal penandatanganan diubah',
  SigningRecorded: 'Penandatanganan dicatat',
  SigningCancelled: 'Penandatanganan dibatalkan',
  SigningReminderSent: 'Para pihak diingatkan untuk menandatangani',
  StageChanged: 'Tahap berganti',
  OperationalAgreementStarted: 'PKS dimulai',
  ReportRecorded: 'Laporan monev dicatat',
  ReportReminderDue: 'Pengingat laporan monev',
  ReportOverdue: 'Laporan monev terlambat',
  RenewalReminderDue: 'Pengingat pembaruan',
  RenewalDecided: 'Keputusan pembaruan',
  AgreementEnded: 'Kesepakatan berakhir',
  NotificationSent: 'E-mail terkirim',
};
