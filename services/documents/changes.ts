// What changed between two versions of a draft: paragraphs aligned first, then words compared within each
// changed paragraph, so one altered clause shows as a few words, not as a whole page removed and added.
import { diffArrays, diffWords } from 'diff';

export interface Hunk { op: 'equal' | 'added' | 'removed'; text: string }
export interface Comparison { added: number; removed: number; hunks: Hunk[] }

const paragraphs = (text: string): string[] => text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

export function compareTexts(before: string, after: string): Comparison {
  const hunks: Hunk[] = [];
  const push = (op: Hunk['op'], text: string) => {
    if (!text) return;
    const last = hunks[hunks.length - 1];
    if (last?.op === op) last.text += text;
    else hunks.push({ op, text });
  };
  const blocks = diffArrays(paragraphs(before), paragraphs(after));
  let separate = false;
  const paragraph = () => {
    if (separate) push('equal', '\n\n');
    separate = true;
  };
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const next = blocks[i + 1];
    if (block.removed && next?.added) {
      // A changed run of paragraphs: pair them and compare word by word; the rest are whole paragraphs.
      const pairs = Math.min(block.value.length, next.value.length);
      for (let k = 0; k < pairs; k++) {
        paragraph();
        for (const part of diffWords(block.value[k]!, next.value[k]!)) push(part.added ? 'added' : part.removed ? 'removed' : 'equal', part.value);
      }
      for (const p of block.value.slice(pairs)) { paragraph(); push('removed', p); }
      for (const p of next.value.slice(pairs)) { paragraph(); push('added', p); }
      i++;
      continue;
    }
    const op = block.added ? 'added' : block.removed ? 'removed' : 'equal';
    for (const p of block.value) { paragraph(); push(op, p); }
  }
  const count = (op: Hunk['op']) => hunks.filter((h) => h.op === op).reduce((n, h) => n + wordCount(h.text), 0);
  return { added: count('added'), removed: count('removed'), hunks };
}
