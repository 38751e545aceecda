// Documents kept in Sinergi: upload to an agreement (multipart), download, list, search, compare draft versions,
// and generate a first draft. Access follows the agreement's: another party's document is a 404.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ACCEPTED } from '../../services/documents/content.js';
import { DOCUMENT_KINDS, STORED_KINDS, type DocumentKind, type Upload } from '../../services/documents/documents.js';
import { requireAccess } from '../auth.js';
import { HttpError } from '../errors.js';
import { AgreementParams, DraftParams, ViewBody } from '../schemas/agreements.js';
import { Enum, ErrorBody, Line, READ_ERRORS, SignatureRejectedBody, Uuid, WRITE_ERRORS } from '../schemas/common.js';
import { sendFile } from './content-disposition.js';

export const Document = Type.Object({
  id: Type.String(),
  agreementId: Type.String(),
  kind: Enum(STORED_KINDS),
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  uploadedAt: Type.String(),
  textNote: Type.Optional(Type.String({ description: 'why the text could not be read, when it could not' })),
});
const SearchHit = Type.Object({
  ...Document.properties,
  agreementTitle: Type.String(),
  version: Type.Optional(Type.Integer()),
  snippet: Type.String({ description: 'HTML: the text escaped, matched words in <mark>' }),
});
const Changes = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  added: Type.Integer({ description: 'words' }),
  removed: Type.Integer({ description: 'words' }),
  hunks: Type.Array(Type.Object({ op: Enum(['equal', 'added', 'removed'] as const), text: Type.String() })),
  note: Type.Optional(
    Type.String({
      description: 'why some paragraphs show whole, or only the counts: the versions were too costly to compare',
    }),
  ),
});
const DocumentParams = Type.Object({ documentId: Uuid }, { additionalProperties: false });
const SearchQuery = Type.Object({ q: Line(200) }, { additionalProperties: false });
const Binary = {
  description: 'the stored bytes, with their own Content-Type',
  content: Object.fromEntries(
    Object.values(ACCEPTED).map((type) => [type, { schema: Type.String({ format: 'binary' }) }]),
  ),
};
const NotModified = Type.Unsafe<undefined>({ description: 'If-None-Match named the ETag (the SHA-256)', type: 'null' });
const UploadBody = {
  description: 'multipart/form-data with `file` and `kind`',
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file', 'kind'],
        properties: { file: { type: 'string', format: 'binary' }, kind: { type: 'string', enum: [...DOCUMENT_KINDS] } },
      },
    },
  },
};

const SignedCopyBody = {
  description: 'multipart/form-data with `file`: the current PDF signed by the person whose turn it is',
  content: {
    'multipart/form-data': {
      schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
    },
  },
};

