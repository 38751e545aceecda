// People sign in as themselves: a link by e-mail (taken from what the SMTP server received), used once, in the
// browser that asked for it; a session kept on the server; their name in the audit trail. Over HTTP against the
// real stack, with a cookie jar per "browser".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerParty } from '../support/lifecycle.js';
import { eventually, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';
import { adminSession } from '../support/people.js';
import { startMailSink } from '../../scripts/local/mail-sink.js';

let stack: Stack;
let api: ReturnType<typeof http>;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-masuk', name: 'Lapas Masuk', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-masuk', name: 'Pemkab Masuk', kind: 'pemda' });
  await registerParty(api, { id: 'pemkot-lain-masuk', name: 'Pemkot Lain', kind: 'pemda' });
  const parties = (counterpart: string) => [
    { partyId: 'lapas-masuk', role: 'initiator' },
    { partyId: counterpart, role: 'counterpart' },
  ];
  await api('POST', '/v1/agreements', {
    id: 'masuk-a',
    title: 'Kesepakatan Milik Pemkab',
    instrument: 'nota_kesepahaman',
    parties: parties('pemkab-masuk'),
    scope: [],
  });
  await api('POST', '/v1/agreements', {
    id: 'masuk-b',
    title: 'Kesepakatan Pihak Lain',
    instrument: 'nota_kesepahaman',
    parties: parties('pemkot-lain-masuk'),
    scope: [],
  });
});
afterAll(async () => stack?.stop());

/** A browser: it keeps its cookies, and sends forms as a browser does. */
function browser() {
  const jar = new Map<string, string>();
  const request = async (path: string, form?: Record<string, string>) => {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form) } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  };
  return {
    jar,
    request,
    /** Asks for a sign-in link from the sign-in page, as a person would. */
    async askLink(email: string) {
      const page = await request('/masuk');
      const formToken = /name="formToken" value="([^"]+)"/.exec(page.text)![1]!;
      return request('/masuk/tautan', { email, formToken });
    },
  };
}

const linksTo = (address: string) =>
  stack.sink.received
    .filter((m) => m.envelopeTo.includes(address) && m.raw.toString().includes('Tautan masuk Sinergi'))
    .map((m) => /\/masuk\/tautan\/[\w-]+/.exec(m.raw.toString().replace(/=\r?\n/g, ''))![0]);

