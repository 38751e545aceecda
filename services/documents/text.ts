// The text of a kept document, for comparing versions and for search. A document that cannot be read (broken,
// a zip that unpacks too far, more XML than the bound) keeps its bytes and gets a note instead of text; nothing
// here may crash. It runs in the document pool's threads (reading/), never on the API's event loop.
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { checkZipBounds, inflatedSize, ZipTooLarge } from '../files/zip-bounds.js';
import type { Format } from './content.js';

export const MAX_TEXT_CHARS = 2_000_000;
const UNPACK_LIMIT = 100 * 1024 * 1024;
/** The XML a parser would read: a few MB hold hundreds of pages; more is a document built to exhaust the parser. */
export const DEFAULT_MAX_TEXT_XML_BYTES = 8 * 1024 * 1024;

export type Extracted = { text: string } | { note: string };

/** The part of each zip-based format that holds its text. */
const TEXT_PART: Partial<Record<Format, string>> = { docx: 'word/document.xml', odt: 'content.xml' };

class TooMuchXml extends Error {}

export const NOTES = {
  unpacked: 'Teks tidak dibaca: isi berkas terlalu besar setelah dibuka.',
  xml: (mb: number) => `Teks tidak dibaca: bagian teks berkas ini lebih dari ${mb} MB.`,
  unreadable: 'Teks tidak dapat dibaca dari berkas ini; berkasnya tetap disimpan apa adanya.',
  overLimit:
    'Teks tidak dibaca: membaca berkas ini melewati batas waktu atau memori; berkasnya tetap disimpan apa adanya.',
} as const;

export async function extractTextOf(
  format: Format,
  bytes: Buffer,
  maxXmlBytes = DEFAULT_MAX_TEXT_XML_BYTES,
): Promise<Extracted | undefined> {
  try {
    if (format === 'docx' || format === 'odt' || format === 'xlsx') await checkZipBounds(bytes, UNPACK_LIMIT);
    const part = TEXT_PART[format];
    if (part) await requireXmlWithin(bytes, part, maxXmlBytes);
    const text =
      format === 'docx'
        ? await docx(bytes)
        : format === 'odt'
          ? await odt(bytes)
          : format === 'pdf'
            ? await pdf(bytes)
            : undefined;
    return text === undefined ? undefined : { text: tidy(text).slice(0, MAX_TEXT_CHARS) };
  } catch (err) {
    if (err instanceof ZipTooLarge) return { note: NOTES.unpacked };
    if (err instanceof TooMuchXml) return { note: NOTES.xml(Math.round(maxXmlBytes / 1024 / 1024)) };
    return { note: NOTES.unreadable };
  }
}

/** Counts the text part as it inflates, and stops at the bound before any parser sees it. */
async function requireXmlWithin(bytes: Buffer, part: string, maxBytes: number): Promise<void> {
  const entry = (await JSZip.loadAsync(bytes, { checkCRC32: false })).file(part);
  if (!entry) return; // the parser reports a missing part as unreadable
  await inflatedSize(entry, maxBytes, () => new TooMuchXml(`${part} is over ${maxBytes} bytes`));
}

const docx = async (bytes: Buffer) => (await mammoth.extractRawText({ buffer: bytes })).value;

async function pdf(bytes: Buffer): Promise<string> {
  const proxy = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(proxy, { mergePages: false });
  return text.join('\n\n');
}

/** ODT: the paragraphs of content.xml, tags dropped and entities read. */
async function odt(bytes: Buffer): Promise<string> {
  const xml = await (await JSZip.loadAsync(bytes)).file('content.xml')?.async('string');
  if (xml === undefined) throw new Error('no content.xml');
  const entity: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return xml
    .replace(/<text:(p|h)\b[^>]*\/>/g, '\n\n')
    .replace(/<\/text:(p|h)>/g, '\n\n')
    .replace(/<text:(tab|line-break)\b[^>]*\/>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => entity[e] ?? '');
}

/** One blank line between paragraphs, no trailing spaces, no control characters. */
const tidy = (text: string): string =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
