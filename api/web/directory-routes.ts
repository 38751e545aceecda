// The directory's pages: parties with their hierarchy and contacts; an admin adds and edits parties and imports a
// Pemda's OPD list from a spreadsheet; a party's own liaison changes its contacts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Contact } from '../../domain/types.js';
import type { Principal } from '../auth.js';
import {
  listParties,
  mayEditContacts,
  registerParty,
  replaceContacts,
  updateParty,
  type NewParty,
  type Party,
  type PartyChange,
} from '../../services/directory.js';
import {
  applyImport,
  importTarget,
  importTemplate,
  lineOfField,
  opdsFromRows,
  planImport,
  readSheet,
  type ImportedOpd,
  type RowError,
  type SheetRow,
} from '../../services/directory-import.js';
import { Refusal } from '../../services/errors.js';
import { ContactList, PartyInput, PartyPatch } from '../schemas/parties.js';
import { contactsFromLines, lineOf } from './contact-lines.js';
import { directoryPage, type DirectoryEditing } from './pages/directory.js';
import { importErrors, importForm, importPreview } from './pages/directory-import.js';
import { registersOf } from '../../services/numbers.js';
import { today } from './forms.js';
import {
  ContactsForm,
  DirectoryQuery,
  ImportApplyForm,
  ImportUpload,
  NumberTemplateForm,
  PartyForm,
  PartyParams,
} from './schemas.js';
import { validated } from './validate.js';
import { attempt, hidden, type PageKit } from './kit.js';

/** What the dashboard's routes share with these pages. */

const SAVED: Record<string, string> = {
  kontak: 'Kontak disimpan.',
  pihak: 'Pihak disimpan.',
  impor: 'Daftar OPD diimpor.',
  nomor: 'Templat nomor disimpan.',
};

