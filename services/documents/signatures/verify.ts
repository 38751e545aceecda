// One signed copy, checked against the copy before it: the whole of the earlier file, unchanged, with one signature
// added as an incremental update whose byte range covers everything but the signature itself, a CMS signature that
// verifies to the operator's trust anchors, by the person whose turn it is, and nothing else changed.
import type * as pkijs from 'pkijs';
import { signerMismatch, type ExpectedSigner, type SignatureReason } from '../../../domain/signers.js';
import { CmsRejected, verifyCms, type CmsSignature } from './cms.js';
import { changesBeyondSigning, readSignatures, type PdfSignature, type PdfSignatures } from './pdf-signatures.js';

export interface SignedCopyInput {
  /** The current PDF: the final text with every signature so far. */
  previous: Uint8Array;
  /** The upload. */
  next: Uint8Array;
  /** The person whose step it is. */
  expected: ExpectedSigner;
  /** The people of the later steps: a signature by one of them is out of order, not by a stranger. */
  later: ExpectedSigner[];
  anchors: pkijs.Certificate[];
  now: Date;
}

export interface VerifiedSignature {
  field: string;
  subject: string;
  issuer: string;
  serial: string;
  signedAt: string;
  timestamped: boolean;
}

export type SignedCopyResult =
  | { ok: true; signature: VerifiedSignature }
  | { ok: false; reason: SignatureReason; detail: string };

class Refused extends Error {
  constructor(
    readonly reason: SignatureReason,
    detail: string,
  ) {
    super(detail);
  }
}

const PDF = Buffer.from('%PDF-');
const isHex = (byte: number) => (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102);

async function signaturesOf(bytes: Uint8Array, what: string): Promise<PdfSignatures> {
  try {
    return await readSignatures(bytes);
  } catch (err) {
    throw new Refused('wrong_document', `${what} cannot be read as a PDF: ${(err as Error).message}`);
  }
}

/** The upload begins with every byte of the current file, or it is another document, or one rewritten. */
async function checkIncremental(previous: Uint8Array, next: Uint8Array): Promise<void> {
  if (!Buffer.from(next.subarray(0, PDF.length)).equals(PDF)) throw new Refused('wrong_document', 'not a PDF');
  if (next.length > previous.length && Buffer.from(next.subarray(0, previous.length)).equals(previous)) return;
  const [before, after] = await Promise.all([signaturesOf(previous, 'the current file'), signaturesOf(next, 'it')]);
  if (before.originalId && after.originalId && before.originalId !== after.originalId)
    throw new Refused('wrong_document', 'it is another document (its /ID differs)');
  throw new Refused('not_incremental', 'it does not begin with the current file unchanged');
}

/** The byte range covers the whole file but the /Contents hex string, which lies in the new part. */
function checkByteRange(signature: PdfSignature, next: Uint8Array, previousLength: number): Uint8Array {
  const [start, first, second, rest] = signature.byteRange;
  const ok =
    start === 0 &&
    Number.isInteger(first) &&
    Number.isInteger(second) &&
    Number.isInteger(rest) &&
    first >= previousLength &&
    second > first + 1 &&
    second + rest === next.length &&
    next[first] === 0x3c &&
    next[second - 1] === 0x3e &&
    next.subarray(first + 1, second - 1).every(isHex);
  if (!ok) throw new Refused('byte_range', `the byte range [${signature.byteRange.join(' ')}] leaves part unsigned`);
  return Buffer.concat([next.subarray(0, first), next.subarray(second)]);
}

/** A PDF date (D:20261204093000+07'00') as an instant. */
function pdfDate(value: string | undefined): Date | undefined {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value ?? '');
  if (!m) return undefined;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

async function check(input: SignedCopyInput): Promise<VerifiedSignature> {
  const { previous, next } = input;
  await checkIncremental(previous, next);
  const [before, after] = await Promise.all([signaturesOf(previous, 'the current file'), signaturesOf(next, 'it')]);
  const added = after.signatures.length - before.signatures.length;
  if (added <= 0) throw new Refused('not_signed', 'it holds no new signature');
  if (added > 1) throw new Refused('out_of_order', `it adds ${added} signatures at once`);
  const signature = after.signatures.at(-1)!;
  const signedBytes = checkByteRange(signature, next, previous.length);
  if (before.docMdp === 1) throw new Refused('modified_after_signing', 'the document was certified against any change');
  const changed = await changesBeyondSigning(previous, next, before.docMdp === 3);
  if (changed.length > 0)
    throw new Refused('modified_after_signing', `besides the signature it changes ${changed.slice(0, 5).join(', ')}`);
  let cms: CmsSignature;
  try {
    cms = await verifyCms(signature.contents, signedBytes, input.anchors, pdfDate(signature.claimedTime), input.now);
  } catch (err) {
    if (err instanceof CmsRejected) throw new Refused(err.reason, err.message);
    throw new Refused('not_signed', `its signature cannot be read: ${(err as Error).message}`);
  }
  const mismatch = signerMismatch(cms.holder, input.expected);
  if (mismatch) {
    const later = input.later.some((person) => signerMismatch(cms.holder, person) === undefined);
    throw new Refused(later ? 'out_of_order' : 'wrong_signer', `signed by ${cms.holder.commonName} (${mismatch})`);
  }
  return {
    field: signature.field,
    subject: cms.subject,
    issuer: cms.issuer,
    serial: cms.serial,
    signedAt: cms.signedAt.toISOString(),
    timestamped: cms.timestamped,
  };
}

/** The verdict on one signed copy: its signature's details, or the reason it is refused. */
export async function verifySignedCopy(input: SignedCopyInput): Promise<SignedCopyResult> {
  try {
    return { ok: true, signature: await check(input) };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.reason, detail: err.message };
    throw err;
  }
}
