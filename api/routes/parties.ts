// The directory: parties and their contacts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { randomUUID } from 'node:crypto';
import { DEFAULT_TIME_ZONE } from '../../domain/types.js';
import { listParties, toParty } from '../../services/directory.js';
import { requireAccess } from '../auth.js';
import { HttpError, notFound } from '../errors.js';
import { Id, READ_ERRORS, WRITE_ERRORS } from '../schemas/common.js';
import { Party, PartyInput, PartyPatch } from '../schemas/parties.js';


const Params = Type.Object({ id: Id }, { additionalProperties: false });

export const partyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  async function requireParent(parentId: string | undefined | null, selfId?: string): Promise<void> {
    if (!parentId) return;
    if (parentId === selfId) throw new HttpError(400, 'invalid_parent', 'Sebuah pihak tidak dapat menjadi induk dirinya sendiri.', 'parentId');
    const parent = await db.selectFrom('parties').select('id').where('id', '=', parentId).executeTakeFirst();
    if (!parent) throw new HttpError(400, 'unknown_party', `Pihak induk "${parentId}" tidak dikenal.`, 'parentId');
  }

  app.post('/v1/parties', { schema: { tags: ['parties'], body: PartyInput, response: { 201: Party, ...WRITE_ERRORS } } }, async (request, reply) => {
    requireAccess(request, 'admin');
    const body = request.body;
    const id = body.id ?? randomUUID();
    await requireParent(body.parentId, id);
    const inserted = await db
      .insertInto('parties')
      .values({ id, name: body.name, kind: body.kind, parent_id: body.parentId ?? null, time_zone: body.timeZone ?? DEFAULT_TIME_ZONE, contacts: JSON.stringify(body.contacts), updated_at: new Date() })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) throw new HttpError(409, 'id_taken', `Pihak dengan id "${id}" sudah ada.`, 'id');
    request.log.info({ partyId: id }, 'party registered');
    return reply.status(201).send(toParty(inserted));
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
    requireAccess(request, 'admin');
    const { id } = request.params;
    const body = request.body;
    await requireParent(body.parentId, id);
    const updated = await db
      .updateTable('parties')
      .set({
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.parentId !== undefined ? { parent_id: body.parentId } : {}),
        ...(body.timeZone !== undefined ? { time_zone: body.timeZone } : {}),
        ...(body.contacts !== undefined ? { contacts: JSON.stringify(body.contacts) } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw notFound(`Pihak "${id}"`);
    request.log.info({ partyId: id }, 'party updated');
    return toParty(updated);
  });
};
