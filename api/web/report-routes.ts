// Pages for heads and for the public: the overview (/ringkasan), the list as a spreadsheet, and /publik.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listParties } from '../../services/directory.js';
import { Refusal } from '../../services/errors.js';
import { overview } from '../../services/overview.js';
import { publicDocument, publishedAgreements } from '../../services/public-list.js';
import { sendFile } from '../routes/content-disposition.js';
import { ExportQuery, streamExport } from '../routes/reports.js';
import { DateOnly, Id, Uuid } from '../schemas/common.js';
import { attempt, hidden, type PageKit } from './kit.js';
import { html } from './html.js';
import { overviewPage } from './pages/overview.js';
import { publicPage } from './pages/public-list.js';

/** An empty select or date field sends an empty value: no filter. */
const OverviewForm = Type.Object(
  {
    partyId: Type.Optional(Type.Union([Type.Literal(''), Id])),
    from: Type.Optional(Type.Union([Type.Literal(''), DateOnly])),
    to: Type.Optional(Type.Union([Type.Literal(''), DateOnly])),
  },
  { additionalProperties: false },
);
/** The list page's filters as its buttons pass them on (an empty select means no filter). */
const DownloadQuery = Type.Object(
  {
    stage: Type.Optional(Type.String({ maxLength: 40 })),
    instrument: Type.Optional(Type.String({ maxLength: 40 })),
    partyId: Type.Optional(Type.String({ maxLength: 64 })),
    overdue: Type.Optional(Type.Literal('true')),
    q: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
const PublicCache = 'public, max-age=300';

export function reportPageRoutes(kit: PageKit): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { send, sessionOf, guarded } = kit;

    app.get('/ringkasan', { ...guarded, schema: { ...hidden, querystring: OverviewForm } }, async (request, reply) => {
      const { principal } = sessionOf(request);
      const { partyId, from, to } = request.query;
      const o = await overview(app.db, principal, {
        ...(partyId ? { partyId } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      });
      return send(reply, 200, 'Ringkasan', await overviewPage(o, await listParties(app.db)), principal);
    });

    for (const format of ['xlsx', 'csv'] as const) {
      app.get(
        `/kesepakatan/unduh.${format}`,
        { ...guarded, schema: { ...hidden, querystring: DownloadQuery } },
        async (request, reply) => {
          const { principal } = sessionOf(request);
          const given = Object.fromEntries(Object.entries(request.query).filter(([, v]) => v !== ''));
          // The same filters as /v1/agreements, checked by that route's schema.
          const check = request.compileValidationSchema(ExportQuery as unknown as Record<string, unknown>);
          const q = { ...given, ...(given['overdue'] ? { overdue: true } : {}) };
          if (!check(q)) throw new Refusal(400, 'invalid_input', 'Filter daftar tidak sah.', 'query');
          // Excel set to Indonesian reads `;` as the column break, since `,` is its decimal mark.
          return streamExport(app, request, reply, principal, q as ExportQuery, format, ';');
        },
      );
    }

    app.get('/publik', { schema: hidden }, async (_request, reply) => {
      void reply.header('cache-control', PublicCache);
      return send(reply, 200, 'Kesepakatan publik', publicPage(await publishedAgreements(app.db)));
    });

    app.get(
      '/publik/pihak/:partyId',
      { schema: { ...hidden, params: Type.Object({ partyId: Id }, { additionalProperties: false }) } },
      async (request, reply) => {
        const party = await app.db
          .selectFrom('parties')
          .select(['id', 'name'])
          .where('id', '=', request.params.partyId)
          .executeTakeFirst();
        const published = party ? await publishedAgreements(app.db, party.id) : [];
        // A party with nothing published is answered as one that does not exist: the directory is not public.
        if (!party || published.length === 0) {
          return send(
            reply,
            404,
            'Tidak ditemukan',
            html`<h1>Tidak ditemukan</h1><section><p>Lembaga ini tidak dikenal.</p></section>`,
          );
        }
        void reply.header('cache-control', PublicCache);
        return send(reply, 200, party.name, publicPage(published, party));
      },
    );

    app.get(
      '/publik/dokumen/:documentId',
      { schema: { ...hidden, params: Type.Object({ documentId: Uuid }, { additionalProperties: false }) } },
      async (request, reply) => {
        const found = await attempt(() => publicDocument(app.db, request.params.documentId));
        if (found.ok) return sendFile(request, reply, found.value, PublicCache);
        const body = html`<h1>Tidak ditemukan</h1><section><p>Dokumen ini tidak diumumkan.</p></section>`;
        return send(reply, 404, 'Tidak ditemukan', body);
      },
    );
  };
}
