// The trust anchors of electronic signatures: the CA certificates in the folder the operator names
// (SINERGI_TTE_TRUST_DIR), read when asked, so that a changed folder counts from the next check on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anchorsFrom } from './cms.js';

const CERTIFICATE_FILE = /\.(pem|crt|cer|der)$/i;

export interface TrustAnchors {
  /** Each file's bytes, as the document pool's threads take them. */
  files: Uint8Array[];
  /** The anchors' subjects, for the operator's log. */
  subjects: string[];
}

/** The anchors in `dir`; none when no folder is set. A file that is not a certificate is an error to fix. */
export function readTrustAnchors(dir: string): TrustAnchors {
  if (dir === '') return { files: [], subjects: [] };
  const files = readdirSync(dir)
    .filter((name) => CERTIFICATE_FILE.test(name))
    .sort()
    .map((name) => new Uint8Array(readFileSync(join(dir, name))));
  const subjects = anchorsFrom(files).map((c) =>
    c.subject.typesAndValues.map((tv) => `${tv.type}=${tv.value.valueBlock.value}`).join(', '),
  );
  return { files, subjects };
}
