// The commands a person sends over HTTP, each written once: its path under /v1/agreements/{id}, its params and
// body schemas, and how they become the domain's command (Static of the schemas in, CommandOf out). The /v1 routes
// and the dashboard's forms both derive from it; the workflow's Updates carry the same names (workflows/messages.ts).
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CommandOf } from '../domain/commands.js';
import { PERSON_COMMANDS, type PersonCommand } from '../domain/preconditions.js';
import { documentReferences } from './document-references.js';
import { HttpError } from './errors.js';
import {
  AgreementParams,
  CancelInput,
  DraftInput,
  DraftParams,
  FollowUpCancelInput,
  FollowUpCommentInput,
  FollowUpCompleteInput,
  FollowUpCreateInput,
  FollowUpParams,
  FollowUpRescheduleInput,
  MeetingCancelInput,
  MeetingInput,
  MeetingParams,
  MeetingRescheduleInput,
  MinutesInput,
  PublicationInput,
  RenewalInput,
  ReportInput,
  ReviewInput,
  SigningPlanInput,
  SigningRecordInput,
  SigningReminderInput,
} from './schemas/agreements.js';
import { Id } from './schemas/common.js';

/** A PKS answers with the new agreement (201), so its routes are written out beside the catalogue's. */
/** Sent through doors of their own: the PKS starts (a new stream), and signed copies (a verified upload). */
export type CatalogueCommand = Exclude<
  PersonCommand,
  'startOperationalAgreement' | 'startOperationalAgreements' | 'recordSignedCopy'
>;

interface Entry {
  path: string;
  summary: string;
  params: TSchema;
  body: TSchema;
}

export const CATALOGUE = {
  scheduleMeeting: {
    path: '/meetings',
    summary: 'Jadwalkan pertemuan (audiensi, koordinasi, rencana kerja)',
    params: AgreementParams,
    body: MeetingInput,
  },
  recordMinutes: {
    path: '/meetings/:meetingId/minutes',
    summary: 'Catat notulen pertemuan',
    params: MeetingParams,
    body: MinutesInput,
  },
  rescheduleMeeting: {
    path: '/meetings/:meetingId/reschedule',
    summary: 'Ubah waktu atau tempat pertemuan (undangan kalender diperbarui)',
    params: MeetingParams,
    body: MeetingRescheduleInput,
  },
  cancelMeeting: {
    path: '/meetings/:meetingId/cancel',
    summary: 'Batalkan pertemuan (undangan kalender dibatalkan)',
    params: MeetingParams,
    body: MeetingCancelInput,
  },
  submitDraft: { path: '/drafts', summary: 'Ajukan versi draf baru', params: AgreementParams, body: DraftInput },
  reviewDraft: {
    path: '/drafts/:version/reviews',
    summary: 'Setujui atau minta perubahan pada draf terbaru',
    params: DraftParams,
    body: ReviewInput,
  },
  scheduleSigning: {
    path: '/signing',
    summary: 'Jadwalkan (atau ubah jadwal) upacara penandatanganan, atau mulai penandatanganan elektronik (TTE)',
    params: AgreementParams,
    body: SigningPlanInput,
  },
  recordSigning: {
    path: '/signing/record',
    summary: 'Catat penandatanganan dan nomor dokumen',
    params: AgreementParams,
    body: SigningRecordInput,
  },
  remindToSign: {
    path: '/signing/reminders',
    summary: 'Ingatkan pihak lain bahwa kesepakatan ini menunggu tanda tangan mereka',
    params: AgreementParams,
    body: SigningReminderInput,
  },
  openFollowUp: {
    path: '/follow-ups',
    summary: 'Tambah tindak lanjut',
    params: AgreementParams,
    body: FollowUpCreateInput,
  },
  completeFollowUp: {
    path: '/follow-ups/:followUpId/complete',
    summary: 'Tandai tindak lanjut selesai',
    params: FollowUpParams,
    body: FollowUpCompleteInput,
  },
  rescheduleFollowUp: {
    path: '/follow-ups/:followUpId/reschedule',
    summary: 'Ubah batas waktu tindak lanjut (pengingat dan eskalasi ikut bergeser)',
    params: FollowUpParams,
    body: FollowUpRescheduleInput,
  },
  cancelFollowUp: {
    path: '/follow-ups/:followUpId/cancel',
    summary: 'Batalkan tindak lanjut',
    params: FollowUpParams,
    body: FollowUpCancelInput,
  },
  commentOnFollowUp: {
    path: '/follow-ups/:followUpId/comments',
    summary: 'Beri komentar pada tindak lanjut',
    params: FollowUpParams,
    body: FollowUpCommentInput,
  },
  recordReport: {
    path: '/reports',
    summary: 'Catat laporan monitoring dan evaluasi (monev)',
    params: AgreementParams,
    body: ReportInput,
  },
  decideRenewal: {
    path: '/renewal',
    summary: 'Perbarui (kesepakatan pengganti) atau biarkan berakhir',
    params: AgreementParams,
    body: RenewalInput,
  },
  cancelAgreement: { path: '/cancel', summary: 'Batalkan kesepakatan', params: AgreementParams, body: CancelInput },
  setPublication: {
    path: '/publication',
    summary: 'Umumkan kesepakatan aktif di daftar publik (/publik), atau tarik kembali',
    params: AgreementParams,
    body: PublicationInput,
  },
} as const satisfies { [K in CatalogueCommand]: Entry };

