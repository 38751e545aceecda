// Single sign-on against a real OpenID provider started here (oidc-provider, a certified implementation, with its
// development login and consent pages): a known e-mail signs in, an unknown one is refused with a page saying so,
// and a tampered `state` is refused.
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/global-setup.js';
import { screenshotOf } from '../support/screenshot.js';
import { createOperator } from '../../services/people.js';
import { registerParty } from '../support/lifecycle.js';
import { http, startStack, type Stack } from '../support/stack.js';

const CLIENT = { clientId: 'sinergi', clientSecret: 'rahasia-klien-uji-yang-cukup-panjang' };
let stack: Stack;
let idp: Server;
let issuer: string;

beforeAll(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  // The provider needs the dashboard's address and the dashboard the provider's: the port is chosen first.
  stack = await startStack({ sso: { issuer, ...CLIENT, operators: ['admin-sso@sinergi.test'] } });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        redirect_uris: [`${stack.baseUrl}/masuk/sso/kembali`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    // Any login is an account whose verified e-mail is that login.
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: sub, email_verified: true }),
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: ['kunci-kuki-penyedia-uji'] },
  });
  idp = provider.listen(port);
  await registerParty(http(stack.baseUrl), { id: 'pemkab-sso', name: 'Pemkab SSO', kind: 'pemda' });
});
afterAll(async () => {
  idp?.close();
  await stack?.stop();
});

/** One browser: cookies per host, redirects followed by hand, the provider's login and consent forms filled in. */
function browser() {
  const jars = new Map<string, Map<string, string>>();
  const jar = (url: URL) => jars.get(url.host) ?? jars.set(url.host, new Map()).get(url.host)!;
  async function go(
    target: string,
    form?: Record<string, string>,
  ): Promise<{ url: URL; status: number; text: string }> {
    const url = new URL(target);
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar(url)].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form) } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [name, value] = c.split(';')[0]!.split('=') as [string, string];
      jar(url).set(name, value);
    }
    return {
      url,
      status: res.status,
      text: await res.text(),
      ...(res.headers.get('location') ? { location: new URL(res.headers.get('location')!, url).href } : {}),
    } as never;
  }
  /** Follows redirects; answers the provider's login (as `login`) and consent pages; stops back at Sinergi. */
  async function signIn(login: string, tamper?: (callback: URL) => void) {
    let res = (await go(`${stack.baseUrl}/masuk/sso`)) as { url: URL; status: number; text: string; location?: string };
    for (let hops = 0; hops < 20; hops++) {
      if (res.location) {
        const next = new URL(res.location);
        if (next.pathname === '/masuk/sso/kembali') tamper?.(next);
        res = (await go(next.href)) as typeof res;
        if (next.pathname === '/masuk/sso/kembali') return res;
        continue;
      }
      const action = /<form[^>]*action="([^"]+)"/.exec(res.text)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(res.text)?.[1];
      if (!action || !prompt) throw new Error(`stuck at ${res.url.href}: ${res.status} ${res.text.slice(0, 300)}`);
      res = (await go(
        new URL(action.replace(/&amp;/g, '&'), res.url).href,
        prompt === 'login' ? { prompt, login, password: 'x' } : { prompt },
      )) as typeof res;
    }
    throw new Error('too many redirects');
  }
  return { go, signIn, jar };
}

describe('single sign-on', () => {
  it('offers SSO on the sign-in page and signs in a directory contact as themselves', async () => {
    expect(await (await fetch(`${stack.baseUrl}/masuk`)).text()).toContain('Masuk dengan SSO');
    const b = browser();
    const back = (await b.signIn('penghubung@pemkab-sso.test')) as { status: number; location?: string };
    expect([back.status, back.location]).toEqual([303, `${stack.baseUrl}/kesepakatan`]);
    const list = await b.go(`${stack.baseUrl}/kesepakatan`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('· Pemkab SSO');
  });

  it('refuses an address that is not in the directory, saying so', async () => {
    const back = await browser().signIn('orang-luar@contoh.test');
    expect(back.status).toBe(403);
    expect(back.text).toContain('orang-luar@contoh.test tidak terdaftar di Sinergi');
    await screenshotOf(back.text, 'sign-in-sso-not-registered.png');
  });

  it('signs in an operator only when the operator listed the address for single sign-on', async () => {
    // Whoever runs the provider could otherwise vouch for any admin's address.
    await createOperator(stack.database.db, { email: 'admin-lain@sinergi.test', name: 'Admin Lain', role: 'admin' });
    await createOperator(stack.database.db, { email: 'admin-sso@sinergi.test', name: 'Admin SSO', role: 'admin' });
    const refused = await browser().signIn('admin-lain@sinergi.test');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Akun operator tidak dapat masuk lewat SSO');
    const listed = (await browser().signIn('admin-sso@sinergi.test')) as { status: number; location?: string };
    expect([listed.status, listed.location]).toEqual([303, `${stack.baseUrl}/kesepakatan`]);
  });

  it('refuses a tampered state', async () => {
    const back = await browser().signIn('penghubung@pemkab-sso.test', (callback) =>
      callback.searchParams.set('state', 'diubah'),
    );
    expect(back.status).toBe(400);
    expect(back.text).toContain('Masuk dengan SSO gagal');
  });
});
