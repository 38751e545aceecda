// The directory: parties and their contacts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listParties, registerParty, toParty, updateParty } from '../../services/directory.js';
import { requireAccess } from '../auth.js';
import { notFound } from '../errors.js';
import { Id, READ_ERRORS, WRITE_ERRORS } from '../schemas/common.js';
import { Party, PartyInput, PartyPatch } from '../schemas/parties.js';


const Params = Type.Object({ id: Id }, { additionalProperties: false });

export const partyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.post('/v1/parties', { schema: { tags: ['parties'], body: PartyInput, response: { 201: Party, ...WRITE_ERRORS } } }, async (request, reply) => {
    const party = await registerParty(db, requireAccess(request, 'admin'), request.body);
    request.log.info({ partyId: party.id }, 'party registered');
    return reply.status(201).send(party);
  });

  app.get('/v1/parties', { schema: { tags: ['parties'], response: { 200: Type.Object({ items: Type.Array(Party) }), ...READ_ERRORS } } }, async (request) => {
    requireAccess(request, 'read');
    return { items: await listParties(db) };
  });

  app.get('/v1/parties/:id', { schema: { tags: ['parties'], params: Params, response: { 200: Party, ...READ_ERRORS } } }, async (request) => {
    requireAccess(request, 'read');
    const row = await db.selectFrom('parties').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound(`Pihak "${request.params.id}"`);
    return toParty(row);
  });

  app.patch('/v1/parties/:id', { schema: { tags: ['parties'], params: Params, body: PartyPatch, response: { 200: Party, ...WRITE_ERRORS } } }, async (request) => {
    const { id } = request.params;
    const updated = await updateParty(db, requireAccess(request, 'admin'), id, request.body);
    request.log.info({ partyId: id }, 'party updated');
    return updated;
  });
};
