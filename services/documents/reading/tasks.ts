// What the document pool's threads run: reading a document's text, comparing two versions, and verifying a signed
// copy. Each job is bounded inside (XML counted before parsing, jsdiff's time budgets) and from outside (the pool's
// limits): an uploaded PDF is as untrusted as any other file.
import type { Format } from '../content.js';
import { compareTexts, type CompareBudget, type Comparison } from '../changes.js';
import { extractTextOf, type Extracted } from '../text.js';
import type { ExpectedSigner } from '../../../domain/signers.js';
import { anchorsFrom } from '../signatures/cms.js';
import { verifySignedCopy, type SignedCopyResult } from '../signatures/verify.js';

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

/** A signed copy and what it is checked against; the trust anchors as their files' bytes (threads share no objects). */
export interface VerifyJob {
  previous: Uint8Array;
  next: Uint8Array;
  expected: ExpectedSigner;
  later: ExpectedSigner[];
  anchors: Uint8Array[];
  now: string;
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

export function verify(job: VerifyJob): Promise<SignedCopyResult> {
  return verifySignedCopy({ ...job, anchors: anchorsFrom(job.anchors), now: new Date(job.now) });
}
