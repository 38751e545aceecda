import type { FastifyReply, FastifyRequest } from 'fastify';

// `Content-Disposition: attachment` with the original file name: an ASCII fallback, and the exact name in
// UTF-8 (RFC 6266 / RFC 8187), so "Draf Kesepakatan – revisi.docx" arrives as it was uploaded.
export function attachment(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A kept file as every door sends it: its type, its name, `nosniff`, and its SHA-256 as the ETag (304 on a match). */
export interface KeptFile {
  filename: string;
  contentType: string;
  sha256: string;
  bytes: Buffer;
}

export function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: KeptFile,
  cacheControl = 'private, no-cache',
): FastifyReply {
  const etag = `"${file.sha256}"`;
  void reply.header('etag', etag).header('x-content-type-options', 'nosniff').header('cache-control', cacheControl);
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.type(file.contentType).header('content-disposition', attachment(file.filename)).send(file.bytes);
}
