// What changed between two versions of a draft: paragraphs aligned first, then words compared within each
// changed paragraph, so one altered clause shows as a few words, not as a whole page removed and added.
// Every step has a time budget (jsdiff gives up past it): a pair too costly for words shows as whole
// paragraphs, and a text too costly even for paragraphs gets counts and a note. It runs in the document pool.
import { diffArrays, diffWords } from 'diff';

export interface Hunk {
  op: 'equal' | 'added' | 'removed';
  text: string;
}
export interface Comparison {
  added: number;
  removed: number;
  hunks: Hunk[];
  note?: string;
}

export interface CompareBudget {
  /** Milliseconds for aligning the paragraphs. */
  paragraphsMs: number;
  /** Milliseconds for comparing words, over all changed paragraphs together. */
  wordsMs: number;
}
export const DEFAULT_BUDGET: CompareBudget = { paragraphsMs: 3_000, wordsMs: 5_000 };

export const COMPARISON_NOTES = {
  words: 'Sebagian paragraf terlalu banyak berubah untuk dibandingkan kata demi kata; paragraf itu ditampilkan utuh.',
  paragraphs: 'Kedua versi terlalu besar atau terlalu berbeda untuk dibandingkan; hanya jumlah kata yang dihitung.',
  overLimit: 'Perbandingan melewati batas waktu atau memori; hanya jumlah kata yang dihitung.',
} as const;

const paragraphs = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
export const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

export function compareTexts(before: string, after: string, budget: CompareBudget = DEFAULT_BUDGET): Comparison {
  const blocks = diffArrays(paragraphs(before), paragraphs(after), { timeout: budget.paragraphsMs });
  if (!blocks)
    return { added: wordCount(after), removed: wordCount(before), hunks: [], note: COMPARISON_NOTES.paragraphs };
  const hunks: Hunk[] = [];
  const push = (op: Hunk['op'], text: string) => {
    if (!text) return;
    const last = hunks[hunks.length - 1];
    if (last?.op === op) last.text += text;
    else hunks.push({ op, text });
  };
  let separate = false;
  const paragraph = () => {
    if (separate) push('equal', '\n\n');
    separate = true;
  };
  const wordsUntil = Date.now() + budget.wordsMs;
  let wholeParagraphs = false;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const next = blocks[i + 1];
    if (block.removed && next?.added) {
      // A changed run of paragraphs: pair them and compare word by word; the rest are whole paragraphs.
      const pairs = Math.min(block.value.length, next.value.length);
      for (let k = 0; k < pairs; k++) {
        paragraph();
        const left = wordsUntil - Date.now();
        const parts = left > 0 ? diffWords(block.value[k]!, next.value[k]!, { timeout: left }) : undefined;
        if (!parts) {
          wholeParagraphs = true;
          push('removed', block.value[k]!);
          paragraph();
          push('added', next.value[k]!);
          continue;
        }
        for (const part of parts) push(part.added ? 'added' : part.removed ? 'removed' : 'equal', part.value);
      }
      for (const p of block.value.slice(pairs)) {
        paragraph();
        push('removed', p);
      }
      for (const p of next.value.slice(pairs)) {
        paragraph();
        push('added', p);
      }
      i++;
      continue;
    }
    const op = block.added ? 'added' : block.removed ? 'removed' : 'equal';
    for (const p of block.value) {
      paragraph();
      push(op, p);
    }
  }
  const count = (op: Hunk['op']) => hunks.filter((h) => h.op === op).reduce((n, h) => n + wordCount(h.text), 0);
  return {
    added: count('added'),
    removed: count('removed'),
    hunks,
    ...(wholeParagraphs ? { note: COMPARISON_NOTES.words } : {}),
  };
}
