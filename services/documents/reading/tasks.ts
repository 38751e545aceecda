// What the document pool's threads run: reading a document's text and comparing two versions. Each job is
// bounded inside (XML counted before parsing, jsdiff's time budgets) and from outside (the pool's limits).
import type { Format } from '../content.js';
import { compareTexts, type CompareBudget, type Comparison } from '../changes.js';
import { extractTextOf, type Extracted } from '../text.js';

export interface ExtractJob {
  format: Format;
  bytes: Uint8Array;
  maxXmlBytes: number;
}
export interface CompareJob {
  before: string;
  after: string;
  budget: CompareBudget;
}

export function extract(job: ExtractJob): Promise<Extracted | undefined> {
  return extractTextOf(
    job.format,
    Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength),
    job.maxXmlBytes,
  );
}

export function compare(job: CompareJob): Comparison {
  return compareTexts(job.before, job.after, job.budget);
}
