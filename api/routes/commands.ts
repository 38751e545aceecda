// Every command is a Temporal Update on the agreement's workflow; its validator refuses what the state forbids.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema, type Static } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import type { CommandOf } from '../../domain/commands.js';
import type { AgreementView } from '../../domain/view.js';
import { commandUpdates, workflowIdFor, type CommandRequest, type UpdateCommandType } from '../../workflows/messages.js';
import type { AppDeps } from '../app.js';
import { withChildren } from '../agreement-reads.js';
import { requireAccess, type Principal } from '../auth.js';
import { HttpError, fromTemporal } from '../errors.js';
import {
  AgreementParams, CancelInput, DraftInput, DraftParams, FollowUpCancelInput, FollowUpCompleteInput, FollowUpCreateInput, FollowUpParams, FollowUpRescheduleInput, MeetingInput,
  MeetingParams, MinutesInput, ReviewInput, SigningInput, SigningRecordInput,
} from '../schemas/agreements.js';
import { ErrorBody } from '../schemas/common.js';
import { loadVisibleAgreement, requireOwnParty } from '../scope.js';
import { ViewBody } from './agreements.js';

const Headers = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

interface Route<K extends UpdateCommandType, P extends TSchema, B extends TSchema> {
  name: K;
  path: string;
  summary: string;
  params: P;
  body: B;
  build: (params: Static<P>, body: Static<B>, principal: Principal) => CommandOf<K>;
}

const route = <K extends UpdateCommandType, P extends TSchema, B extends TSchema>(r: Route<K, P, B>) => r;

const routes = [
  route({
    name: 'scheduleMeeting', path: '/meetings', summary: 'Jadwalkan pertemuan (audiensi, koordinasi, rencana kerja)', params: AgreementParams, body: MeetingInput,
    build: (_p, b) => ({ type: 'scheduleMeeting', ...b }),
  }),
  route({
    name: 'recordMinutes', path: '/meetings/:meetingId/minutes', summary: 'Catat notulen pertemuan', params: MeetingParams, body: MinutesInput,
    build: (p, b) => ({ type: 'recordMinutes', meetingId: p.meetingId, ...b }),
  }),
  route({
    name: 'submitDraft', path: '/drafts', summary: 'Ajukan versi draf baru', params: AgreementParams, body: DraftInput,
    build: (_p, b) => ({ type: 'submitDraft', ...b }),
  }),
  route({
    name: 'reviewDraft', path: '/drafts/:version/reviews', summary: 'Setujui atau minta perubahan pada draf terbaru', params: DraftParams, body: ReviewInput,
    build: (p, b, principal) => {
      requireOwnParty(principal, b.partyId, 'partyId');
      return { type: 'reviewDraft', version: p.version, ...b };
    },
  }),
  route({
    name: 'scheduleSigning', path: '/signing', summary: 'Jadwalkan (atau ubah jadwal) penandatanganan', params: AgreementParams, body: SigningInput,
    build: (_p, b) => ({ type: 'scheduleSigning', ...b }),
  }),
  route({
    name: 'recordSigning', path: '/signing/record', summary: 'Catat penandatanganan dan nomor dokumen', params: AgreementParams, body: SigningRecordInput,
    build: (_p, b) => ({ type: 'recordSigning', ...b }),
  }),
  route({
    name: 'openFollowUp', path: '/follow-ups', summary: 'Tambah tindak lanjut', params: AgreementParams, body: FollowUpCreateInput,
    build: (_p, b) => ({ type: 'openFollowUp', ...b }),
  }),
  route({
    name: 'completeFollowUp', path: '/follow-ups/:followUpId/complete', summary: 'Tandai tindak lanjut selesai', params: FollowUpParams, body: FollowUpCompleteInput,
    build: (p, b) => ({ type: 'completeFollowUp', followUpId: p.followUpId, ...b }),
  }),
  route({
    name: 'rescheduleFollowUp', path: '/follow-ups/:followUpId/reschedule', summary: 'Ubah batas waktu tindak lanjut (pengingat dan eskalasi ikut bergeser)', params: FollowUpParams, body: FollowUpRescheduleInput,
    build: (p, b) => ({ type: 'rescheduleFollowUp', followUpId: p.followUpId, ...b }),
  }),
  route({
    name: 'cancelFollowUp', path: '/follow-ups/:followUpId/cancel', summary: 'Batalkan tindak lanjut', params: FollowUpParams, body: FollowUpCancelInput,
    build: (p, b) => ({ type: 'cancelFollowUp', followUpId: p.followUpId, ...b }),
  }),
  route({
    name: 'cancelAgreement', path: '/cancel', summary: 'Batalkan kesepakatan', params: AgreementParams, body: CancelInput,
    build: (_p, b) => ({ type: 'cancelAgreement', ...b }),
  }),
];

export const commandRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { db, temporal } = deps;
  for (const r of routes) {
    app.post(
      `/v1/agreements/:id${r.path}`,
      { schema: { tags: ['commands'], summary: r.summary, params: r.params, body: r.body, headers: Headers, response: { 200: ViewBody, ...errors } } },
      async (request: FastifyRequest) => {
        const principal = requireAccess(request, 'act');
        const params = request.params as { id: string };
        const agreement = await loadVisibleAgreement(db, principal, params.id);
        if (agreement.stage === 'ended') throw new HttpError(409, 'agreement_ended', 'Kesepakatan ini sudah berakhir; tidak ada perintah yang dapat dijalankan.');
        const command = (r.build as (p: unknown, b: unknown, pr: Principal) => CommandOf<UpdateCommandType>)(request.params, request.body, principal);
        const updateId = (request.headers as { 'idempotency-key'?: string })['idempotency-key'];
        try {
          const view = await temporal.workflow.getHandle(workflowIdFor(params.id)).executeUpdate(commandUpdates[r.name] as UpdateDefinition<AgreementView, [CommandRequest], string>, {
            args: [{ command, actor: principal }],
            ...(updateId ? { updateId: `${r.name}:${updateId}` } : {}),
          });
          request.log.info({ agreementId: params.id, command: r.name, version: view.version }, 'command accepted');
          return await withChildren(db, view);
        } catch (err) {
          const mapped = fromTemporal(err);
          if (mapped instanceof HttpError) request.log.info({ agreementId: params.id, command: r.name, code: mapped.code }, 'command refused');
          throw mapped;
        }
      },
    );
  }
};
