// Every command is a Temporal Update on the agreement's workflow; its validator refuses what the state forbids.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema, type Static } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import type { CommandOf, FollowUpInput } from '../../domain/commands.js';
import type { TimeZone } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import { commandUpdates, startedUpdate, workflowIdFor, type CommandRequest, type UpdateCommandType } from '../../workflows/messages.js';
import type { AppDeps } from '../app.js';
import { withChildren } from '../../services/agreement-reads.js';
import { requireAccess, type Principal } from '../auth.js';
import { HttpError, fromTemporal } from '../errors.js';
import { idempotencyKeyOf } from '../idempotency.js';
import {
  AgreementParams, CancelInput, DraftInput, DraftParams, FollowUpCancelInput, FollowUpCompleteInput, FollowUpCreateInput, FollowUpParams, FollowUpRescheduleInput, MeetingInput,
  MeetingParams, MinutesInput, RenewalInput, ReportInput, ReviewInput, SigningInput, SigningRecordInput,
} from '../schemas/agreements.js';
import { WRITE_ERRORS } from '../schemas/common.js';
import { loadVisibleAgreement, requireOwnParty, type AgreementAccess } from '../../services/access.js';
import { ViewBody } from './agreements.js';

const Headers = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })) });

interface BuildContext {
  principal: Principal;
  /** Owner details for a follow-up owned by an OPD under one of the agreement's parties. */
  owner: (ownerPartyId: string) => Promise<Pick<FollowUpInput, 'ownerParentId' | 'ownerTimeZone'>>;
}

interface Route<K extends UpdateCommandType, P extends TSchema, B extends TSchema> {
  name: K;
  path: string;
  summary: string;
  params: P;
  body: B;
  build: (params: Static<P>, body: Static<B>, ctx: BuildContext) => CommandOf<K> | Promise<CommandOf<K>>;
  /** A further check of who may send it, beyond taking part in the agreement. */
  allowed?: (principal: Principal, agreement: AgreementAccess) => void;
  /** Agreements the command started must be readable once the response is sent. */
  startsAgreement?: (view: AgreementView) => string | undefined;
}

const route = <K extends UpdateCommandType, P extends TSchema, B extends TSchema>(r: Route<K, P, B>) => r;

