// An electronic round begun over HTTP on the real stack: the final PDF compared with the approved draft (a text
// that differs needs the initiator's confirmation), each step named from the directory, the first person e-mailed;
// the last step signed through a signing gateway, whose copy is verified as an upload is.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningGateway, SigningRequest } from '../../services/documents/signatures/gateway.js';
import { extractTextOf } from '../../services/documents/text.js';
import { makePki, signPdf } from '../support/pades.js';
import { contacts as contactsOf } from '../support/lifecycle.js';
import { dates } from '../support/test-dates.js';
import { keepDocument, signingStack, textPdf, toApprovedPdf } from '../support/tte.js';
import { ADMIN_TOKEN, eventually, type http, type Stack } from '../support/stack.js';

let stack: Stack;
let api: ReturnType<typeof http>;
const ID = 'tte-garut';
const TEXT = [
  'Pasal 1 Maksud kerja sama ini adalah pembinaan kemandirian warga binaan.',
  'Pasal 2 Ruang lingkup meliputi pelatihan kerja.',
];

const pdf = textPdf;
const upload = (file: Uint8Array, filename: string, kind: string) =>
  keepDocument(stack.baseUrl, ID, file, filename, kind);

const dir = mkdtempSync(join(tmpdir(), 'sinergi-tte-e2e-'));
const pki = join(dir, 'pki');
const trust = join(dir, 'trust');

