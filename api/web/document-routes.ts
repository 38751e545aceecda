// The dashboard's documents: download a kept file, upload one to an agreement (and submit it as the next draft),
// generate a first draft, compare two draft versions, and search the text of every document a person may see.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { DOCUMENT_KINDS, type DocumentKind } from '../../services/documents/documents.js';
import { Refusal } from '../../services/errors.js';
import { sendFile } from '../routes/content-disposition.js';
import { Id, Line, LongText, Uuid } from '../schemas/common.js';
import { hidden, type PageKit } from './kit.js';
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
    const refused = (reply: FastifyReply, err: unknown, id: string) => {
      if (!(err instanceof Refusal)) throw err;
      const where = err.field ? `${err.field}: ` : '';
      return send(
        reply,
        err.statusCode,
        'Dokumen',
        html`<h1>Dokumen tidak disimpan</h1><section><p role="alert">${where}${err.message.replace(/^file: /, '')}</p>
<p><a href="/kesepakatan/${id}">Kembali ke kesepakatan</a></p></section>`,
        sessionOf(reply.request).principal,
      );
    };

    app.get(
      '/dokumen/:documentId',
      { ...guarded, schema: { ...hidden, params: DocumentParams } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        try {
          const { info, bytes } = await app.documents.read(principal, request.params.documentId);
          return sendFile(request, reply, { ...info, bytes });
        } catch (err) {
          if (!(err instanceof Refusal)) throw err;
          return send(
            reply,
            err.statusCode,
            'Tidak ditemukan',
            html`<h1>Dokumen tidak ditemukan</h1><section><p>${err.message}</p></section>`,
            principal,
          );
        }
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
        try {
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
        } catch (err) {
          return refused(reply, err, id);
        }
        return reply.redirect(`/kesepakatan/${id}?ok=dokumen`, 303);
      },
    );

    app.post(
      '/kesepakatan/:id/draf/buat',
      { ...guarded, schema: { ...hidden, params: AgreementParams, body: EmptyForm } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const { id } = request.params;
        try {
          await app.drafts.generate(principal, id);
        } catch (err) {
          return refused(reply, err, id);
        }
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
        try {
          const [view, comparison] = await Promise.all([
            app.agreements.read(principal, id),
            app.documents.changes(principal, id, version),
          ]);
          return send(reply, 200, `Perubahan draf versi ${version}`, comparisonPage(view, comparison), principal);
        } catch (err) {
          if (!(err instanceof Refusal)) throw err;
          return send(
            reply,
            err.statusCode,
            'Perubahan draf',
            html`<h1>Perubahan draf</h1><section><p role="alert">${err.message}</p>
<p><a href="/kesepakatan/${id}">Kembali ke kesepakatan</a></p></section>`,
            principal,
          );
        }
      },
    );
  };
}