const routes = [
  route({
    name: 'scheduleMeeting', path: '/meetings', summary: 'Jadwalkan pertemuan (audiensi, koordinasi, rencana kerja)', params: AgreementParams, body: MeetingInput,
    build: (_p, b) => ({ type: 'scheduleMeeting', ...b }),
  }),
  route({
    name: 'recordMinutes', path: '/meetings/:meetingId/minutes', summary: 'Catat notulen pertemuan', params: MeetingParams, body: MinutesInput,
    build: async (p, b, ctx) => ({
      type: 'recordMinutes',
      meetingId: p.meetingId,
      ...b,
      ...(b.followUps ? { followUps: await Promise.all(b.followUps.map(async (f) => ({ ...f, ...(await ctx.owner(f.ownerPartyId)) }))) } : {}),
    }),
  }),
  route({
    name: 'submitDraft', path: '/drafts', summary: 'Ajukan versi draf baru', params: AgreementParams, body: DraftInput,
    build: (_p, b) => ({ type: 'submitDraft', ...b }),
  }),
  route({
    name: 'reviewDraft', path: '/drafts/:version/reviews', summary: 'Setujui atau minta perubahan pada draf terbaru', params: DraftParams, body: ReviewInput,
    build: (p, b, { principal }) => {
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
    // Recording the signing enters every party's document number: the initiator's staff (or an admin) do it.
    allowed: (principal, agreement) => {
      if (principal.role === 'party' && principal.partyId !== agreement.initiatorId) {
        throw new HttpError(403, 'forbidden', 'Penandatanganan dicatat oleh pihak pemrakarsa atau admin.');
      }
    },
  }),
  route({
    name: 'openFollowUp', path: '/follow-ups', summary: 'Tambah tindak lanjut', params: AgreementParams, body: FollowUpCreateInput,
    build: async (_p, b, ctx) => ({ type: 'openFollowUp', ...b, ...(await ctx.owner(b.ownerPartyId)) }),
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
    name: 'recordReport', path: '/reports', summary: 'Catat laporan monitoring dan evaluasi (monev)', params: AgreementParams, body: ReportInput,
    build: (_p, b) => ({ type: 'recordReport', ...b }),
  }),
  route({
    name: 'decideRenewal', path: '/renewal', summary: 'Perbarui (kesepakatan pengganti) atau biarkan berakhir', params: AgreementParams, body: RenewalInput,
    build: (_p, b) => ({ type: 'decideRenewal', ...b }),
    startsAgreement: (view) => view.renewal?.successorId,
  }),
  route({
    name: 'cancelAgreement', path: '/cancel', summary: 'Batalkan kesepakatan', params: AgreementParams, body: CancelInput,
    build: (_p, b) => ({ type: 'cancelAgreement', ...b }),
  }),
];

/** Sends one command to an agreement's workflow and answers with its view, mapping refusals to 4xx. */
export async function runCommand(deps: AppDeps, request: FastifyRequest, agreementId: string, name: UpdateCommandType, command: CommandOf<UpdateCommandType>, principal: Principal): Promise<AgreementView> {
  const updateId = idempotencyKeyOf(request);
  try {
    const view = await deps.temporal.workflow.getHandle(workflowIdFor(agreementId)).executeUpdate(commandUpdates[name] as UpdateDefinition<AgreementView, [CommandRequest], string>, {
      args: [{ command, actor: principal }],
      ...(updateId ? { updateId: `${principal.id}:${name}:${updateId}` } : {}),
    });
    request.log.info({ agreementId, command: name, version: view.version }, 'command accepted');
    return view;
  } catch (err) {
    const mapped = fromTemporal(err);
    if (mapped instanceof HttpError) request.log.info({ agreementId, command: name, code: mapped.code }, 'command refused');
    throw mapped;
  }
}

/** Waits until an agreement started by another one has stored its first event (read-your-writes). */
export async function awaitStarted(deps: AppDeps, agreementId: string): Promise<AgreementView> {
  try {
    return await deps.temporal.workflow.getHandle(workflowIdFor(agreementId)).executeUpdate(startedUpdate);
  } catch (err) {
    throw fromTemporal(err);
  }
}

export const commandRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { db } = deps;
  for (const r of routes) {
    app.post(
      `/v1/agreements/:id${r.path}`,
      { schema: { tags: ['commands'], summary: r.summary, params: r.params, body: r.body, headers: Headers, response: { 200: ViewBody, ...WRITE_ERRORS } } },
      async (request: FastifyRequest) => {
        const principal = requireAccess(request, 'act');
        const params = request.params as { id: string };
        const agreement = await loadVisibleAgreement(db, principal, params.id);
        if (agreement.stage === 'ended') throw new HttpError(409, 'agreement_ended', 'Kesepakatan ini sudah berakhir; tidak ada perintah yang dapat dijalankan.');
        r.allowed?.(principal, agreement);
        const owner = async (ownerPartyId: string) => {
          if (agreement.partyIds.includes(ownerPartyId)) return {};
          const row = await db.selectFrom('parties').select(['parent_id', 'time_zone']).where('id', '=', ownerPartyId).executeTakeFirst();
          return row?.parent_id && agreement.partyIds.includes(row.parent_id) ? { ownerParentId: row.parent_id, ownerTimeZone: row.time_zone as TimeZone } : {};
        };
        const build = r.build as (p: unknown, b: unknown, ctx: BuildContext) => Promise<CommandOf<UpdateCommandType>>;
        const command = await build(request.params, request.body, { principal, owner });
        const view = await runCommand(deps, request, params.id, r.name, command, principal);
        const started = r.startsAgreement?.(view);
        if (started) await awaitStarted(deps, started);
        return withChildren(db, view);
      },
    );
  }
};
