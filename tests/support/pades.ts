// Real PAdES signatures for tests: tests/support/pades.py (pyHanko) run with the venv the bootstrap made.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const python = new URL('../../.tools/venv/bin/python', import.meta.url).pathname;
const script = new URL('./pades.py', import.meta.url).pathname;
const run = promisify(execFile);

export interface PkiPerson {
  id: string;
  name: string;
  email?: string;
  nik?: string;
  keyUsage?: string[];
  notBeforeDays?: number;
  notAfterDays?: number;
}

async function pades<T>(request: object): Promise<T> {
  const { stdout } = await run(python, [script, JSON.stringify(request)], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}

/** A certificate authority of the test's own in `dir` (ca.pem), a certificate and key per person, and a TSA. */
export const makePki = (dir: string, people: PkiPerson[], opts: { caName?: string } = {}) =>
  pades<{ dir: string; people: { id: string; serial: string }[] }>({ op: 'pki', dir, people, tsa: true, ...opts });

export interface SignOptions {
  /** Where the PKI of `makePki` is. */
  dir: string;
  person: string;
  field: string;
  timestamp?: boolean;
  /** A certification signature with this DocMDP permission. */
  certify?: 1 | 2 | 3;
  /** Also add a text to the first page in the same update. */
  stamp?: boolean;
  /** Sign even where the document's certification forbids it (a careless tool). */
  ignoreDocMdp?: boolean;
}

/** `input` signed by `person` into `output`, as an incremental update. */
export const signPdf = (input: string, output: string, opts: SignOptions) =>
  pades<{ out: string }>({ op: 'sign', in: input, out: output, ...opts });
