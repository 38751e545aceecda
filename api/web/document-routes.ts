// The dashboard's documents: download a kept file, upload one to an agreement (and submit it as the next draft),
// generate a first draft, compare two draft versions, and search the text of every document a person may see.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { DOCUMENT_KINDS, type DocumentKind } from '../../services/documents/documents.js';
import { Refusal } from '../../services/errors.js';
import { sendFile } from '../routes/content-disposition.js';
import { Id, Line, LongText, Uuid } from '../schemas/common.js';
import { attempt, hidden, type PageKit, type Refused } from './kit.js';
import { html } from './html.js';
import { comparisonPage, searchPage } from './pages/documents.js';
import { EmptyForm } from './schemas.js';

const AgreementParams = Type.Object({ id: Id }, { additionalProperties: false });
const DocumentParams = Type.Object({ documentId: Uuid }, { additionalProperties: false });
const VersionParams = Type.Object(
  { id: Id, version: Type.Integer({ minimum: 1, maximum: 100000 }) },
  { additionalProperties: false },
);
const SearchQuery = Type.Object({ q: Type.Optional(Line(200, 0)) }, { additionalProperties: false });
/** The upload form as the multipart reader gives it: the file with its name, and the text fields. */
const UploadForm = Type.Object(
  {
    file: Type.Optional(Type.Unsafe<{ filename: string; bytes: Buffer }>({})),
    kind: Type.Optional(Line(20, 0)),
    submit: Type.Optional(Type.Literal('ya')),
    // The draft's note to the other parties; empty when the field was left blank.
    note: Type.Optional(Type.Union([Type.Literal(''), LongText])),
  },
  { additionalProperties: false },
);

export function documentRoutes(kit: PageKit, maxUploadBytes: number): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { send, sessionOf, guarded } = kit;
    const refused = (reply: FastifyReply, r: Refused, id: string) => {
      const where = r.field ? `${r.field}: ` : '';
      return send(
        reply,
        r.status,
        'Dokumen',
        html`<h1>Dokumen tidak disimpan</h1><section><p role="alert">${where}${r.message.replace(/^file: /, '')}</p>
<p><a href="/kesepakatan/${id}">Kembali ke kesepakatan</a></p></section>`,
        sessionOf(reply.request).principal,
      );
    };

    app.get(
      '/dokumen/:documentId',
      { ...guarded, schema: { ...hidden, params: DocumentParams } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const read = await attempt(() => app.documents.read(principal, request.params.documentId));
        if (read.ok) return sendFile(request, reply, { ...read.value.info, bytes: read.value.bytes });
        const body = html`<h1>Dokumen tidak ditemukan</h1><section><p>${read.refused.message}</p></section>`;
        return send(reply, read.refused.status, 'Tidak ditemukan', body, principal);
      },
    );

    app.get('/dokumen', { ...guarded, schema: { ...hidden, querystring: SearchQuery } }, async (request, reply) => {
      const { principal } = sessionOf(request);
      const q = request.query.q?.trim() ?? '';
      return send(reply, 200, 'Dokumen', searchPage(q, q ? await app.documents.search(principal, q) : []), principal);
    });

    app.post(
      '/kesepakatan/:id/dokumen',
      {
        ...guarded,
        schema: { ...hidden, params: AgreementParams, body: UploadForm },
        config: { multipartOptions: { limits: { fileSize: maxUploadBytes, files: 1, fields: 5, parts: 6 } } },
      },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const { id } = request.params;
        const { file, kind, submit, note } = request.body;
        const uploaded = await attempt(async () => {
          if (!kind || !(DOCUMENT_KINDS as readonly string[]).includes(kind))
            throw new Refusal(400, 'invalid_input', `pilih jenis dokumen.`, 'kind');
          if (!file || file.bytes.length === 0)
            throw new Refusal(400, 'invalid_input', 'pilih berkas yang akan diunggah.', 'file');
          const doc = await app.documents.upload(principal, id, {
            kind: kind as DocumentKind,
            filename: file.filename,
            bytes: file.bytes,
          });
          request.log.info(
            { agreementId: id, documentId: doc.id, kind, by: principal.id },
            'document uploaded from the dashboard',
          );
          if (kind === 'draft' && submit === 'ya') {
            await app.agreements
              .command(principal, id, {
                type: 'submitDraft',
                documentUrl: '',
                documentId: doc.id,
                ...(note ? { note } : {}),
              })
              .catch(async (err: unknown) => {
                await app.documents.forget(doc.id);
                throw err;
              });
          }
        });
        if (!uploaded.ok) return refused(reply, uploaded.refused, id);
        return reply.redirect(`/kesepakatan/${id}?ok=dokumen`, 303);
      },
    );

    app.post(
      '/kesepakatan/:id/draf/buat',
      { ...guarded, schema: { ...hidden, params: AgreementParams, body: EmptyForm } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const { id } = request.params;
        const generated = await attempt(() => app.drafts.generate(principal, id));
        if (!generated.ok) return refused(reply, generated.refused, id);
        request.log.info({ agreementId: id, by: principal.id }, 'draft generated from the dashboard');
        return reply.redirect(`/kesepakatan/${id}?ok=draf`, 303);
      },
    );

    app.get(
      '/kesepakatan/:id/draf/:version/perubahan',
      { ...guarded, schema: { ...hidden, params: VersionParams } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const { id, version } = request.params;
        const compared = await attempt(() =>
          Promise.all([app.agreements.read(principal, id), app.documents.changes(principal, id, version)]),
        );
        if (compared.ok) {
          const [view, comparison] = compared.value;
          return send(reply, 200, `Perubahan draf versi ${version}`, comparisonPage(view, comparison), principal);
        }
        return send(
          reply,
          compared.refused.status,
          'Perubahan draf',
          html`<h1>Perubahan draf</h1><section><p role="alert">${compared.refused.message}</p>
<p><a href="/kesepakatan/${id}">Kembali ke kesepakatan</a></p></section>`,
          principal,
        );
      },
    );
  };
}
