// Reports for heads: the overview as JSON (the same numbers as /ringkasan), scoped to what the caller may see.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AgreementView } from '../../domain/view.js';
import type { Database } from '../../schema/database.js';
import type { Principal } from '../../services/access.js';
import { writeCsv, writeXlsx, type CsvSeparator } from '../../services/exports.js';
import { overview } from '../../services/overview.js';
import { ListQuery } from '../schemas/agreements.js';
import { attachment } from './content-disposition.js';
import { requireAccess } from '../auth.js';
import { HttpError } from '../errors.js';
import { DateOnly, Id, READ_ERRORS } from '../schemas/common.js';

export const OverviewQuery = Type.Object(
  {
    partyId: Type.Optional(Id),
    from: Type.Optional(DateOnly),
    to: Type.Optional({ ...DateOnly, description: 'on or after from; a to before from is a 400 naming from' }),
  },
  { additionalProperties: false },
);
const OverviewBody = Type.Object(
  {},
  {
    additionalProperties: true,
    description: 'agreements by stage, instrument and institution; speed; follow-ups; expiring; monev; PKS coverage',
  },
);

/** The list's filters, without paging: an export holds every row they select. */
export const ExportQuery = Type.Omit(ListQuery, ['limit', 'cursor']);
export type ExportQuery = Type.Static<typeof ExportQuery>;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const File = (format: 'xlsx' | 'csv') => ({
  description: format === 'xlsx' ? 'an Excel workbook' : 'CSV, UTF-8 with a BOM',
  content: { [format === 'xlsx' ? XLSX_TYPE : 'text/csv']: { schema: Type.String({ format: 'binary' }) } },
});

/** Where an export reads: the agreements the list would show, and the directory for names. */
export interface ExportSource {
  agreements: { allPages(principal: Principal, q: ExportQuery): AsyncIterable<AgreementView[]> };
  db: Kysely<Database>;
}

/** Streams the export while it is written; a failure midway cuts the download and is logged. */
export function streamExport(
  app: ExportSource,
  request: FastifyRequest,
  reply: FastifyReply,
  principal: Principal,
  q: ExportQuery,
  format: 'xlsx' | 'csv',
  separator: CsvSeparator = ',',
) {
  const out = new PassThrough();
  const pages = () => app.agreements.allPages(principal, q);
  const write = format === 'xlsx' ? writeXlsx(app.db, pages, out) : writeCsv(app.db, pages, out, separator);
  write.then(
    (rows) => request.log.info({ format, rows }, 'agreements exported'),
    (err: Error) => {
      request.log.error({ err: err.message, format }, 'export failed midway');
      out.destroy(err);
    },
  );
  const stamp = new Date().toISOString().slice(0, 10);
  return reply
    .type(format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
    .header('content-disposition', attachment(`kesepakatan-${stamp}.${format}`))
    .send(out);
}

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const format of ['xlsx', 'csv'] as const) {
    app.get(
      `/v1/agreements/export.${format}`,
      {
        schema: {
          tags: ['reports'],
          summary:
            format === 'xlsx'
              ? 'Unduh daftar kesepakatan (Excel: Kesepakatan dan Tindak lanjut)'
              : 'Unduh daftar kesepakatan (CSV, UTF-8 dengan BOM)',
          querystring: ExportQuery,
          response: { 200: File(format), ...READ_ERRORS },
        },
      },
      async (request, reply) =>
        streamExport(app, request, reply, requireAccess(request, 'read'), request.query, format),
    );
  }

  app.get(
    '/v1/reports/overview',
    {
      schema: {
        tags: ['reports'],
        summary: 'Ringkasan: tahap, kecepatan, keterlambatan, masa berlaku, monev, cakupan PKS',
        querystring: OverviewQuery,
        response: { 200: OverviewBody, ...READ_ERRORS },
      },
    },
    async (request) => {
      const { partyId, from, to } = request.query;
      if (from && to && from > to)
        throw new HttpError(400, 'invalid_input', 'from harus sebelum atau sama dengan to.', 'from');
      return overview(app.db, requireAccess(request, 'read'), {
        ...(partyId ? { partyId } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      });
    },
  );
};