export function documentRoutes(maxUploadBytes: number): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(multipart, {
      limits: { fileSize: maxUploadBytes, files: 1, fields: 5, parts: 6, fieldSize: 1000 },
    });

    /** The multipart form as an upload: `file` read whole (bounded), `kind` one of the kinds; else a 4xx naming the
     * field. */
    async function uploadOf(request: FastifyRequest): Promise<Upload> {
      const { file, kind } = await formOf(request);
      if (!kind) throw new HttpError(400, 'invalid_input', `kind wajib diisi: ${DOCUMENT_KINDS.join(', ')}.`, 'kind');
      if (!(DOCUMENT_KINDS as readonly string[]).includes(kind))
        throw new HttpError(400, 'invalid_input', `kind harus salah satu dari: ${DOCUMENT_KINDS.join(', ')}.`, 'kind');
      return { kind: kind as DocumentKind, ...fileIn(file) };
    }

    const fileIn = (file: { filename: string; bytes: Buffer } | undefined) => {
      if (!file) throw new HttpError(400, 'invalid_input', 'file wajib diisi.', 'file');
      if (file.bytes.length === 0) throw new HttpError(400, 'invalid_input', 'file: berkas kosong.', 'file');
      return file;
    };

    /** The multipart form's `file` (read whole, bounded) and `kind`; a form that cannot be read is a 4xx. */
    async function formOf(request: FastifyRequest) {
      if (!request.isMultipart())
        throw new HttpError(415, 'unsupported_media_type', 'Kirim multipart/form-data dengan file.', 'file');
      let file: { filename: string; bytes: Buffer } | undefined;
      let kind: string | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            if (part.fieldname === 'file') file = { filename: part.filename, bytes };
          } else if (part.fieldname === 'kind') {
            kind = String(part.value);
          }
        }
      } catch (err) {
        if (err instanceof HttpError) throw err;
        const code = (err as { code?: string }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new HttpError(
            413,
            'too_large',
            `file: berkas lebih dari ${Math.round(maxUploadBytes / 1048576)} MB.`,
            'file',
          );
        }
        throw new HttpError(
          400,
          'invalid_multipart',
          `file: formulir multipart tidak dapat dibaca (${(err as Error).message}).`,
          'file',
        );
      }
      return { file, kind };
    }

    app.post(
      '/v1/agreements/:id/documents',
      {
        schema: {
          tags: ['documents'],
          summary: 'Unggah dokumen (draf, salinan bertanda tangan, notulen, laporan, lampiran)',
          params: AgreementParams,
          consumes: ['multipart/form-data'],
          response: { 201: Document, ...WRITE_ERRORS },
        },
        config: { openapi: { requestBody: UploadBody } },
      },
      async (request, reply) => {
        const principal = requireAccess(request, 'act');
        const upload = await uploadOf(request);
        const info = await app.documents.upload(principal, request.params.id, upload);
        request.log.info(
          { agreementId: request.params.id, documentId: info.id, kind: info.kind, size: info.size },
          'document uploaded',
        );
        return reply.status(201).send(info);
      },
    );

    app.get(
      '/v1/agreements/:id/documents',
      {
        schema: {
          tags: ['documents'],
          summary: 'Dokumen sebuah kesepakatan',
          params: AgreementParams,
          response: { 200: Type.Object({ items: Type.Array(Document) }), ...READ_ERRORS },
        },
      },
      async (request) => ({
        items: await app.documents.list(requireAccess(request, 'read'), request.params.id),
      }),
    );

    app.get(
      '/v1/documents/:documentId',
      {
        schema: {
          tags: ['documents'],
          summary: 'Unduh dokumen',
          params: DocumentParams,
          response: { 200: Binary, 304: NotModified, ...READ_ERRORS },
        },
      },
      async (request, reply) => {
        const { info, bytes } = await app.documents.read(requireAccess(request, 'read'), request.params.documentId);
        return sendFile(request, reply, { ...info, bytes });
      },
    );

    app.get(
      '/v1/documents',
      {
        schema: {
          tags: ['documents'],
          summary: 'Cari teks dokumen',
          querystring: SearchQuery,
          response: { 200: Type.Object({ items: Type.Array(SearchHit) }), ...READ_ERRORS },
        },
      },
      async (request) => ({
        items: await app.documents.search(requireAccess(request, 'read'), request.query.q),
      }),
    );

    app.get(
      '/v1/agreements/:id/drafts/:version/changes',
      {
        schema: {
          tags: ['documents'],
          summary: 'Perubahan draf dari versi sebelumnya',
          description: '409 when a version has no text to compare (not a file kept in Sinergi, or unreadable).',
          params: DraftParams,
          response: { 200: Changes, ...READ_ERRORS, 409: ErrorBody },
        },
      },
      async (request) =>
        app.documents.changes(requireAccess(request, 'read'), request.params.id, request.params.version),
    );

    app.get(
      '/v1/agreements/:id/signing/document',
      {
        schema: {
          tags: ['signing'],
          summary: 'Unduh berkas terkini penandatanganan elektronik, dengan semua tanda tangan sejauh ini',
          params: AgreementParams,
          response: { 200: Binary, 304: NotModified, 409: ErrorBody, ...READ_ERRORS },
        },
      },
      async (request, reply) => {
        const { info, bytes } = await app.signedCopies.current(requireAccess(request, 'read'), request.params.id);
        return sendFile(request, reply, { ...info, bytes });
      },
    );

    app.get(
      '/v1/agreements/:id/signing/audit-sheet',
      {
        schema: {
          tags: ['signing'],
          summary: 'Lembar jejak audit penandatanganan elektronik (PDF)',
          params: AgreementParams,
          response: { 200: Binary, 304: NotModified, 409: ErrorBody, ...READ_ERRORS },
        },
      },
      async (request, reply) => {
        const { info, bytes } = await app.signedCopies.auditSheet(requireAccess(request, 'read'), request.params.id);
        return sendFile(request, reply, { ...info, bytes });
      },
    );

    app.post(
      '/v1/agreements/:id/signing/signed-copies',
      {
        schema: {
          tags: ['signing'],
          summary: 'Unggah salinan bertanda tangan untuk langkah yang sedang berjalan',
          params: AgreementParams,
          consumes: ['multipart/form-data'],
          response: { 200: ViewBody, 422: SignatureRejectedBody, ...WRITE_ERRORS },
        },
        config: { openapi: { requestBody: SignedCopyBody } },
      },
      async (request) => {
        const principal = requireAccess(request, 'act');
        const file = fileIn((await formOf(request)).file);
        const view = await app.signedCopies.accept(principal, request.params.id, file);
        request.log.info({ agreementId: request.params.id, version: view.version }, 'signed copy accepted');
        return view;
      },
    );

    app.post(
      '/v1/agreements/:id/drafts/generate',
      {
        schema: {
          tags: ['documents'],
          summary: 'Buat draf pertama (DOCX) dari data kesepakatan dan ajukan sebagai versi berikutnya',
          params: AgreementParams,
          response: { 200: ViewBody, ...WRITE_ERRORS },
        },
      },
      async (request) => {
        const principal = requireAccess(request, 'act');
        const view = await app.drafts.generate(principal, request.params.id);
        request.log.info({ agreementId: request.params.id, version: view.drafts.at(-1)?.version }, 'draft generated');
        return view;
      },
    );
  };
}
