// Untrusted work off the API's event loop: a document's text and the comparison of two versions run in a small
// pool of worker threads (piscina), each job with a wall-clock limit and a heap limit. A job past either is
// ended with its thread; the caller gets a note instead of a result, and the process and every request go on.
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import type { CompareBudget, Comparison } from '../changes.js';
import { COMPARISON_NOTES, DEFAULT_BUDGET, wordCount } from '../changes.js';
import { DEFAULT_DOCUMENT_THREADS } from '../../../config/env.js';
import type { Format } from '../content.js';
import { DEFAULT_MAX_TEXT_XML_BYTES, NOTES, type Extracted } from '../text.js';
import type { SignedCopyResult } from '../signatures/verify.js';
import type { CompareJob, ExtractJob, VerifyJob } from './tasks.js';

export interface ReadingLimits {
  /** Threads at most; idle ones exit. */
  threads: number;
  /** Wall-clock seconds one job may take. */
  jobSeconds: number;
  /** Heap (old generation) one job's thread may use, in MB. */
  jobMb: number;
  /** The XML of a document's text part a parser may see, in MB. */
  maxTextXmlMb: number;
}

export const DEFAULT_READING_LIMITS: ReadingLimits = {
  threads: DEFAULT_DOCUMENT_THREADS,
  jobSeconds: 20,
  jobMb: 256,
  maxTextXmlMb: DEFAULT_MAX_TEXT_XML_BYTES / 1024 / 1024,
};

// From source (tsx, vitest) the thread loads the TypeScript tasks through tsx; the built image runs tasks.js.
const TASKS = new URL(import.meta.url.endsWith('.ts') ? './thread-from-source.mjs' : './tasks.js', import.meta.url)
  .href;

export class DocumentReader {
  private readonly pool: Piscina;

  constructor(
    private readonly limits: ReadingLimits = DEFAULT_READING_LIMITS,
    private readonly log?: Logger,
  ) {
    this.pool = new Piscina({
      filename: TASKS,
      minThreads: 0,
      maxThreads: limits.threads,
      idleTimeout: 30_000,
      resourceLimits: {
        maxOldGenerationSizeMb: limits.jobMb,
        maxYoungGenerationSizeMb: Math.min(64, limits.jobMb / 4),
      },
    });
  }

  /** The document's text, or a note saying why there is none (a job over its limits among the reasons). */
  async text(format: Format, bytes: Buffer): Promise<Extracted | undefined> {
    const job: ExtractJob = { format, bytes, maxXmlBytes: this.limits.maxTextXmlMb * 1024 * 1024 };
    try {
      return (await this.run('extract', job)) as Extracted | undefined;
    } catch (err) {
      this.log?.warn(
        { job: 'extract', format, size: bytes.length, reason: (err as Error).message },
        'document job ended at its limit',
      );
      return { note: NOTES.overLimit };
    }
  }

  /** Two versions compared, or their counts with a note when even that was over the limits. */
  async compare(before: string, after: string, budget: CompareBudget = DEFAULT_BUDGET): Promise<Comparison> {
    const job: CompareJob = { before, after, budget };
    try {
      return (await this.run('compare', job)) as Comparison;
    } catch (err) {
      this.log?.warn(
        { job: 'compare', chars: before.length + after.length, reason: (err as Error).message },
        'document job ended at its limit',
      );
      return { added: wordCount(after), removed: wordCount(before), hunks: [], note: COMPARISON_NOTES.overLimit };
    }
  }

  /** A signed copy's verdict; a copy no thread could check within the limits is not one Sinergi can accept. */
  async verifySignedCopy(job: VerifyJob): Promise<SignedCopyResult> {
    try {
      return (await this.run('verify', job)) as SignedCopyResult;
    } catch (err) {
      this.log?.warn(
        { job: 'verify', size: job.next.length, reason: (err as Error).message },
        'document job ended at its limit',
      );
      return { ok: false, reason: 'wrong_document', detail: 'it could not be checked within the limits' };
    }
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

  private run(name: 'extract' | 'compare' | 'verify', job: ExtractJob | CompareJob | VerifyJob): Promise<unknown> {
    return this.pool.run(job, { name, signal: AbortSignal.timeout(this.limits.jobSeconds * 1000) });
  }
}
