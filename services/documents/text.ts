// The text of a kept document, for comparing versions and for search. A document that cannot be read (broken,
// or a zip that unpacks too far) keeps its bytes and gets a note instead of text; nothing here may crash.
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { checkZipBounds, ZipTooLarge } from '../files/zip-bounds.js';
import type { Format } from './content.js';

export const MAX_TEXT_CHARS = 2_000_000;
const UNPACK_LIMIT = 100 * 1024 * 1024;

export type Extracted = { text: string } | { note: string };

export async function extractTextOf(format: Format, bytes: Buffer): Promise<Extracted | undefined> {
  try {
    if (format === 'docx' || format === 'odt' || format === 'xlsx') await checkZipBounds(bytes, UNPACK_LIMIT);
    const text = format === 'docx' ? await docx(bytes) : format === 'odt' ? await odt(bytes) : format === 'pdf' ? await pdf(bytes) : undefined;
    return text === undefined ? undefined : { text: tidy(text).slice(0, MAX_TEXT_CHARS) };
  } catch (err) {
    if (err instanceof ZipTooLarge) return { note: 'Teks tidak dibaca: isi berkas terlalu besar setelah dibuka.' };
    return { note: 'Teks tidak dapat dibaca dari berkas ini; berkasnya tetap disimpan apa adanya.' };
  }
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
  text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
