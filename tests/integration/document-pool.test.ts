// Reading text and comparing versions run in the document pool's threads with limits (issue: no file and no
// comparison can stall Sinergi). Real files, real worker threads, real limits.
import { afterAll, describe, expect, it } from 'vitest';
import { COMPARISON_NOTES } from '../../services/documents/changes.js';
import { DEFAULT_READING_LIMITS, DocumentReader } from '../../services/documents/reading/pool.js';
import { NOTES } from '../../services/documents/text.js';
import { docxOf, worstCasePair, xmlHeavyDocx } from '../support/hostile-files.js';

const readers: DocumentReader[] = [];
const reader = (limits: Partial<typeof DEFAULT_READING_LIMITS> = {}) => {
  const r = new DocumentReader({ ...DEFAULT_READING_LIMITS, threads: 1, ...limits });
  readers.push(r);
  return r;
};
afterAll(async () => Promise.all(readers.map((r) => r.close())));

describe('the document pool', () => {
  it("counts a DOCX's XML before any parser sees it, and keeps a note instead of text", async () => {
    const file = Buffer.from(await xmlHeavyDocx(10));
    expect(file.length).toBeLessThan(64 * 1024);
    expect(await reader().text('docx', file)).toEqual({ note: NOTES.xml(8) });
  });

  it('ends a job over its heap limit with its thread, not the process, and reads the next file', async () => {
    const r = reader({ jobMb: 48, maxTextXmlMb: 64 });
    const file = Buffer.from(await xmlHeavyDocx(10));
    expect(await r.text('docx', file)).toEqual({ note: NOTES.overLimit });
    expect(await r.text('docx', Buffer.from(await docxOf(['Pasal 1', 'Ruang lingkup kerja sama.'])))).toEqual({
      text: 'Pasal 1\n\nRuang lingkup kerja sama.',
    });
  });

  it('ends a job over its wall-clock limit', async () => {
    const r = reader({ jobSeconds: 1, jobMb: 4096, maxTextXmlMb: 64 });
    expect(await r.text('docx', Buffer.from(await xmlHeavyDocx(10)))).toEqual({ note: NOTES.overLimit });
  });

  it('compares the worst case within its budget: changed paragraphs whole, with the note', async () => {
    const [before, after] = worstCasePair(8000);
    const result = await reader().compare(before, after, { paragraphsMs: 1000, wordsMs: 500 });
    expect(result.note).toBe(COMPARISON_NOTES.words);
    expect(result).toMatchObject({ added: 8000, removed: 8000 });
    expect(result.hunks.map((h) => h.op)).toEqual(['removed', 'equal', 'added']);
  });

  it('compares ordinary versions word by word', async () => {
    const result = await reader().compare(
      'Pasal 1\n\nPelatihan kerja bagi warga binaan.',
      'Pasal 1\n\nPelatihan kerja dan kewirausahaan bagi warga binaan.',
    );
    expect(result).toMatchObject({ added: 2, removed: 0 });
    expect(result.note).toBeUndefined();
  });
});
