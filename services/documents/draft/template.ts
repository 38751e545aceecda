// The first draft's words, read from a JSON file an operator may edit (SINERGI_DRAFT_TEMPLATE), and filled in
// with the agreement's own data. A template that is not the expected shape is refused when it is read.
import { readFile } from 'node:fs/promises';

export interface DraftTemplate {
  judul: string[];
  nomor: string;
  pembukaan: string;
  pihak: string;
  setelahPihak: string;
  pasal: { judul: string; isi: string[]; daftar?: 'ruangLingkup' }[];
  tandaTangan: string[];
}

export const DEFAULT_DRAFT_TEMPLATE = new URL('../../../config/templates/draf-kesepakatan.json', import.meta.url)
  .pathname;

const isText = (v: unknown): v is string => typeof v === 'string';
const isTexts = (v: unknown): v is string[] => Array.isArray(v) && v.every(isText);

export async function readTemplate(path: string): Promise<DraftTemplate> {
  const t = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  const pasal = t['pasal'];
  const ok =
    isTexts(t['judul']) &&
    isText(t['nomor']) &&
    isText(t['pembukaan']) &&
    isText(t['pihak']) &&
    isText(t['setelahPihak']) &&
    isTexts(t['tandaTangan']) &&
    Array.isArray(pasal) &&
    pasal.every(
      (p: Record<string, unknown>) =>
        isText(p['judul']) && isTexts(p['isi']) && (p['daftar'] === undefined || p['daftar'] === 'ruangLingkup'),
    );
  if (!ok)
    throw new Error(
      `draft template ${path}: expected judul, nomor, pembukaan, pihak, setelahPihak, pasal[{judul, isi, daftar?}], ` +
        `tandaTangan`,
    );
  return t as unknown as DraftTemplate;
}

/** `{name}` replaced by its value; an unknown placeholder is left as typed, for the operator to see. */
export const fill = (text: string, values: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
