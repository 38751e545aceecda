// The directory: parties and their contacts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listParties, registerParty, toParty, updateParty } from '../../services/directory.js';
import { numberRegister } from '../../services/numbers.js';
import { requireAccess } from '../auth.js';
import { notFound } from '../errors.js';
import { Id, READ_ERRORS, WRITE_ERRORS } from '../schemas/common.js';
import { Party, PartyInput, PartyPatch } from '../schemas/parties.js';

const Params = Type.Object({ id: Id }, { additionalProperties: false });
const NumbersQuery = Type.Object(
  { year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2200 })) },
  { additionalProperties: false },
);
const RegisteredNumber = Type.Object({
  number: Type.String(),
  agreementId: Type.String(),
  takenAt: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('used'), Type.Literal('batal')]),
});

export const partyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.post(
    '/v1/parties',
    { schema: { tags: ['parties'], body: PartyInput, response: { 201: Party, ...WRITE_ERRORS } } },
    async (request, reply) => {
      const party = await registerParty(db, requireAccess(request, 'admin'), request.body);
      request.log.info({ partyId: party.id }, 'party registered');
      return reply.status(201).send(party);
    },
  );

  app.get(
    '/v1/parties',
    { schema: { tags: ['parties'], response: { 200: Type.Object({ items: Type.Array(Party) }), ...READ_ERRORS } } },
    async (request) => {
      requireAccess(request, 'read');
      return { items: await listParties(db) };
    },
  );

  app.get(
    '/v1/parties/:id',
    { schema: { tags: ['parties'], params: Params, response: { 200: Party, ...READ_ERRORS } } },
    async (request) => {
      requireAccess(request, 'read');
      const row = await db.selectFrom('parties').selectAll().where('id', '=', request.params.id).executeTakeFirst();
      if (!row) throw notFound(`Pihak "${request.params.id}"`);
      return toParty(row);
    },
  );

  app.patch(
    '/v1/parties/:id',
    { schema: { tags: ['parties'], params: Params, body: PartyPatch, response: { 200: Party, ...WRITE_ERRORS } } },
    async (request) => {
      const { id } = request.params;
      const updated = await updateParty(db, requireAccess(request, 'act'), id, request.body);
      request.log.info({ partyId: id }, 'party updated');
      return updated;
    },
  );

  app.get(
    '/v1/parties/:id/numbers',
    {
      schema: {
        tags: ['parties'],
        summary: "A party's register of document numbers for a year",
        params: Params,
        querystring: NumbersQuery,
        response: { 200: Type.Object({ items: Type.Array(RegisteredNumber) }), ...READ_ERRORS },
      },
    },
    async (request) => {
      const principal = requireAccess(request, 'read');
      const year = request.query.year ?? new Date().getUTCFullYear();
      return { items: await numberRegister(db, principal, request.params.id, year) };
    },
  );
};
