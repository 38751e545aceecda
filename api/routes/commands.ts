// Every command is a Temporal Update on the agreement's workflow: a route translates the request into the domain's
// command and hands it to the agreement service, which authorises it and lets the agreement's rules decide.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';

import { requireAccess } from '../auth.js';
import { agreementIdOf, CATALOGUE, CATALOGUE_COMMANDS, commandFrom } from '../catalogue.js';
import { idempotencyKeyOf } from '../idempotency.js';

import {
  AgreementParams,
  OperationalAgreementBatchInput,
  OperationalAgreementBatchResult,
  OperationalAgreementInput,
  OperationalAgreementReminderResult,
  SigningReminderInput,
  ViewBody,
} from '../schemas/agreements.js';
import { WRITE_ERRORS } from '../schemas/common.js';

const Headers = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
});

const sending = (request: FastifyRequest) => {
  const key = idempotencyKeyOf(request);
  return key ? { updateId: key } : {};
};

export const commandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const name of CATALOGUE_COMMANDS) {
    const entry = CATALOGUE[name];
    const schema = {
      tags: ['commands'],
      summary: entry.summary,
      params: entry.params,
      body: entry.body,
      headers: Headers,
      response: { 200: ViewBody, ...WRITE_ERRORS },
    };
    app.post(`/v1/agreements/:id${entry.path}`, { schema }, async (request: FastifyRequest) =>
      app.agreements.command(
        requireAccess(request, 'act'),
        agreementIdOf(request.params),
        commandFrom(name, request.params, request.body),
        sending(request),
      ),
    );
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
