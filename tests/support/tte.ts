// What the electronic signing tests share: a stack that trusts a CA of the test's own, a PDF with a text, a file
// kept through /v1, and an agreement brought to the signing stage with that PDF as its approved draft.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { expect } from 'vitest';
import { registerParty } from './lifecycle.js';
import { makePki, type PkiPerson } from './pades.js';
import { ADMIN_TOKEN, http, startStack, type Stack } from './stack.js';
import { dates } from './test-dates.js';

type Api = ReturnType<typeof http>;

export async function textPdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage();
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 700 - 20 * i, size: 11, font }));
  return doc.save();
}

/** Keeps a file with the agreement as its initiator would (`POST .../documents`); returns its id. */
export async function keepDocument(
  baseUrl: string,
  id: string,
  file: Uint8Array,
  filename: string,
  kind: string,
): Promise<string> {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new Blob([file]), filename);
  const res = await fetch(`${baseUrl}/v1/agreements/${id}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: form,
  });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

/** From exploration to signing: an audiensi that proceeds, then a PDF draft with `text` approved by both parties. */
export async function toApprovedPdf(
  api: Api,
  baseUrl: string,
  id: string,
  parties: [string, string],
  text: string[],
): Promise<void> {
  const meeting = await api('POST', `/v1/agreements/${id}/meetings`, {
    kind: 'audiensi',
    at: dates.at(dates.workingDays(-5)),
    venue: 'Setda',
  });
  await api('POST', `/v1/agreements/${id}/meetings/${meeting.body.meetings[0].id}/minutes`, {
    attendees: [{ name: 'Rina', position: 'Kasi', partyId: parties[0] }],
    summary: 'Sepakat menyusun draf.',
    outcome: 'proceed_to_drafting',
  });
  const draftId = await keepDocument(baseUrl, id, await textPdf(text), 'draf-1.pdf', 'draft');
  expect((await api('POST', `/v1/agreements/${id}/drafts`, { documentId: draftId })).status).toBe(200);
  for (const partyId of parties)
    await api('POST', `/v1/agreements/${id}/drafts/1/reviews`, { partyId, decision: 'approve' });
}

export interface SigningStack {
  stack: Stack;
  api: Api;
  /** Where makePki wrote the CA and the certificates of `paraf`, `paraf-pemkab`, `kalapas` and `bupati`. */
  pki: string;
  /** The operator's trust folder, holding the test CA. */
  trust: string;
}

/**
 * The stack with a trust folder of the test's own CA, Lapas `lapas-<slug>` and Pemkab `pemkab-<slug>` with their
 * contacts, and the agreement `id` between them, begun. The certificates are made for the contacts' names.
 */
export async function signingStack(
  dir: string,
  slug: string,
  agreement: { id: string; title: string; instrument: string },
  others: PkiPerson[] = [],
): Promise<SigningStack> {
  const pki = join(dir, 'pki');
  const trust = join(dir, 'trust');
  await makePki(pki, [
    { id: 'paraf', name: `Penghubung lapas-${slug}`, email: `penghubung@lapas-${slug}.test` },
    { id: 'paraf-pemkab', name: `Penghubung pemkab-${slug}`, email: `penghubung@pemkab-${slug}.test` },
    { id: 'kalapas', name: `Pimpinan lapas-${slug}`, email: `kepala@lapas-${slug}.test` },
    { id: 'bupati', name: `Pimpinan pemkab-${slug}`, email: `kepala@pemkab-${slug}.test` },
    ...others,
  ]);
  mkdirSync(trust);
  writeFileSync(join(trust, 'ca-uji.pem'), readFileSync(join(pki, 'ca.pem')));
  const stack = await startStack({ tteTrustDir: trust });
  const api = http(stack.baseUrl);
  await registerParty(api, { id: `lapas-${slug}`, name: 'Lapas Kelas IIA Garut', kind: 'upt' });
  await registerParty(api, { id: `pemkab-${slug}`, name: 'Pemerintah Kabupaten Garut', kind: 'pemda' });
  const made = await api('POST', '/v1/agreements', {
    ...agreement,
    parties: [
      { partyId: `lapas-${slug}`, role: 'initiator' },
      { partyId: `pemkab-${slug}`, role: 'counterpart' },
    ],
    scope: ['Pelatihan kerja'],
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return { stack, api, pki, trust };
}