type Catalogue = typeof CATALOGUE;
export type ParamsOf<K extends CatalogueCommand> = Static<Catalogue[K]['params']>;
export type BodyOf<K extends CatalogueCommand> = Static<Catalogue[K]['body']>;

/** How each command is made from its params and body: one function per command, for every door. */
const BUILD: { [K in CatalogueCommand]: (params: ParamsOf<K>, body: BodyOf<K>) => CommandOf<K> } = {
  scheduleMeeting: (_p, b) => ({ type: 'scheduleMeeting', ...b }),
  recordMinutes: (p, { documentIds, ...b }) => ({
    type: 'recordMinutes',
    meetingId: p.meetingId,
    ...b,
    ...documentReferences(documentIds),
  }),
  rescheduleMeeting: (p, b) => ({ type: 'rescheduleMeeting', meetingId: p.meetingId, ...b }),
  cancelMeeting: (p, b) => ({ type: 'cancelMeeting', meetingId: p.meetingId, ...b }),
  submitDraft: (_p, b) => ({ type: 'submitDraft', ...b, documentUrl: b.documentUrl ?? '' }),
  reviewDraft: (p, b) => ({ type: 'reviewDraft', version: p.version, ...b }),
  // The document and each step's name are filled in by the services (its file, the directory's contact).
  scheduleSigning: (_p, b) =>
    b.method === 'electronic'
      ? {
          type: 'scheduleSigning',
          method: 'electronic',
          document: { documentId: b.documentId, filename: '', sha256: '' },
          steps: b.order.map((step) => ({ ...step, name: '' })),
          dueBy: b.dueBy,
          approvedVersion: 0,
          ...(b.documentNumbers ? { documentNumbers: b.documentNumbers } : {}),
          ...(b.confirmTextDiffers ? { confirmTextDiffers: true } : {}),
        }
      : { type: 'scheduleSigning', ...b },
  recordSigning: (_p, { documentIds, ...b }) => ({ type: 'recordSigning', ...b, ...documentReferences(documentIds) }),
  remindToSign: (_p, b) => ({ type: 'remindToSign', ...b }),
  openFollowUp: (_p, b) => ({ type: 'openFollowUp', ...b }),
  completeFollowUp: (p, b) => ({ type: 'completeFollowUp', followUpId: p.followUpId, ...b }),
  rescheduleFollowUp: (p, b) => ({ type: 'rescheduleFollowUp', followUpId: p.followUpId, ...b }),
  cancelFollowUp: (p, b) => ({ type: 'cancelFollowUp', followUpId: p.followUpId, ...b }),
  commentOnFollowUp: (p, b) => ({ type: 'commentOnFollowUp', followUpId: p.followUpId, ...b }),
  recordReport: (_p, b) => ({ type: 'recordReport', ...b }),
  decideRenewal: (_p, b) => ({ type: 'decideRenewal', ...b }),
  cancelAgreement: (_p, b) => ({ type: 'cancelAgreement', ...b }),
  setPublication: (_p, b) => ({ type: 'setPublication', public: b.public }),
};

export const CATALOGUE_COMMANDS = PERSON_COMMANDS.filter((c): c is CatalogueCommand => c in CATALOGUE);

// Each schema compiled once. The routes' own validation (ajv) has already answered a bad request with a 400
// naming the field; this check is what lets the compiler see the checked types, so no value is cast.
const compiled = new Map<TSchema, { Check(value: unknown): boolean }>();
function conforms<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  let validator = compiled.get(schema);
  if (!validator) compiled.set(schema, (validator = Compile(schema)));
  return validator.Check(value);
}

function checked<T extends TSchema>(schema: T, value: unknown, where: string): Static<T> {
  if (!conforms(schema, value)) throw new HttpError(400, 'invalid_input', `${where}: tidak sesuai skemanya.`, where);
  return value;
}

const WithId = Type.Object({ id: Id });

/** The agreement a command's params name. */
export const agreementIdOf = (params: unknown): string => checked(WithId, params, 'id').id;

/** The command that these params and body make, each checked against its schema. */
export function commandFrom<K extends CatalogueCommand>(name: K, params: unknown, body: unknown): CommandOf<K> {
  const entry: Catalogue[K] = CATALOGUE[name];
  const build: (params: ParamsOf<K>, body: BodyOf<K>) => CommandOf<K> = BUILD[name];
  return build(
    checked<Catalogue[K]['params']>(entry.params, params, 'params'),
    checked<Catalogue[K]['body']>(entry.body, body, 'body'),
  );
}
