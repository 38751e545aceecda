// Verification of signed copies, on real PAdES signatures made by pyHanko with a certificate authority and a
// timestamp authority of this test's own: the order of two initials and signatures accepted, and every way a copy
// can be refused refused for its own reason; every verdict also asked of pyHanko's validator, and the two agree.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpectedSigner } from '../../domain/signers.js';
import { DEFAULT_READING_LIMITS, DocumentReader } from '../../services/documents/reading/pool.js';
import { anchorsFrom } from '../../services/documents/signatures/cms.js';
import { readTrustAnchors } from '../../services/documents/signatures/trust.js';
import { verifySignedCopy, type SignedCopyInput } from '../../services/documents/signatures/verify.js';
import { makePki, signPdf, type SignOptions } from '../support/pades.js';
import { agree, pyhankoVerdict } from '../support/pyhanko-verdict.js';

const dir = mkdtempSync(join(tmpdir(), 'sinergi-tte-'));
const pki = join(dir, 'pki');
const otherPki = join(dir, 'other-pki');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PEOPLE = {
  paraf: { name: 'Rina Kusuma, S.H.', email: 'rina@lapas-garut.test' },
  parafPemda: { name: 'Siti Rahmawati, S.Sos.', email: 'siti@garutkab.test' },
  kalapas: { name: 'Dr. Rudy Gunawan, S.H., M.H.', email: 'kalapas@lapas-garut.test', nik: '3205010101800001' },
  bupati: { name: 'H. Hendra Wijaya, S.E.', email: 'bupati@garutkab.test' },
  stranger: { name: 'Budi Santoso', email: 'budi@contoh.test' },
} satisfies Record<string, ExpectedSigner>;

let anchors: ReturnType<typeof anchorsFrom>;
const path = (name: string) => join(dir, name);
const bytes = (name: string) => new Uint8Array(readFileSync(path(name)));

async function makeDocument(name: string, text: string): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText(text, { x: 50, y: 700, size: 12, font });
  writeFileSync(path(name), await doc.save({ useObjectStreams: false }));
}

beforeAll(async () => {
  await makePki(pki, [
    { id: 'paraf', name: 'Rina Kusuma', email: PEOPLE.paraf.email },
    { id: 'paraf-pemda', name: 'Siti Rahmawati', email: PEOPLE.parafPemda.email },
    { id: 'kalapas', name: 'RUDY GUNAWAN', email: PEOPLE.kalapas.email, nik: PEOPLE.kalapas.nik },
    { id: 'bupati', name: 'Hendra Wijaya', email: PEOPLE.bupati.email },
    { id: 'stranger', name: 'Budi Santoso' },
    { id: 'expired', name: 'Rudy Gunawan', notBeforeDays: -400, notAfterDays: -1 },
    { id: 'encipher', name: 'Rudy Gunawan', keyUsage: ['key_encipherment'] },
    { id: 'other-nik', name: 'Rudy Gunawan', nik: '3205019999990001' },
  ]);
  await makePki(otherPki, [{ id: 'kalapas', name: 'Rudy Gunawan' }], { caName: 'CA Lain' });
  anchors = anchorsFrom([readFileSync(join(pki, 'ca.pem'))]);
  await makeDocument('final.pdf', 'Kesepakatan Bersama Lapas Garut dan Pemkab Garut');
  await makeDocument('other.pdf', 'Dokumen lain');
}, 120_000);

const sign = (from: string, to: string, opts: Omit<SignOptions, 'dir'> & { dir?: string }) =>
  signPdf(path(from), path(to), { dir: pki, ...opts });

const verify = (previous: string, next: string, expected: ExpectedSigner, later: ExpectedSigner[] = []) =>
  verifySignedCopy({
    previous: bytes(previous),
    next: bytes(next),
    expected,
    later,
    anchors,
    now: new Date(),
  } satisfies SignedCopyInput);