describe('signing in by e-mail', () => {
  const liaison = 'penghubung@pemkab-masuk.test';

  it('sends a link to a known address only, answering both alike', async () => {
    const known = await browser().askLink(liaison);
    const unknown = await browser().askLink('orang-asing@contoh.test');
    expect([known.status, unknown.status]).toEqual([200, 200]);
    const words = (t: string) => /<main>([\s\S]*)<\/main>/.exec(t)![1];
    expect(words(known.text)).toBe(words(unknown.text));
    await eventually('the link e-mail', async () => linksTo(liaison).length > 0);
    expect(stack.sink.received.some((m) => m.envelopeTo.includes('orang-asing@contoh.test'))).toBe(false);
  });

  it('answers a known and an unknown address byte for byte alike, and sends the link once SMTP is back', async () => {
    const known = await browser().askLink(liaison);
    const unknown = await browser().askLink('orang-asing-lain@contoh.test');
    expect(known.status).toBe(200);
    expect(known.text).toBe(unknown.text);
    await eventually('the link e-mail', async () => linksTo(liaison).length > 1);
    // The SMTP server goes away: asking still answers as always, and the e-mail waits in the outbox.
    const { port, dir } = stack.sink;
    await stack.sink.stop();
    const during = await browser().askLink(liaison);
    expect([during.status, during.text]).toEqual([200, unknown.text]);
    const pending = () =>
      stack.database.db
        .selectFrom('notifications')
        .select(['status', 'attempts'])
        .where('template', '=', 'sign_in_link')
        .where('status', '=', 'pending')
        .execute();
    await eventually('a failed attempt counted', async () => (await pending()).some((n) => n.attempts > 0));
    stack.sink = await startMailSink(dir, port);
    await eventually('the waiting link sent', async () => linksTo(liaison).length === 1, 60_000);
    expect(await pending()).toEqual([]);
    await new Promise((r) => setTimeout(r, 1500)); // the queue keeps running: still one copy
    expect(linksTo(liaison)).toHaveLength(1);
  });

  it('signs in once, in the asking browser only, and records the person by name', async () => {
    const mine = browser();
    expect((await mine.askLink(liaison)).status).toBe(200);
    const link = await eventually('a second link', async () => linksTo(liaison).length > 1 && linksTo(liaison).at(-1));
    // Opening shows a button; a mail scanner that follows the link signs nobody in.
    expect((await browser().request(link)).status).toBe(200);
    const elsewhere = await browser().request(link, {});
    expect(elsewhere.status).toBe(403);
    const signedIn = await mine.request(link, {});
    expect([signedIn.status, signedIn.location]).toEqual([303, '/kesepakatan']);
    const session = mine.jar.get('sinergi_sesi')!;
    expect(session).toMatch(/^[\w-]{43}$/);
    expect((await mine.request(link, {})).status).toBe(409); // used
    // Only their party's agreements.
    const list = await mine.request('/kesepakatan');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Kesepakatan Milik Pemkab');
    expect(list.text).not.toContain('Kesepakatan Pihak Lain');
    expect((await mine.request('/kesepakatan/masuk-b')).status).toBe(404);
    // They act, and the history names them.
    // Each form carries the session's token; the same post without it is refused.
    const csrf = /name="csrf" value="([^"]+)"/.exec((await mine.request('/kesepakatan/masuk-a')).text)![1]!;
    const meeting = { kind: 'audiensi', at: `${dates.workingDays(10)}T09:00`, venue: 'Setda' };
    expect((await mine.request('/kesepakatan/masuk-a/aksi/meetings', meeting)).status).toBe(403);
    const acted = await mine.request('/kesepakatan/masuk-a/aksi/meetings', { ...meeting, csrf });
    expect(acted.status, acted.text.slice(0, 300)).toBe(303);
    const events = (await api('GET', '/v1/agreements/masuk-a/events')).body.items;
    expect(events.find((e: { type: string }) => e.type === 'MeetingScheduled').actor).toMatchObject({
      kind: 'person',
      id: liaison,
      email: liaison,
      name: 'Penghubung pemkab-masuk',
      partyId: 'pemkab-masuk',
    });
    // The agreement's history names them.
    expect((await mine.request('/kesepakatan/masuk-a')).text).toContain('Penghubung pemkab-masuk (Pemkab Masuk)');
    // Signing out ends the session on the server: the old cookie no longer works.
    expect((await mine.request('/keluar', { csrf })).status).toBe(303);
    const again = await fetch(`${stack.baseUrl}/kesepakatan`, {
      redirect: 'manual',
      headers: { cookie: `sinergi_sesi=${session}` },
    });
    expect([again.status, again.headers.get('location')]).toEqual([303, '/masuk']);
  });

  it('refuses an expired link and a tampered one', async () => {
    const b = browser();
    await b.askLink(liaison);
    const link = await eventually('a third link', async () => linksTo(liaison).length > 2 && linksTo(liaison).at(-1));
    await stack.database.db
      .updateTable('sign_in_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('used_at', 'is', null)
      .execute();
    expect((await b.request(link, {})).status).toBe(410);
    expect((await b.request(`${link.slice(0, -2)}xx`, {})).status).toBe(400);
  });

  it('signs out a contact removed from the directory at their next request', async () => {
    const head = 'atasan@pemkab-masuk.test';
    const b = browser();
    await b.askLink(head);
    const link = await eventually("the head's link", async () => linksTo(head).at(-1));
    expect((await b.request(link, {})).status).toBe(303);
    expect((await b.request('/kesepakatan')).status).toBe(200);
    const party = (await api('GET', '/v1/parties/pemkab-masuk')).body;
    await api('PATCH', '/v1/parties/pemkab-masuk', {
      contacts: party.contacts.filter((c: { email: string }) => c.email !== head),
    });
    const after = await b.request('/kesepakatan');
    expect([after.status, after.location]).toEqual([303, '/masuk']);
  });

  it('shows a person their sessions, ends one from another browser, and lets an admin end them all', async () => {
    const person = 'kepala@pemkab-masuk.test';
    const signIn = async () => {
      const b = browser();
      const before = linksTo(person).length;
      expect((await b.askLink(person)).status).toBe(200);
      const link = await eventually('a link', async () => linksTo(person).length > before && linksTo(person).at(-1));
      expect((await b.request(link, {})).status).toBe(303);
      return b;
    };
    const laptop = await signIn();
    const phone = await signIn();
    const page = await laptop.request('/sesi');
    expect(page.status).toBe(200);
    const handles = [...page.text.matchAll(/action="\/sesi\/([0-9a-f]{16})\/akhiri"/g)].map((m) => m[1]!);
    expect(handles).toHaveLength(2);
    expect(page.text).toContain('sesi ini');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    // The phone's own row is marked "sesi ini"; the laptop ends that one.
    const currentOf = (text: string) =>
      text
        .split('<tr>')
        .find((row) => row.includes('sesi ini'))!
        .match(/\/sesi\/([0-9a-f]{16})\/akhiri/)![1]!;
    const other = currentOf((await phone.request('/sesi')).text);
    expect(currentOf(page.text)).not.toBe(other);
    expect((await laptop.request(`/sesi/${other}/akhiri`, { csrf })).status).toBe(303);
    expect((await phone.request('/kesepakatan')).location).toBe('/masuk');
    expect((await laptop.request('/kesepakatan')).status).toBe(200);
    // An admin ends every session of a person.
    const admin = browser();
    admin.jar.set('sinergi_sesi', await adminSession(stack.database.db));
    const adminCsrf = /name="csrf" value="([^"]+)"/.exec((await admin.request('/sesi')).text)![1]!;
    expect((await admin.request('/sesi/orang', { email: person, csrf: adminCsrf })).location).toBe('/sesi?ended=1');
    expect((await laptop.request('/kesepakatan')).location).toBe('/masuk');
  });
});