beforeAll(async () => {
  // The signers' certificates, under a CA of this test's own that the operator's trust folder holds.
  // Beside them, a certificate in the Bupati's name that carries another NIK than the directory's.
  const otherNik = { id: 'bupati-nik-lain', name: 'Pimpinan pemkab-tte', nik: '3205019999990001' };
  ({ stack, api } = await signingStack(
    dir,
    'tte',
    { id: ID, title: 'Kesepakatan pembinaan kemandirian', instrument: 'nota_kesepahaman' },
    [otherNik],
  ));
  await toApprovedPdf(api, stack.baseUrl, ID, ['lapas-tte', 'pemkab-tte'], TEXT);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function uploadSigned(file: Uint8Array) {
  const form = new FormData();
  form.set('file', new Blob([file]), 'bertanda-tangan.pdf');
  const res = await fetch(`${stack.baseUrl}/v1/agreements/${ID}/signing/signed-copies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** The current copy downloaded, signed by `person` with pyHanko, as their own tool would. */
async function signCurrent(person: string, field: string, timestamp = false): Promise<Uint8Array> {
  const res = await fetch(`${stack.baseUrl}/v1/agreements/${ID}/signing/document`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  const current = join(dir, `current-${field}.pdf`);
  writeFileSync(current, Buffer.from(await res.arrayBuffer()));
  await signPdf(current, join(dir, `${field}.pdf`), { dir: pki, person, field, timestamp });
  return new Uint8Array(readFileSync(join(dir, `${field}.pdf`)));
}

const order = [
  { partyId: 'lapas-tte', email: 'penghubung@lapas-tte.test', act: 'paraf' },
  { partyId: 'pemkab-tte', email: 'penghubung@pemkab-tte.test', act: 'paraf' },
  { partyId: 'lapas-tte', email: 'kepala@lapas-tte.test', act: 'sign' },
  { partyId: 'pemkab-tte', email: 'kepala@pemkab-tte.test', act: 'sign' },
];

describe('an electronic signing round', () => {
  it('refuses a file that is not a final PDF, and a person who is not a contact', async () => {
    const draftKind = await upload(await pdf(TEXT), 'salah-jenis.pdf', 'attachment');
    const wrongKind = await api('POST', `/v1/agreements/${ID}/signing`, {
      method: 'electronic',
      documentId: draftKind,
      order,
      dueBy: dates.workingDays(10),
    });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error).toMatchObject({ code: 'not_final_pdf', field: 'documentId' });
    const finalId = await upload(await pdf(TEXT), 'final.pdf', 'final');
    const stranger = await api('POST', `/v1/agreements/${ID}/signing`, {
      method: 'electronic',
      documentId: finalId,
      order: [{ ...order[0], email: 'orang@lain.test' }, ...order.slice(1)],
      dueBy: dates.workingDays(10),
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error).toMatchObject({ code: 'unknown_contact', field: 'order[0].email' });
  });

  it('asks to confirm a final text that differs from the approved draft, then begins and e-mails the first', async () => {
    const finalId = await upload(
      await pdf([...TEXT, 'Pasal 3 Tambahan yang belum disetujui.']),
      'final-2.pdf',
      'final',
    );
    const plan = { method: 'electronic', documentId: finalId, order, dueBy: dates.workingDays(10) };
    const differs = await api('POST', `/v1/agreements/${ID}/signing`, plan);
    expect(differs.status, JSON.stringify(differs.body)).toBe(409);
    expect(differs.body.error).toMatchObject({ code: 'text_differs', field: 'confirmTextDiffers' });
    expect(differs.body.error.message).toContain('kata ditambah');

    const begun = await api('POST', `/v1/agreements/${ID}/signing`, { ...plan, confirmTextDiffers: true });
    expect(begun.status, JSON.stringify(begun.body)).toBe(200);
    expect(begun.body.signing).toMatchObject({
      method: 'electronic',
      currentDocumentId: finalId,
      approvedVersion: 1,
      textDiffers: { removed: 0 },
      steps: [
        { index: 0, status: 'current', act: 'paraf', name: 'Penghubung lapas-tte' },
        { index: 1, status: 'waiting', act: 'paraf', name: 'Penghubung pemkab-tte' },
        { index: 2, status: 'waiting', act: 'sign', name: 'Pimpinan lapas-tte' },
        { index: 3, status: 'waiting', act: 'sign', name: 'Pimpinan pemkab-tte' },
      ],
    });
    expect(begun.body.signing.textDiffers.added).toBeGreaterThan(0);
    // The first person is e-mailed alone, their step follows up on its due date.
    await eventually('the first step e-mailed', async () =>
      stack.sink.received.some(
        (m) => m.envelopeTo.includes('penghubung@lapas-tte.test') && /Giliran paraf/.test(m.raw.toString()),
      ),
    );
    expect(begun.body.followUps.filter((f: { purpose?: string }) => f.purpose === 'signing')).toMatchObject([
      { ownerEmail: 'penghubung@lapas-tte.test', due: dates.workingDays(10), status: 'open' },
    ]);
    // A NUL in a date, and the longest order the schema takes with a stranger at its end: 400s naming the field.
    const nul = await api('POST', `/v1/agreements/${ID}/signing`, { ...plan, dueBy: '2026-12-3\u0000' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.field).toBe('dueBy');
    // A ceremony's body is still told its own field.
    const ceremony = await api('POST', `/v1/agreements/${ID}/signing`, {
      at: 'besok pagi',
      venue: 'Pendopo',
      signatories: [{ partyId: 'lapas-tte', name: 'Kepala', position: 'Kalapas' }],
    });
    expect(ceremony.status).toBe(400);
    expect(ceremony.body.error.field).toBe('at');
    const longest = Array.from({ length: 50 }, (_, i) =>
      i < 49 ? order[i % 4]! : { ...order[0]!, email: 'x@y.test' },
    );
    const tooMany = await api('POST', `/v1/agreements/${ID}/signing`, { ...plan, order: longest });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'unknown_contact', field: 'order[49].email' });
    const again = await api('POST', `/v1/agreements/${ID}/signing`, { ...plan, confirmTextDiffers: true });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('round_in_progress');
  });

  it('accepts each signed copy in turn, refuses one out of turn, and is signed with the last', async () => {
    // A file of another type, a PDF that is not the current copy, no file at all: each refused, nothing recorded.
    const before = (await api('GET', `/v1/agreements/${ID}`)).body.version;
    const text = await uploadSigned(new TextEncoder().encode('bukan PDF\u0000'));
    expect(text.status).toBe(422);
    expect(text.body.error).toMatchObject({ code: 'signature_rejected', reason: 'wrong_document', field: 'file' });
    const unsigned = await uploadSigned(await pdf(TEXT));
    expect(unsigned.status).toBe(422);
    expect(unsigned.body.error.reason).toMatch(/^(wrong_document|not_incremental)$/);
    expect(unsigned.body.error.message.length).toBeGreaterThan(20);
    expect((await api('GET', `/v1/agreements/${ID}`)).body.version).toBe(before);
    const early = await signCurrent('bupati', 'TTE-2');
    const refused = await uploadSigned(early);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'signature_rejected', reason: 'out_of_order', field: 'file' });
    // The operator's trust folder gone: the upload waits for the operator, with nothing recorded.
    const parafCopy = await signCurrent('paraf', 'Paraf-1', true);
    renameSync(trust, `${trust}-pindah`);
    const noAnchors = await uploadSigned(parafCopy);
    renameSync(`${trust}-pindah`, trust);
    expect(noAnchors.status).toBe(503);
    expect(noAnchors.body.error.code).toBe('trust_anchors_unreadable');
    expect((await api('GET', `/v1/agreements/${ID}`)).body.version).toBe(before);
    // The paraf comes through the link in its person's e-mail, without signing in.
    const mail = stack.sink.received.find(
      (m) => m.envelopeTo.includes('penghubung@lapas-tte.test') && /Giliran paraf/.test(m.raw.toString()),
    )!;
    const link = /\/tautan\/[\w-]+\.[\w-]+/.exec(mail.raw.toString().replace(/=\r?\n/g, ''))![0];
    const shown = await fetch(`${stack.baseUrl}${link}`);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('Paraf elektronik: langkah 1 dari 4');
    const current = await fetch(`${stack.baseUrl}${link}/berkas`);
    expect(current.status).toBe(200);
    expect(parafCopy.subarray(0, 8)).toEqual(new Uint8Array(await current.arrayBuffer()).subarray(0, 8));
    const byLink = (file: Uint8Array) => {
      const form = new FormData();
      form.set('file', new Blob([file]), 'paraf.pdf');
      return fetch(`${stack.baseUrl}${link}/salinan`, { method: 'POST', body: form });
    };
    const wrongByLink = await byLink(early);
    expect(wrongByLink.status).toBe(422);
    expect(await wrongByLink.text()).toContain('mendahului urutan');
    const sent = await byLink(parafCopy);
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('diterima dan terverifikasi');
    const paraf = await api('GET', `/v1/agreements/${ID}`);
    const events = (await api('GET', `/v1/agreements/${ID}/events`)).body.items;
    expect(events.findLast((e: { type: string }) => e.type === 'SignedCopyAccepted').actor).toMatchObject({
      kind: 'contact',
      id: 'penghubung@lapas-tte.test',
    });
    // Its step done, the link opens nothing more.
    expect((await fetch(`${stack.baseUrl}${link}`)).status).toBe(409);
    expect((await byLink(parafCopy)).status).toBe(409);
    expect(paraf.status, JSON.stringify(paraf.body)).toBe(200);
    const statuses = (view: { signing: { steps: { status: string }[] } }) => view.signing.steps.map((s) => s.status);
    expect(statuses(paraf.body)).toEqual(['done', 'current', 'waiting', 'waiting']);
    expect(paraf.body.signing.steps[0].signature).toMatchObject({ timestamped: true });
    // The Pemkab's liaison initials second; the Kalapas's copy before it is out of turn.
    expect((await uploadSigned(await signCurrent('kalapas', 'TTE-1'))).body.error?.reason).toBe('out_of_order');
    const parafPemkab = await uploadSigned(await signCurrent('paraf-pemkab', 'Paraf-2'));
    expect(parafPemkab.status, JSON.stringify(parafPemkab.body)).toBe(200);
    expect(statuses(parafPemkab.body)).toEqual(['done', 'done', 'current', 'waiting']);
    expect((await uploadSigned(await signCurrent('kalapas', 'TTE-1'))).status).toBe(200);
    // The directory holds the Bupati's NIK (written, never read back): a certificate with another is not theirs.
    const contacts = contactsOf('pemkab-tte').map((c) =>
      c.email === 'kepala@pemkab-tte.test' ? { ...c, nik: '3205010101800001' } : c,
    );
    expect((await api('PATCH', '/v1/parties/pemkab-tte', { contacts })).status).toBe(200);
    const read = (await api('GET', '/v1/parties/pemkab-tte')).body;
    expect(JSON.stringify(read)).not.toContain('3205010101800001');
    const otherNik = await uploadSigned(await signCurrent('bupati-nik-lain', 'TTE-2'));
    expect(otherNik.status).toBe(422);
    expect(otherNik.body.error.reason).toBe('wrong_signer');
    // The last signature through a signing gateway: pyHanko with the person's key stands in for a certified service.
    // What it returns meets the same verification as an upload, so a copy signed with another's key is refused.
    const asked: SigningRequest[] = [];
    const gateway = (person: string): SigningGateway => ({
      name: 'gateway-uji',
      async sign(request) {
        asked.push(request);
        writeFileSync(join(dir, 'gateway-in.pdf'), request.copy);
        await signPdf(join(dir, 'gateway-in.pdf'), join(dir, 'gateway-out.pdf'), { dir: pki, person, field: 'TTE-2' });
        return new Uint8Array(readFileSync(join(dir, 'gateway-out.pdf')));
      },
    });
    const operator = { kind: 'token', id: 'operator-uji', role: 'admin' } as const;
    await expect(stack.app.signedCopies.signThrough(gateway('kalapas'), operator, ID)).rejects.toMatchObject({
      code: 'signature_rejected',
      reason: 'wrong_signer',
    });
    const last = await stack.app.signedCopies.signThrough(gateway('bupati'), operator, ID);
    expect(asked.map((r) => [r.agreementId, r.step.index, r.step.act, r.step.name])).toEqual([
      [ID, 3, 'sign', 'Pimpinan pemkab-tte'],
      [ID, 3, 'sign', 'Pimpinan pemkab-tte'],
    ]);
    expect(last.stage).toBe('active');
    expect(last.signing).toMatchObject({ method: 'electronic', recordedAt: expect.any(String) });
    expect(last.signing?.signedAt).toBeDefined();
    expect(last.term?.start).toBeDefined();
    const kept = (await api('GET', `/v1/agreements/${ID}/documents`)).body.items;
    expect(kept.map((d: { filename: string }) => d.filename)).toContain('gateway-uji-langkah-4.pdf');
  }, 120_000);

  it('keeps an audit sheet, exports it, and checks every signed copy again against the trust anchors', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/agreements/${ID}/signing/audit-sheet`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const sheet = Buffer.from(await res.arrayBuffer());
    writeFileSync(join(dir, 'lembar-jejak-audit.pdf'), sheet);
    const text = ((await extractTextOf('pdf', sheet, 8 << 20)) as { text: string }).text.replace(/\s+/g, ' ');
    const view = (await api('GET', `/v1/agreements/${ID}`)).body;
    expect(text).toContain('Lembar Jejak Audit');
    expect(text).toContain(view.signing.current.sha256);
    expect(text).toContain(view.signing.document.sha256);
    for (const step of view.signing.steps) {
      expect(text).toContain(step.name);
      expect(text).toContain(step.signature.serial);
    }
    expect(text).toContain('dikonfirmasi oleh');
    // Read twice, it is the same kept file.
    const again = await fetch(`${stack.baseUrl}/v1/agreements/${ID}/signing/audit-sheet`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(Buffer.from(await again.arrayBuffer()).equals(sheet)).toBe(true);

    const cli = (trustDir: string, ...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
        cwd: new URL('../../', import.meta.url),
        env: { ...process.env, DATABASE_URL: stack.database.url, SINERGI_TTE_TRUST_DIR: trustDir },
        encoding: 'utf8',
      });
    const zipPath = join(dir, 'ekspor.zip');
    const exported = cli(trust, 'agreements', 'export', ID, '--with-documents', zipPath);
    expect(exported.status, exported.stderr).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(zipPath));
    const record = JSON.parse(await zip.file('agreement.json')!.async('string'));
    const kept = record.files.find((f: { kind: string }) => f.kind === 'audit_sheet');
    expect(kept.sha256).toBe(createHash('sha256').update(sheet).digest('hex'));
    expect(zip.file(`documents/${kept.sha256}`)).not.toBeNull();

    const checked = cli(trust, 'documents', 'verify-signatures', ID);
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toContain('4 signed copies of 1 agreements checked, 0 not verified');
    // The operator replaces the trust folder with another authority's: none of the copies verifies any more.
    const other = join(dir, 'other-pki');
    await makePki(other, [], { caName: 'CA Lain' });
    const otherTrust = join(dir, 'other-trust');
    mkdirSync(otherTrust);
    writeFileSync(join(otherTrust, 'ca-lain.pem'), readFileSync(join(other, 'ca.pem')));
    const distrusted = cli(otherTrust, 'documents', 'verify-signatures');
    expect(distrusted.status).toBe(1);
    expect(distrusted.stdout).toContain(`NOT VERIFIED ${ID} step 1 (Penghubung lapas-tte): untrusted`);
    expect(distrusted.stdout).toContain('4 not verified');
  }, 120_000);
});
