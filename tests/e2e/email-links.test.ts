// Act-from-e-mail links over HTTP: the follow-up link closes it once; expired, superseded, tampered and
// re-used links are refused pages, and nothing is recorded for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLink } from '../../infra/links.js';
import { addDays, localDate } from '../../domain/dates.js';
import { registerParty } from '../support/lifecycle.js';
import { LINK_SECRET, eventually, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';
import { adminSession } from '../support/people.js';

let stack: Stack;
let api: ReturnType<typeof http>;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-link', name: 'Lapas Tautan', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-link', name: 'Pemkab Tautan', kind: 'pemda' });
});
afterAll(async () => stack?.stop());

// An e-mail with an action goes to each reader as a copy of its own: Message-ID <notification id>.<n>@domain.
const copiesOf = (notificationId: string) =>
  stack.sink.received.filter((r) => r.raw.toString().includes(`<${notificationId}.`));
const linkOf = (raw: Buffer) => /\/tautan\/[\w-]+\.[\w-]+/.exec(raw.toString().replace(/=\r?\n/g, ''))?.[0];
const linkIn = (notificationId: string) =>
  eventually(`link in ${notificationId}`, async () =>
    copiesOf(notificationId)
      .map((m) => linkOf(m.raw))
      .find(Boolean),
  );
const page = async (path: string, form?: Record<string, string>) => {
  const res = await fetch(
    `${stack.baseUrl}${path}`,
    form
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form),
        }
      : {},
  );
  return { status: res.status, text: await res.text() };
};
const commandEvents = async (id: string) =>
  (await api('GET', `/v1/agreements/${id}/events`)).body.items.filter(
    (e: { type: string }) => !['NotificationSent', 'FollowUpEscalated'].includes(e.type),
  ).length;

