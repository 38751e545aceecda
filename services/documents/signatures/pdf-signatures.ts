// What a PDF says about its signatures, read with pdf-lib: each signature field's value (its byte range, its CMS
// bytes, its sub-filter), the document's DocMDP permission, its original /ID, and which objects one revision
// changed of the revision before it. No cryptography here: verify.ts and cms.ts check what this reads.
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFSignature,
  PDFStream,
  PDFString,
  type PDFObject,
} from 'pdf-lib';

export interface PdfSignature {
  field: string;
  /** [offset, length, offset, length]: the two signed parts of the file around the /Contents hex string. */
  byteRange: [number, number, number, number];
  /** The CMS SignedData as the /Contents hex string holds it (with its zero padding). */
  contents: Uint8Array;
  subFilter?: string;
  /** The signing time the signer's software wrote (/M), unverified. */
  claimedTime?: string;
}

export interface PdfSignatures {
  signatures: PdfSignature[];
  /** The P of a certification signature's DocMDP: 1 no change, 2 forms and signatures, 3 also annotations. */
  docMdp?: 1 | 2 | 3;
  /** The trailer's first /ID: the document's identity, kept by every incremental update. */
  originalId?: string;
}

const name = (n: string) => PDFName.of(n);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export const loadPdf = (bytes: Uint8Array) =>
  PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: false, throwOnInvalidObject: true });

function docMdpOf(doc: PDFDocument): 1 | 2 | 3 | undefined {
  const perms = doc.catalog.lookupMaybe(name('Perms'), PDFDict);
  const signature = perms?.lookupMaybe(name('DocMDP'), PDFDict);
  const references = signature?.lookupMaybe(name('Reference'), PDFArray);
  for (let i = 0; i < (references?.size() ?? 0); i++) {
    const reference = references!.lookup(i, PDFDict);
    if (reference.lookupMaybe(name('TransformMethod'), PDFName)?.asString() !== '/DocMDP') continue;
    const p = reference.lookupMaybe(name('TransformParams'), PDFDict)?.lookupMaybe(name('P'), PDFNumber)?.asNumber();
    // Absent, P is 2 (ISO 32000-1, 12.8.2.2).
    return p === 1 || p === 3 ? p : 2;
  }
  return undefined;
}

function signatureOf(field: string, value: PDFDict): PdfSignature | undefined {
  const range = value.lookupMaybe(name('ByteRange'), PDFArray);
  const contents = value.lookupMaybe(name('Contents'), PDFString, PDFHexString);
  if (!range || range.size() !== 4 || !contents) return undefined;
  const numbers = range.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN));
  const time = value.lookupMaybe(name('M'), PDFString, PDFHexString)?.decodeText();
  const subFilter = value.lookupMaybe(name('SubFilter'), PDFName)?.asString().slice(1);
  return {
    field,
    byteRange: numbers as PdfSignature['byteRange'],
    contents: contents.asBytes(),
    ...(subFilter ? { subFilter } : {}),
    ...(time ? { claimedTime: time } : {}),
  };
}

/** The signatures of a PDF, in the order of their byte ranges' ends (the order they were made in). */
export async function readSignatures(bytes: Uint8Array): Promise<PdfSignatures> {
  const doc = await loadPdf(bytes);
  const signatures: PdfSignature[] = [];
  for (const field of doc.getForm().getFields()) {
    if (!(field instanceof PDFSignature)) continue;
    const value = field.acroField.dict.lookupMaybe(name('V'), PDFDict);
    const signature = value && signatureOf(field.getName(), value);
    if (signature) signatures.push(signature);
  }
  signatures.sort((a, b) => a.byteRange[2] + a.byteRange[3] - (b.byteRange[2] + b.byteRange[3]));
  const id = doc.context.trailerInfo.ID;
  const first = id instanceof PDFArray ? id.lookup(0) : undefined;
  const docMdp = docMdpOf(doc);
  return {
    signatures,
    ...(docMdp ? { docMdp } : {}),
    ...(first instanceof PDFHexString || first instanceof PDFString ? { originalId: hex(first.asBytes()) } : {}),
  };
}

/** An object as bytes to compare: a stream's dictionary and its raw contents, or the object written out. */
function fingerprint(object: PDFObject): string {
  if (object instanceof PDFRawStream) return `${object.dict.toString()}${hex(object.contents)}`;
  if (object instanceof PDFStream) return `${object.dict.toString()}${hex(object.getContents())}`;
  return object.toString();
}

/** What an incremental update may change when it adds a signature (and, with DocMDP 3, annotations). */
function changeAllowed(before: PDFObject, after: PDFObject, annotations: boolean): boolean {
  if (!(before instanceof PDFDict) || !(after instanceof PDFDict) || after instanceof PDFStream) {
    // An array that lists annotations or fields (a page's /Annots, the form's /Fields) only grows.
    return before instanceof PDFArray && after instanceof PDFArray && after.size() >= before.size();
  }
  const type = after.lookupMaybe(name('Type'), PDFName)?.asString();
  const keys = new Set([...before.keys(), ...after.keys()].map((k) => k.asString()));
  const changed = [...keys].filter(
    (k) => before.get(name(k.slice(1)))?.toString() !== after.get(name(k.slice(1)))?.toString(),
  );
  const only = (allowed: string[]) => changed.every((k) => allowed.includes(k));
  if (type === '/Catalog') return only(['/AcroForm', '/Perms', '/DSS', '/Metadata', '/Extensions']);
  if (type === '/Page') return only(['/Annots']);
  if (after.has(name('Fields'))) return true; // the AcroForm itself
  if (after.lookupMaybe(name('FT'), PDFName)?.asString() === '/Sig') return true;
  if (after.lookupMaybe(name('Subtype'), PDFName)?.asString() === '/Widget') return true;
  return annotations && after.has(name('Subtype')) && type !== '/Page';
}

/**
 * The objects of `before` that `after` (its incremental update) changed beyond adding a signature: a page's
 * contents, its resources, a font, the text. Empty when the update only signs.
 */
export async function changesBeyondSigning(
  before: Uint8Array,
  after: Uint8Array,
  annotations: boolean,
): Promise<string[]> {
  const [old, now] = await Promise.all([loadPdf(before), loadPdf(after)]);
  const changed: string[] = [];
  const info = now.context.trailerInfo.Info;
  for (const [ref, object] of now.context.enumerateIndirectObjects()) {
    const was = old.context.lookup(ref);
    if (was === undefined || fingerprint(was) === fingerprint(object)) continue;
    // The document information (its modification date, its producer) is not the document.
    if (info instanceof PDFRef && ref === info) continue;
    const type = object instanceof PDFDict ? object.lookupMaybe(name('Type'), PDFName)?.asString() : undefined;
    // The XMP metadata of the document may record the update.
    if (type === '/Metadata') continue;
    if (!changeAllowed(was, object, annotations)) changed.push(ref instanceof PDFRef ? ref.toString() : String(ref));
  }
  return changed;
}