export function directoryRoutes(kit: PageKit): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { send, sessionOf, guarded } = kit;
    const editableBy = async (principal: Principal, parties: Party[]) =>
      new Set(
        (
          await Promise.all(parties.map(async (p) => ((await mayEditContacts(app.db, principal, p.id)) ? p.id : '')))
        ).filter(Boolean),
      );

    async function render(
      reply: FastifyReply,
      principal: Principal,
      status: number,
      extra: Partial<DirectoryEditing> = {},
      saved?: string,
    ) {
      const parties = await listParties(app.db);
      const editable = await editableBy(principal, parties);
      const year = Number(today().slice(0, 4));
      const registers = await registersOf(app.db, [...editable], year);
      const editing = { editable, admin: principal.role === 'admin', registers, year, ...extra };
      return send(reply, status, 'Direktori', directoryPage(parties, editing, saved), principal);
    }
    const done = (reply: FastifyReply, what: keyof typeof SAVED) => reply.redirect(`/direktori?saved=${what}`, 303);

    app.get('/direktori', { ...guarded, schema: { ...hidden, querystring: DirectoryQuery } }, async (request, reply) =>
      render(
        reply,
        sessionOf(request).principal,
        200,
        {},
        request.query.saved ? SAVED[request.query.saved] : undefined,
      ),
    );

    app.post(
      '/direktori/:partyId/kontak',
      { ...guarded, schema: { ...hidden, params: PartyParams, body: ContactsForm } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const { partyId } = request.params;
        const saved = await attempt(() => {
          const { contacts } = validated<{ contacts: Contact[] }>(request, ContactList, {
            contacts: contactsFromLines(request.body.contacts),
          });
          return replaceContacts(app.db, principal, partyId, contacts);
        });
        if (!saved.ok) {
          const where = lineOf(saved.refused.field);
          const message = `${where ? `${where}: ` : ''}${saved.refused.message}`;
          const refused = { partyId, message, lines: request.body.contacts };
          return render(reply, principal, saved.refused.status, { refused });
        }
        return done(reply, 'kontak');
      },
    );

    app.post('/direktori/pihak', { ...guarded, schema: { ...hidden, body: PartyForm } }, async (request, reply) => {
      const { principal } = sessionOf(request);
      const f = request.body;
      const made = await attempt(async () => {
        const input = validated<NewParty>(request, PartyInput, {
          ...(f.id ? { id: f.id } : {}),
          name: f.name ?? '',
          kind: f.kind ?? '',
          ...(f.parentId ? { parentId: f.parentId } : {}),
          timeZone: f.timeZone ?? '',
          contacts: [],
        });
        const party = await registerParty(app.db, principal, input);
        request.log.info({ partyId: party.id, by: principal.id }, 'party registered from the directory page');
      });
      if (!made.ok) {
        const refusedParty = { partyId: 'baru', message: made.refused.message, values: f };
        return render(reply, principal, made.refused.status, { refusedParty });
      }
      return done(reply, 'pihak');
    });

    app.post(
      '/direktori/:partyId/ubah',
      { ...guarded, schema: { ...hidden, params: PartyParams, body: PartyForm } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const { partyId } = request.params;
        const f = request.body;
        const changed = await attempt(async () => {
          const change = validated<PartyChange>(request, PartyPatch, {
            name: f.name ?? '',
            parentId: f.parentId || null,
            timeZone: f.timeZone ?? '',
          });
          await updateParty(app.db, principal, partyId, change);
          request.log.info({ partyId, by: principal.id }, 'party changed from the directory page');
        });
        if (!changed.ok) {
          const refusedParty = { partyId, message: changed.refused.message, values: f };
          return render(reply, principal, changed.refused.status, { refusedParty });
        }
        return done(reply, 'pihak');
      },
    );

    app.post(
      '/direktori/:partyId/nomor',
      { ...guarded, schema: { ...hidden, params: PartyParams, body: NumberTemplateForm } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const { partyId } = request.params;
        const value = request.body.numberTemplate?.trim() ?? '';
        const changed = await attempt(async () => {
          const change = validated<PartyChange>(request, PartyPatch, { numberTemplate: value || null });
          await updateParty(app.db, principal, partyId, change);
          request.log.info({ partyId, by: principal.id }, 'number template changed from the directory page');
        });
        if (!changed.ok) {
          const refusedTemplate = { partyId, message: changed.refused.message, value };
          return render(reply, principal, changed.refused.status, { refusedTemplate });
        }
        return done(reply, 'nomor');
      },
    );

    const importRoute = { ...guarded, schema: { ...hidden, params: PartyParams } };

    app.get('/direktori/:partyId/impor', importRoute, async (request, reply) => {
      const { principal } = sessionOf(request);
      const pemda = await importTarget(app.db, principal, request.params.partyId);
      return send(reply, 200, 'Impor OPD', importForm(pemda), principal);
    });

    app.get('/direktori/:partyId/impor/templat.xlsx', importRoute, async (request, reply) => {
      const pemda = await importTarget(app.db, sessionOf(request).principal, request.params.partyId);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="templat-opd-${pemda.id}.xlsx"`)
        .send(await importTemplate(pemda));
    });

    /** The rows as OPDs, each checked by the /v1 schema of a new party; any fault is reported by its line. */
    function checkedOpds(
      request: FastifyRequest,
      rows: SheetRow[],
      pemda: Party,
    ): { opds: ImportedOpd[]; errors: RowError[] } {
      const { opds, errors } = opdsFromRows(rows, pemda);
      for (const opd of opds) {
        try {
          validated(request, PartyInput, opd.input);
        } catch (err) {
          if (!(err instanceof Refusal)) throw err;
          errors.push({ line: lineOfField(opd, err.field), message: err.message });
        }
      }
      return { opds, errors: errors.sort((a, b) => a.line - b.line) };
    }

    app.post(
      '/direktori/:partyId/impor',
      { ...importRoute, schema: { ...importRoute.schema, body: ImportUpload } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const pemda = await importTarget(app.db, principal, request.params.partyId);
        const file = (request.body.file as { bytes?: unknown } | undefined)?.bytes;
        if (!Buffer.isBuffer(file) || file.length === 0) {
          return send(
            reply,
            400,
            'Impor OPD',
            importForm(pemda, 'file: pilih berkas XLSX atau CSV yang berisi daftar OPD.'),
            principal,
          );
        }
        const read = await attempt(() => readSheet(file));
        if (!read.ok) {
          const form = importForm(pemda, `file: ${read.refused.message}`);
          return send(reply, read.refused.status, 'Impor OPD', form, principal);
        }
        const rows = read.value;
        const { opds, errors } = checkedOpds(request, rows, pemda);
        const plan = await planImport(app.db, principal, pemda.id, opds);
        const all = [...errors, ...plan.errors].sort((a, b) => a.line - b.line);
        if (all.length) return send(reply, 400, 'Impor OPD', importErrors(pemda, all), principal);
        return send(reply, 200, 'Impor OPD', importPreview(pemda, plan.changes, JSON.stringify(rows)), principal);
      },
    );

    app.post(
      '/direktori/:partyId/impor/terapkan',
      { ...importRoute, schema: { ...importRoute.schema, body: ImportApplyForm } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const pemda = await importTarget(app.db, principal, request.params.partyId);
        const rows = rowsOf(request.body.rows);
        const { opds, errors } = checkedOpds(request, rows, pemda);
        if (errors.length) return send(reply, 400, 'Impor OPD', importErrors(pemda, errors), principal);
        const applied = await attempt(async () => {
          const changes = await applyImport(app.db, principal, pemda.id, opds);
          request.log.info({ partyId: pemda.id, by: principal.id, opds: changes.length }, 'OPD list imported');
        });
        if (!applied.ok) {
          return send(
            reply,
            applied.refused.status,
            'Impor OPD',
            importForm(pemda, applied.refused.message),
            principal,
          );
        }
        return done(reply, 'impor');
      },
    );
  };
}

/** The rows the preview posted back: any other shape is a 400 naming the field. */
function rowsOf(text: string): SheetRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const ok =
    Array.isArray(value) &&
    value.every(
      (r) =>
        typeof r === 'object' &&
        r !== null &&
        Number.isInteger((r as SheetRow).line) &&
        Array.isArray((r as SheetRow).cells) &&
        (r as SheetRow).cells.every((c) => typeof c === 'string'),
    );
  if (!ok)
    throw new Refusal(400, 'invalid_input', 'rows: bukan baris pratinjau yang sah; unggah berkasnya lagi.', 'rows');
  return value as SheetRow[];
}
