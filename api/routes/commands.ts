// Every command is a Temporal Update on the agreement's workflow: a route translates the request into the domain's
// command and hands it to the agreement service, which authorises it and lets the agreement's rules decide.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { CommandOf } from '../../domain/commands.js';
import type { UpdateCommandType } from '../../workflows/messages.js';
import { requireAccess } from '../auth.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { documentReferences } from '../document-references.js';
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
  OperationalAgreementBatchInput,
  OperationalAgreementBatchResult,
  OperationalAgreementInput,
  OperationalAgreementReminderResult,
  SigningReminderInput,
  RenewalInput,
  ReportInput,
  ReviewInput,
  PublicationInput,
  SigningInput,
  SigningRecordInput,
  ViewBody,
} from '../schemas/agreements.js';
import { WRITE_ERRORS } from '../schemas/common.js';

const Headers = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
});

interface Route<K extends UpdateCommandType, P extends TSchema, B extends TSchema> {
  name: K;
  path: string;
  summary: string;
  params: P;
  body: B;
  build: (params: Static<P>, body: Static<B>) => CommandOf<K>;
}

/** Uploaded documents named by id; the service checks each against the agreement and fills in the rest. */

const route = <K extends UpdateCommandType, P extends TSchema, B extends TSchema>(r: Route<K, P, B>) => r;

const routes = [
  route({
    name: 'scheduleMeeting',
    path: '/meetings',
    summary: 'Jadwalkan pertemuan (audiensi, koordinasi, rencana kerja)',
    params: AgreementParams,
    body: MeetingInput,
    build: (_p, b) => ({ type: 'scheduleMeeting', ...b }),
  }),
  route({
    name: 'recordMinutes',
    path: '/meetings/:meetingId/minutes',
    summary: 'Catat notulen pertemuan',
    params: MeetingParams,
    body: MinutesInput,
    build: (p, { documentIds, ...b }) => ({
      type: 'recordMinutes',
      meetingId: p.meetingId,
      ...b,
      ...documentReferences(documentIds),
    }),
  }),
  route({
    name: 'rescheduleMeeting',
    path: '/meetings/:meetingId/reschedule',
    summary: 'Ubah waktu atau tempat pertemuan (undangan kalender diperbarui)',
    params: MeetingParams,
    body: MeetingRescheduleInput,
    build: (p, b) => ({ type: 'rescheduleMeeting', meetingId: p.meetingId, ...b }),
  }),
  route({
    name: 'cancelMeeting',
    path: '/meetings/:meetingId/cancel',
    summary: 'Batalkan pertemuan (undangan kalender dibatalkan)',
    params: MeetingParams,
    body: MeetingCancelInput,
    build: (p, b) => ({ type: 'cancelMeeting', meetingId: p.meetingId, ...b }),
  }),
  route({
    name: 'submitDraft',
    path: '/drafts',
    summary: 'Ajukan versi draf baru',
    params: AgreementParams,
    body: DraftInput,
    build: (_p, b) => ({ type: 'submitDraft', ...b, documentUrl: b.documentUrl ?? '' }),
  }),
  route({
    name: 'reviewDraft',
    path: '/drafts/:version/reviews',
    summary: 'Setujui atau minta perubahan pada draf terbaru',
    params: DraftParams,
    body: ReviewInput,
    build: (p, b) => ({ type: 'reviewDraft', version: p.version, ...b }),
  }),
  route({
    name: 'scheduleSigning',
    path: '/signing',
    summary: 'Jadwalkan (atau ubah jadwal) penandatanganan',
    params: AgreementParams,
    body: SigningInput,
    build: (_p, b) => ({ type: 'scheduleSigning', ...b }),
  }),
  route({
    name: 'recordSigning',
    path: '/signing/record',
    summary: 'Catat penandatanganan dan nomor dokumen',
    params: AgreementParams,
    body: SigningRecordInput,
    build: (_p, { documentIds, ...b }) => ({ type: 'recordSigning', ...b, ...documentReferences(documentIds) }),
  }),
  route({
    name: 'remindToSign',
    path: '/signing/reminders',
    summary: 'Ingatkan pihak lain bahwa kesepakatan ini menunggu tanda tangan mereka',
    params: AgreementParams,
    body: SigningReminderInput,
    build: (_p, b) => ({ type: 'remindToSign', ...b }),
  }),
  route({
    name: 'openFollowUp',
    path: '/follow-ups',
    summary: 'Tambah tindak lanjut',
    params: AgreementParams,
    body: FollowUpCreateInput,
    build: (_p, b) => ({ type: 'openFollowUp', ...b }),
  }),
  route({
    name: 'completeFollowUp',
    path: '/follow-ups/:followUpId/complete',
    summary: 'Tandai tindak lanjut selesai',
    params: FollowUpParams,
    body: FollowUpCompleteInput,
    build: (p, b) => ({ type: 'completeFollowUp', followUpId: p.followUpId, ...b }),
  }),
  route({
    name: 'rescheduleFollowUp',
    path: '/follow-ups/:followUpId/reschedule',
    summary: 'Ubah batas waktu tindak lanjut (pengingat dan eskalasi ikut bergeser)',
    params: FollowUpParams,
    body: FollowUpRescheduleInput,
    build: (p, b) => ({ type: 'rescheduleFollowUp', followUpId: p.followUpId, ...b }),
  }),
  route({
    name: 'cancelFollowUp',
    path: '/follow-ups/:followUpId/cancel',
    summary: 'Batalkan tindak lanjut',
    params: FollowUpParams,
    body: FollowUpCancelInput,
    build: (p, b) => ({ type: 'cancelFollowUp', followUpId: p.followUpId, ...b }),
  }),
  route({
    name: 'commentOnFollowUp',
    path: '/follow-ups/:followUpId/comments',
    summary: 'Beri komentar pada tindak lanjut',
    params: FollowUpParams,
    body: FollowUpCommentInput,
    build: (p, b) => ({ type: 'commentOnFollowUp', followUpId: p.followUpId, ...b }),
  }),
  route({
    name: 'recordReport',
    path: '/reports',
    summary: 'Catat laporan monitoring dan evaluasi (monev)',
    params: AgreementParams,
    body: ReportInput,
    build: (_p, b) => ({ type: 'recordReport', ...b }),
  }),
  route({
    name: 'decideRenewal',
    path: '/renewal',
    summary: 'Perbarui (kesepakatan pengganti) atau biarkan berakhir',
    params: AgreementParams,
    body: RenewalInput,
    build: (_p, b) => ({ type: 'decideRenewal', ...b }),
  }),
  route({
    name: 'cancelAgreement',
    path: '/cancel',
    summary: 'Batalkan kesepakatan',
    params: AgreementParams,
    body: CancelInput,
    build: (_p, b) => ({ type: 'cancelAgreement', ...b }),
  }),
  route({
    name: 'setPublication',
    path: '/publication',
    summary: 'Umumkan kesepakatan aktif di daftar publik (/publik), atau tarik kembali',
    params: AgreementParams,
    body: PublicationInput,
    build: (_p, b) => ({ type: 'setPublication', public: b.public }),
  }),
];