describe('links in e-mails', () => {
  it('closes an overdue follow-up from its escalation e-mail, once', async () => {
    await api('POST', '/v1/agreements', {
      id: 'link-fu',
      title: 'Tautan',
      instrument: 'nota_kesepahaman',
      parties: [
        { partyId: 'lapas-link', role: 'initiator' },
        { partyId: 'pemkab-link', role: 'counterpart' },
      ],
      scope: [],
    });
    await api('POST', '/v1/agreements/link-fu/follow-ups', {
      title: 'Kirim data',
      ownerPartyId: 'pemkab-link',
      due: addDays(localDate(Date.now(), 'Asia/Jakarta'), -20),
      late: true,
    });
    const escalation = await eventually('escalation sent', async () =>
      (await api('GET', '/v1/agreements/link-fu/notifications')).body.items.find(
        (n: { template: string; status: string }) => n.template === 'follow_up_escalation' && n.status === 'sent',
      ),
    );
    const link = await linkIn(escalation.id);
    const form = await page(link!);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Tandai selesai');
    // The e-mail's "see the agreement" link opens the dashboard's page for it, not the JSON API.
    const mail = copiesOf(escalation.id)[0]!
      .raw.toString()
      .replace(/=\r?\n/g, '');
    expect(mail).toContain('Lihat kesepakatan: http://sinergi.test/kesepakatan/link-fu');
    expect(mail).not.toContain('/v1/agreements/');
    const opened = await fetch(`${stack.baseUrl}/kesepakatan/link-fu`, { redirect: 'manual' });
    expect([opened.status, opened.headers.get('location')]).toEqual([303, '/masuk']);
    const signedIn = await fetch(`${stack.baseUrl}/kesepakatan/link-fu`, {
      headers: { cookie: `sinergi_sesi=${await adminSession(stack.database.db)}` },
    });
    expect(await signedIn.text()).toContain('Kirim data');
    const done = await page(link!, { note: 'Sudah dikirim lewat e-mail' });
    expect(done.status).toBe(200);
    const view = (await api('GET', '/v1/agreements/link-fu')).body;
    expect(view.followUps[0]).toMatchObject({ status: 'done', note: 'Sudah dikirim lewat e-mail' });
    const events = (await api('GET', '/v1/agreements/link-fu/events')).body.items;
    expect(events.find((e: { type: string }) => e.type === 'FollowUpCompleted').actor).toMatchObject({
      kind: 'contact',
      partyId: 'pemkab-link',
    });
    const before = await commandEvents('link-fu');
    expect((await page(link!, { note: 'lagi' })).status).toBe(409);
    expect(await commandEvents('link-fu')).toBe(before);
  });

  it('refuses expired, superseded and tampered links without recording anything', async () => {
    await api('POST', '/v1/agreements', {
      id: 'link-review',
      title: 'Tinjau',
      instrument: 'nota_kesepahaman',
      parties: [
        { partyId: 'lapas-link', role: 'initiator' },
        { partyId: 'pemkab-link', role: 'counterpart' },
      ],
      scope: [],
    });
    const meeting = await api('POST', '/v1/agreements/link-review/meetings', {
      kind: 'audiensi',
      at: dates.at(dates.workingDays(-3)),
      venue: 'Aula',
    });
    await api('POST', `/v1/agreements/link-review/meetings/${meeting.body.meetings[0].id}/minutes`, {
      attendees: [{ name: 'A', position: 'B', partyId: 'lapas-link' }],
      summary: 'S',
      outcome: 'proceed_to_drafting',
    });
    await api('POST', '/v1/agreements/link-review/drafts', { documentUrl: 'https://dokumen.test/v1.pdf' });
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const v1 = signLink(LINK_SECRET, {
      a: 'link-review',
      p: 'pemkab-link',
      act: 'review',
      v: 1,
      e: 'penghubung@pemkab-link.test',
      exp,
    });
    const expired = signLink(LINK_SECRET, {
      a: 'link-review',
      p: 'pemkab-link',
      act: 'review',
      v: 1,
      e: 'penghubung@pemkab-link.test',
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    const forged = signLink('not-the-key', {
      a: 'link-review',
      p: 'pemkab-link',
      act: 'review',
      v: 1,
      e: 'x@y.test',
      exp,
    });
    const [payload, signature] = v1.split('.') as [string, string];
    const altered = `${payload.slice(0, -1)}${payload.endsWith('x') ? 'y' : 'x'}.${signature}`;
    const shown = await page(`/tautan/${v1}`);
    expect(shown.status).toBe(200);
    // The document is a link with words, not a raw address, opened on the link's own authority; its SHA-256 folds away.
    expect(shown.text).toContain(`<a href="/tautan/${v1}/draf">Buka draf versi 1</a>`);
    const opened = await fetch(`${stack.baseUrl}/tautan/${v1}/draf`, { redirect: 'manual' });
    expect([opened.status, opened.headers.get('location')]).toEqual([303, 'https://dokumen.test/v1.pdf']);
    expect(shown.text).not.toContain('>https://dokumen.test/v1.pdf<');
    const before = await commandEvents('link-review');
    expect((await page(`/tautan/${expired}`, { decision: 'approve' })).status).toBe(410);
    expect((await page(`/tautan/${forged}`, { decision: 'approve' })).status).toBe(400);
    expect((await page(`/tautan/${altered}`, { decision: 'approve' })).status).toBe(400);
    await api('POST', '/v1/agreements/link-review/drafts', { documentUrl: 'https://dokumen.test/v2.pdf' });
    const superseded = await page(`/tautan/${v1}`, { decision: 'approve' });
    expect(superseded.status).toBe(409);
    expect(superseded.text).toContain('digantikan oleh versi 2');
    expect(await commandEvents('link-review')).toBe(before + 1); // only the second draft
    expect(
      (await api('GET', '/v1/agreements/link-review')).body.drafts.flatMap((d: { reviews: unknown[] }) => d.reviews),
    ).toEqual([]);
    const changes = await page(
      `/tautan/${signLink(LINK_SECRET, { a: 'link-review', p: 'pemkab-link', act: 'review', v: 2, e: 'penghubung@pemkab-link.test', exp })}`,
      { decision: 'request_changes' },
    );
    expect(changes.status).toBe(400); // changes need a comment
  });

  it('gives each reader a link of their own, none to those who do not act for the party, and stops a removed contact', async () => {
    await registerParty(api, { id: 'pemkab-each', name: 'Pemkab Masing-masing', kind: 'pemda' });
    await api('POST', '/v1/agreements', {
      id: 'link-each',
      title: 'Masing-masing',
      instrument: 'nota_kesepahaman',
      parties: [
        { partyId: 'lapas-link', role: 'initiator' },
        { partyId: 'pemkab-each', role: 'counterpart' },
      ],
      scope: [],
    });
    // Written down late: level 1 goes at once to the owner's head, copying its liaison (level 2, which also reaches
    // the Lapas's head, waits its interval after level 1; its audience is tested in tests/workflow/deadlines.test.ts).
    await api('POST', '/v1/agreements/link-each/follow-ups', {
      title: 'Kirim data',
      ownerPartyId: 'pemkab-each',
      due: addDays(localDate(Date.now(), 'Asia/Jakarta'), -20),
      late: true,
    });
    const level1 = await eventually('level 1 sent', async () =>
      (await api('GET', '/v1/agreements/link-each/notifications')).body.items.find(
        (n: { template: string; status: string; to: string[] }) =>
          n.template === 'follow_up_escalation' && n.status === 'sent',
      ),
    );
    const copies = copiesOf(level1.id);
    expect(copies.map((c) => c.envelopeTo).sort()).toEqual([
      ['atasan@pemkab-each.test'],
      ['penghubung@pemkab-each.test'],
    ]);
    const links = new Map(copies.map((c) => [c.envelopeTo[0]!, linkOf(c.raw)]));
    // Every copy shows the whole audience in its headers.
    for (const c of copies) expect(c.raw.toString()).toMatch(/^Cc: .*penghubung@pemkab-each\.test/m);
    const own = (address: string) =>
      JSON.parse(Buffer.from(links.get(address)!.split('/').pop()!.split('.')[0]!, 'base64url').toString()).e;
    expect(own('atasan@pemkab-each.test')).toBe('atasan@pemkab-each.test');
    expect(own('penghubung@pemkab-each.test')).toBe('penghubung@pemkab-each.test');

    // The liaison leaves the directory: their link no longer acts; the head's still does, in their name.
    const party = (await api('GET', '/v1/parties/pemkab-each')).body;
    const kept = party.contacts.filter((c: { email: string }) => c.email !== 'penghubung@pemkab-each.test');
    expect((await api('PATCH', '/v1/parties/pemkab-each', { contacts: kept })).status).toBe(200);
    const before = await commandEvents('link-each');
    const removed = await page(links.get('penghubung@pemkab-each.test')!, { note: 'masih bisa?' });
    expect(removed.status).toBe(403);
    expect(removed.text).toContain('tidak lagi terdaftar');
    expect(await commandEvents('link-each')).toBe(before);
    expect((await page(links.get('atasan@pemkab-each.test')!, { note: 'Selesai' })).status).toBe(200);
    const done = (await api('GET', '/v1/agreements/link-each/events')).body.items.find(
      (e: { type: string }) => e.type === 'FollowUpCompleted',
    );
    expect(done.actor).toMatchObject({ kind: 'contact', id: 'atasan@pemkab-each.test', partyId: 'pemkab-each' });
  });
});
