// An operational agreement (PKS) with one OPD under an active umbrella: started by the umbrella's workflow as its child.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import type { TimeZone } from '../../domain/types.js';
import type { AppDeps } from '../app.js';
import { requireAccess } from '../auth.js';
import { HttpError } from '../errors.js';
import { AgreementParams, OperationalAgreementInput } from '../schemas/agreements.js';
import { WRITE_ERRORS } from '../schemas/common.js';
import { loadVisibleAgreement } from '../../services/access.js';
import { ViewBody } from './agreements.js';
import { awaitStarted, runCommand } from './commands.js';

export const operationalAgreementRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { db } = deps;
  app.post(
    '/v1/agreements/:id/operational-agreements',
    {
      schema: {
        tags: ['commands'],
        summary: 'Mulai perjanjian kerja sama (PKS) dengan satu OPD di bawah kesepakatan induk',
        params: AgreementParams,
        body: OperationalAgreementInput,
        response: { 201: ViewBody, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = requireAccess(request, 'act');
      const umbrella = await loadVisibleAgreement(db, principal, request.params.id);
      if (umbrella.stage === 'ended') throw new HttpError(409, 'agreement_ended', 'Kesepakatan induk sudah berakhir.');
      const body = request.body;
      const party = await db.selectFrom('parties').select(['id', 'time_zone']).where('id', '=', body.partyId).executeTakeFirst();
      if (!party) throw new HttpError(400, 'unknown_party', `Pihak "${body.partyId}" tidak terdaftar.`, 'partyId');
      const childId = body.id ?? randomUUID();
      if (await db.selectFrom('agreements').select('id').where('id', '=', childId).executeTakeFirst()) {
        throw new HttpError(409, 'id_taken', `Kesepakatan dengan id "${childId}" sudah ada.`, 'id');
      }
      await runCommand(deps, request, umbrella.id, 'startOperationalAgreement', {
        type: 'startOperationalAgreement',
        childId,
        party: { partyId: party.id, timeZone: party.time_zone as TimeZone },
        title: body.title,
        scope: body.scope,
        ...(body.dueBy ? { dueBy: body.dueBy } : {}),
      }, principal);
      return reply.status(201).send(await awaitStarted(deps, childId));
    },
  );
};
