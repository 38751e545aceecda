// Files an attacker with a party's account would upload: small on the wire, costly to read or to compare.
import JSZip from 'jszip';

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/** A real DOCX whose paragraphs are the given texts. */
export async function docxOf(paragraphs: string[]): Promise<Uint8Array> {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('');
  return docxWithXml(
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
}

async function docxWithXml(xml: string): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', RELS);
  zip.file('word/document.xml', xml);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** The review's file: about 10 MB of one-letter runs that pack to some 30 KB, and cost a parser gigabytes. */
export function xmlHeavyDocx(mb = 10): Promise<Uint8Array> {
  const run = '<w:r><w:t>a</w:t></w:r>';
  const runs = Math.floor((mb * 1024 * 1024) / run.length);
  const xml = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>${run.repeat(runs)}</w:p></w:body></w:document>`;
  return docxWithXml(xml);
}

/** Two versions of `words` words each, every word different: the word-level comparison's worst case. */
export function worstCasePair(words = 8000): [string, string] {
  const text = (seed: string) => Array.from({ length: words }, (_, i) => `${seed}${(i * 7919) % 100_003}`).join(' ');
  return [text('lama'), text('baru')];
}