const sending = (request: FastifyRequest) => {
  const key = idempotencyKeyOf(request);
  return key ? { updateId: key } : {};
};

export const commandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const r of routes) {
    const schema = {
      tags: ['commands'],
      summary: r.summary,
      params: r.params,
      body: r.body,
      headers: Headers,
      response: { 200: ViewBody, ...WRITE_ERRORS },
    };
    app.post(`/v1/agreements/:id${r.path}`, { schema }, async (request: FastifyRequest) => {
      const principal = requireAccess(request, 'act');
      const build = r.build as (p: unknown, b: unknown) => CommandOf<UpdateCommandType>;
      return app.agreements.command(
        principal,
        (request.params as { id: string }).id,
        build(request.params, request.body),
        sending(request),
      );
    });
  }

  // A PKS is an agreement of its own: the answer is the new agreement, 201.
  const pks = {
    tags: ['commands'],
    summary: 'Mulai perjanjian kerja sama (PKS) dengan satu OPD di bawah kesepakatan induk',
    params: AgreementParams,
    body: OperationalAgreementInput,
    headers: Headers,
    response: { 201: ViewBody, ...WRITE_ERRORS },
  };
  app.post('/v1/agreements/:id/operational-agreements', { schema: pks }, async (request, reply) => {
    const view = await app.agreements.startOperationalAgreement(
      requireAccess(request, 'act'),
      request.params.id,
      request.body,
      sending(request),
    );
    return reply.status(201).send(view);
  });

  const batch = {
    tags: ['commands'],
    summary:
      'Mulai PKS dengan banyak OPD sekaligus; OPD yang sudah punya PKS di bawah kesepakatan ini disebut, tidak ' +
      'dimulai lagi',
    params: AgreementParams,
    body: OperationalAgreementBatchInput,
    response: { 200: OperationalAgreementBatchResult, ...WRITE_ERRORS },
  };
  app.post('/v1/agreements/:id/operational-agreements/batch', { schema: batch }, async (request) =>
    app.agreements.startOperationalAgreements(requireAccess(request, 'act'), request.params.id, request.body),
  );

  const remindAll = {
    tags: ['commands'],
    summary: 'Ingatkan setiap OPD yang PKS-nya di bawah kesepakatan ini belum ditandatangani',
    params: AgreementParams,
    body: SigningReminderInput,
    response: { 200: OperationalAgreementReminderResult, ...WRITE_ERRORS },
  };
  app.post('/v1/agreements/:id/operational-agreements/reminders', { schema: remindAll }, async (request) =>
    app.agreements.remindOperationalAgreements(requireAccess(request, 'act'), request.params.id, request.body.note),
  );
};