/** Each case's verdicts, Sinergi's beside pyHanko's, for the closing note's table. */
const table: { copy: string; expected: string; sinergi: string; pyhanko: string }[] = [];
afterAll(() => {
  const rows = table.map((r) => `| ${r.copy} | ${r.expected} | ${r.sinergi} | ${r.pyhanko} |`);
  mkdirSync(new URL('../../test-output/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('../../test-output/tte-verdicts.md', import.meta.url),
    ['| copy | expected signer | Sinergi | pyHanko |', '|---|---|---|---|', ...rows, ''].join('\n'),
  );
});

/** Sinergi's verdict, checked against pyHanko's own validator with the same trust anchor: the two must agree. */
async function judged(previous: string, next: string, expected: ExpectedSigner, later: ExpectedSigner[] = []) {
  const [ours, theirs] = await Promise.all([
    verify(previous, next, expected, later),
    pyhankoVerdict(path(previous), path(next), join(pki, 'ca.pem'), expected, later),
  ]);
  const sinergi = ours.ok ? 'accepted' : ours.reason;
  table.push({ copy: `${next} after ${previous}`, expected: expected.name, sinergi, pyhanko: theirs });
  expect(agree(sinergi, theirs), `Sinergi: ${sinergi}, pyHanko: ${theirs}`).toBe(true);
  return ours;
}

describe('signed copies', () => {
  it('accepts two initials, then two signatures in order, each with its signer and time', async () => {
    await sign('final.pdf', 'paraf.pdf', { person: 'paraf', field: 'Paraf-1', timestamp: true });
    const later = [PEOPLE.parafPemda, PEOPLE.kalapas, PEOPLE.bupati];
    const paraf = await judged('final.pdf', 'paraf.pdf', PEOPLE.paraf, later);
    expect(paraf).toMatchObject({ ok: true, signature: { field: 'Paraf-1', timestamped: true } });
    if (!paraf.ok) return;
    expect(paraf.signature.subject).toContain('CN=Rina Kusuma');
    expect(paraf.signature.issuer).toContain('CN=CA Uji Sinergi');
    expect(Math.abs(Date.parse(paraf.signature.signedAt) - Date.now())).toBeLessThan(120_000);

    await sign('paraf.pdf', 'paraf-pemda.pdf', { person: 'paraf-pemda', field: 'Paraf-2' });
    const parafPemda = await judged('paraf.pdf', 'paraf-pemda.pdf', PEOPLE.parafPemda, later.slice(1));
    expect(parafPemda).toMatchObject({ ok: true, signature: { field: 'Paraf-2', timestamped: false } });

    await sign('paraf-pemda.pdf', 'kalapas.pdf', { person: 'kalapas', field: 'TTE-1' });
    const kalapas = await judged('paraf-pemda.pdf', 'kalapas.pdf', PEOPLE.kalapas, later.slice(2));
    expect(kalapas).toMatchObject({ ok: true, signature: { field: 'TTE-1', timestamped: false } });

    await sign('kalapas.pdf', 'bupati.pdf', { person: 'bupati', field: 'TTE-2', timestamp: true });
    expect(await judged('kalapas.pdf', 'bupati.pdf', PEOPLE.bupati)).toMatchObject({ ok: true });
  }, 60_000);

  it('refuses a copy saved again instead of signed incrementally', async () => {
    const resaved = await PDFDocument.load(bytes('paraf-pemda.pdf'));
    writeFileSync(path('resaved.pdf'), await resaved.save({ useObjectStreams: false }));
    await sign('resaved.pdf', 'resaved-signed.pdf', { person: 'kalapas', field: 'TTE-1' });
    expect(await judged('paraf-pemda.pdf', 'resaved-signed.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'not_incremental',
    });
  });

  it('refuses an update that adds no signature', async () => {
    writeFileSync(path('comment.pdf'), Buffer.concat([bytes('paraf-pemda.pdf'), Buffer.from('\n% catatan\n')]));
    expect(await judged('paraf-pemda.pdf', 'comment.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'not_signed',
    });
  });

  it('refuses a byte range that leaves part of the file unsigned', async () => {
    const text = Buffer.from(bytes('kalapas.pdf')).toString('latin1');
    const ranges = [...text.matchAll(/\/ByteRange \[0 (\d+) (\d+) (\d+)\]/g)];
    const last = ranges.at(-1)!;
    const shorter = `/ByteRange [0 ${last[1]} ${last[2]} ${Number(last[3]) - 10}]`.padEnd(last[0].length, ' ');
    const edited = text.slice(0, last.index) + shorter + text.slice(last.index! + last[0].length);
    writeFileSync(path('short-range.pdf'), Buffer.from(edited, 'latin1'));
    expect(await judged('paraf-pemda.pdf', 'short-range.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'byte_range',
    });
  });

  it('refuses a copy changed after it was signed', async () => {
    // The new widget's flags, a change an update that signs may make: only the digest can tell.
    const text = Buffer.from(bytes('kalapas.pdf')).toString('latin1');
    const at = text.indexOf('/F 132', bytes('paraf-pemda.pdf').length);
    expect(at).toBeGreaterThan(0);
    const changed = `${text.slice(0, at)}/F 134${text.slice(at + '/F 132'.length)}`;
    writeFileSync(path('tampered.pdf'), Buffer.from(changed, 'latin1'));
    expect(await judged('paraf-pemda.pdf', 'tampered.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'digest',
    });
  });

  it('refuses a certificate from an authority the operator does not trust', async () => {
    await sign('paraf-pemda.pdf', 'untrusted.pdf', { person: 'kalapas', field: 'TTE-1', dir: otherPki });
    expect(await judged('paraf-pemda.pdf', 'untrusted.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'untrusted',
    });
  });

  it('refuses a certificate that had expired when it signed, by the timestamp', async () => {
    await sign('paraf-pemda.pdf', 'expired.pdf', { person: 'expired', field: 'TTE-1', timestamp: true });
    expect(await judged('paraf-pemda.pdf', 'expired.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a certificate that may not sign documents', async () => {
    await sign('paraf-pemda.pdf', 'encipher.pdf', { person: 'encipher', field: 'TTE-1' });
    expect(await judged('paraf-pemda.pdf', 'encipher.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'key_usage',
    });
  });

  it('refuses a stranger, a NIK that differs, and a later signer before their turn', async () => {
    await sign('paraf-pemda.pdf', 'stranger.pdf', { person: 'stranger', field: 'TTE-1' });
    expect(await judged('paraf-pemda.pdf', 'stranger.pdf', PEOPLE.kalapas, [PEOPLE.bupati])).toMatchObject({
      ok: false,
      reason: 'wrong_signer',
    });
    await sign('paraf-pemda.pdf', 'other-nik.pdf', { person: 'other-nik', field: 'TTE-1' });
    expect(await judged('paraf-pemda.pdf', 'other-nik.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'wrong_signer',
    });
    await sign('paraf-pemda.pdf', 'early.pdf', { person: 'bupati', field: 'TTE-2' });
    expect(await judged('paraf-pemda.pdf', 'early.pdf', PEOPLE.kalapas, [PEOPLE.bupati])).toMatchObject({
      ok: false,
      reason: 'out_of_order',
    });
  });

  it('refuses a change to the text in the signing update, and any change after a no-change certification', async () => {
    await sign('paraf-pemda.pdf', 'stamped.pdf', { person: 'kalapas', field: 'TTE-1', stamp: true });
    expect(await judged('paraf-pemda.pdf', 'stamped.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'modified_after_signing',
    });
    await sign('final.pdf', 'certified.pdf', { person: 'paraf', field: 'Paraf-1', certify: 1 });
    await sign('certified.pdf', 'after-certified.pdf', { person: 'kalapas', field: 'TTE-1', ignoreDocMdp: true });
    expect(await judged('certified.pdf', 'after-certified.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'modified_after_signing',
    });
  });

  it('refuses another document', async () => {
    await sign('other.pdf', 'other-signed.pdf', { person: 'kalapas', field: 'TTE-1' });
    expect(await judged('paraf-pemda.pdf', 'other-signed.pdf', PEOPLE.kalapas)).toMatchObject({
      ok: false,
      reason: 'wrong_document',
    });
  });
});

describe('signed copies in the document pool', () => {
  it("verifies with the operator's anchors in a thread, and a hostile upload harms nothing", async () => {
    const trust = path('trust');
    mkdirSync(trust);
    // One anchor as PEM, one as DER, and a file that is no certificate, which is left alone.
    writeFileSync(join(trust, 'ca-uji.pem'), readFileSync(join(pki, 'ca.pem')));
    writeFileSync(
      join(trust, 'ca-lain.der'),
      Buffer.from(
        anchorsFrom([readFileSync(join(otherPki, 'ca.pem'))])[0]!
          .toSchema()
          .toBER(),
      ),
    );
    writeFileSync(join(trust, 'BACA.txt'), 'Sertifikat CA yang dipercaya.');
    const anchors = readTrustAnchors(trust);
    expect(anchors.subjects).toHaveLength(2);
    expect(anchors.subjects.join(' ')).toContain('CA Uji Sinergi');

    const reader = new DocumentReader({ ...DEFAULT_READING_LIMITS, threads: 1 });
    try {
      const job = (next: Uint8Array) => ({
        previous: bytes('paraf-pemda.pdf'),
        next,
        expected: PEOPLE.kalapas,
        later: [PEOPLE.bupati],
        anchors: anchors.files,
        now: new Date().toISOString(),
      });
      // The other CA is trusted here too: a copy signed under it is accepted.
      expect(await reader.verifySignedCopy(job(bytes('untrusted.pdf')))).toMatchObject({ ok: true });
      const garbage = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200_000, 0x5b)]);
      expect(await reader.verifySignedCopy(job(garbage))).toMatchObject({ ok: false, reason: 'wrong_document' });
      expect(await reader.verifySignedCopy(job(bytes('kalapas.pdf')))).toMatchObject({
        ok: true,
        signature: { field: 'TTE-1' },
      });
    } finally {
      await reader.close();
    }
  }, 60_000);
});
