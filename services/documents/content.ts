// What a document is, decided by its bytes and never by its name: PDF, DOCX, ODT, XLSX, JPEG and PNG only.
import { fileTypeFromBuffer } from 'file-type';
import { Refusal } from '../errors.js';

export const ACCEPTED = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: 'image/jpeg',
  png: 'image/png',
} as const;
export type Format = keyof typeof ACCEPTED;

/** The format the bytes hold; anything else is a 415 that names the type found. */
export async function formatOf(bytes: Buffer): Promise<{ format: Format; contentType: string }> {
  const found = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (found && found.ext in ACCEPTED)
    return { format: found.ext as Format, contentType: ACCEPTED[found.ext as Format] };
  const named = found ? `${found.mime} (.${found.ext})` : 'tidak dikenali';
  throw new Refusal(
    415,
    'unsupported_type',
    `file: jenis berkas ${named} tidak diterima; kirim PDF, DOCX, ODT, XLSX, JPEG atau PNG.`,
    'file',
  );
}
