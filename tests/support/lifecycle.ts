// Drives an agreement through its lifecycle over HTTP, as the people would.
import { expect } from 'vitest';
import type { http } from './stack.js';
import { dates } from './test-dates.js';

type Api = ReturnType<typeof http>;

export function contacts(slug: string, domain = `${slug}.test`) {
  return [
    { name: `Penghubung ${slug}`, position: 'Kasubag', email: `penghubung@${domain}`, role: 'liaison' },
    { name: `Pimpinan ${slug}`, position: 'Kepala', email: `kepala@${domain}`, role: 'signatory' },
    { name: `Atasan ${slug}`, position: 'Sekretaris', email: `atasan@${domain}`, role: 'supervisor' },
  ];
}

export async function registerParty(
  api: Api,
  party: { id: string; name: string; kind: string; parentId?: string; timeZone?: string },
) {
  const res = await api('POST', '/v1/parties', { ...party, contacts: contacts(party.id) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** From exploration (or drafting) to signing: an audiensi that proceeds, one draft approved by every party. */
export async function driveToSigning(api: Api, id: string, at = dates.at(dates.workingDays(-60))) {
  let view = (await api('GET', `/v1/agreements/${id}`)).body;
  if (view.stage === 'exploration') {
    const meeting = await api('POST', `/v1/agreements/${id}/meetings`, {
      kind: 'coordination',
      at,
      venue: 'Ruang rapat',
    });
    expect(meeting.status, JSON.stringify(meeting.body)).toBe(200);
    const party = view.parties[0].partyId;
    const minutes = await api('POST', `/v1/agreements/${id}/meetings/${meeting.body.meetings.at(-1).id}/minutes`, {
      attendees: [{ name: 'Peserta', position: 'Kasi', partyId: party }],
      summary: 'Sepakat melanjutkan ke penyusunan draf.',
      outcome: 'proceed_to_drafting',
    });
    expect(minutes.body.stage).toBe('drafting');
  }
  const draft = await api('POST', `/v1/agreements/${id}/drafts`, { documentUrl: `https://dokumen.test/${id}.pdf` });
  const version = draft.body.drafts.at(-1).version;
  for (const p of draft.body.parties)
    view = (
      await api('POST', `/v1/agreements/${id}/drafts/${version}/reviews`, { partyId: p.partyId, decision: 'approve' })
    ).body;
  expect(view.stage).toBe('signing');
  return view;
}

/** Signing: the ceremony scheduled and recorded with every party's document number. */
export async function driveToActive(api: Api, id: string, signedAt: string, at = `${signedAt}T10:00:00+07:00`) {
  const view = await driveToSigning(api, id);
  const signatories = view.parties.map((p: { partyId: string }) => ({
    partyId: p.partyId,
    name: `Pimpinan ${p.partyId}`,
    position: 'Kepala',
  }));
  expect((await api('POST', `/v1/agreements/${id}/signing`, { at, venue: 'Aula', signatories })).status).toBe(200);
  const documentNumbers = Object.fromEntries(
    view.parties.map((p: { partyId: string }, i: number) => [p.partyId, `NO/${i + 1}/${id}`]),
  );
  const signed = await api('POST', `/v1/agreements/${id}/signing/record`, { signedAt, documentNumbers });
  expect(signed.status, JSON.stringify(signed.body)).toBe(200);
  return signed.body;
}
