// pyHanko's own judgement of a signed copy, beside Sinergi's: `pyhanko sign validate` (pyhanko-cli) with the same
// trust anchors reads every signature in the file. It knows nothing of Sinergi's round, so the two things it cannot
// see are added as plainly as possible: whether the upload continues the current file byte for byte, and whether
// the newest signature's certificate (as pyHanko prints it) names the person whose turn it is.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { signerMismatch, type CertificateHolder, type ExpectedSigner } from '../../domain/signers.js';

const pyhanko = new URL('../../.tools/venv/bin/pyhanko', import.meta.url).pathname;
const run = promisify(execFile);

/** One signature field as pyHanko reports it. */
export interface PyHankoField {
  field: string;
  subject: string;
  trusted: boolean;
  sound: boolean;
  coversFile: boolean;
  /** Modifications after this signature are all signing and form filling, and the document's policy allows them. */
  modificationsAllowed: boolean;
  valid: boolean;
  /** pyHanko's warnings while validating it (an expired certificate, a key usage). */
  warnings: string[];
}

export async function pyhankoValidate(file: string, trustRoot: string): Promise<PyHankoField[]> {
  const args = ['sign', 'validate', '--trust', trustRoot, '--trust-replace', '--no-revocation-check'];
  // pyHanko exits 1 when a signature is invalid; the report is what is read either way.
  const out = await run('sh', ['-c', `"$0" "$@" 2>&1`, pyhanko, ...args, '--pretty-print', file], {
    maxBuffer: 8 * 1024 * 1024,
  }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  const parts = out.stdout.split(/^=+\nField \d+: (.+)\n=+$/m);
  const fields: PyHankoField[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const body = parts[i + 1] ?? '';
    fields.push({
      field: parts[i]!.trim(),
      subject: /^Certificate subject: "(.*)"$/m.exec(body)?.[1] ?? '',
      trusted: body.includes("The signer's certificate is trusted."),
      sound: body.includes('The signature is cryptographically sound.'),
      coversFile: body.includes('The signature covers the entire file.'),
      modificationsAllowed: /form filling operations, and they appear to be compatible/.test(body),
      valid: body.includes('The signature is judged VALID.'),
      // A warning is logged before the report of the field it is about.
      warnings: (parts[i - 1] ?? '').split('\n').filter((l) => l.includes(' - WARNING - ')),
    });
  }
  return fields;
}

/** pyHanko's printed subject ("Email Address: …, Serial Number: …, Common Name: …") as a certificate holder. */
export function holderOf(subject: string): CertificateHolder {
  const parts = new Map(
    subject.split(/, (?=[A-Z][A-Za-z ]+: )/).map((p) => [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 2)]),
  );
  return {
    commonName: parts.get('Common Name') ?? '',
    emails: parts.has('Email Address') ? [parts.get('Email Address')!] : [],
    ...(parts.has('Serial Number') ? { serialNumber: parts.get('Serial Number')! } : {}),
  };
}

/** Why pyHanko refuses one field, in Sinergi's reasons; undefined when it judges it valid and unmodified. */
function fieldProblem(f: PyHankoField, newest: boolean): string | undefined {
  if (!f.sound) return 'digest';
  if (!f.trusted) {
    if (f.warnings.some((w) => /expired|not yet valid/.test(w))) return 'expired';
    if (f.warnings.some((w) => /key usage/.test(w))) return 'key_usage';
    return 'untrusted';
  }
  if (!newest && !f.coversFile && !f.modificationsAllowed) return 'modified_after_signing';
  if (newest && !f.coversFile) return 'byte_range';
  return f.valid ? undefined : 'invalid';
}

/** The verdict on `next` as the copy after `previous`, from pyHanko's report: `accepted` or a reason. */
export async function pyhankoVerdict(
  previous: string,
  next: string,
  trustRoot: string,
  expected: ExpectedSigner,
  later: ExpectedSigner[] = [],
): Promise<string> {
  const [before, after] = [readFileSync(previous), readFileSync(next)];
  if (after.length <= before.length || !after.subarray(0, before.length).equals(before)) return 'not_incremental';
  const [earlier, fields] = await Promise.all([pyhankoValidate(previous, trustRoot), pyhankoValidate(next, trustRoot)]);
  if (fields.length === earlier.length) return 'not_signed';
  if (fields.length > earlier.length + 1) return 'out_of_order';
  for (const [i, f] of fields.entries()) {
    const problem = fieldProblem(f, i === fields.length - 1);
    if (problem) return problem;
  }
  const holder = holderOf(fields.at(-1)!.subject);
  if (!signerMismatch(holder, expected)) return 'accepted';
  return later.some((p) => !signerMismatch(holder, p)) ? 'out_of_order' : 'wrong_signer';
}

// Reasons that name the same failure seen from two sides: a copy that does not continue the current file, and
// signed bytes that are not what they claim to be (pyHanko reads an edited byte range as a broken digest).
const CLASSES: string[][] = [
  ['not_incremental', 'wrong_document'],
  ['digest', 'byte_range'],
];

/** Whether Sinergi's reason and pyHanko's verdict say the same thing. */
export const agree = (sinergi: string, pyhankoSays: string): boolean =>
  sinergi === pyhankoSays || CLASSES.some((c) => c.includes(sinergi) && c.includes(pyhankoSays));
