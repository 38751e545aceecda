// The sign-in page: a link by e-mail for everyone in the directory and every operator, or single sign-on.
// Bearer tokens are for machine clients of /v1 and the CLI; the dashboard takes none.
import { html, type Html } from '../html.js';

/** `formToken` also sits in a cookie only this site can set: a form posted from another site cannot match it. */
export function signInPage(formToken: string, opts: { byEmail?: boolean; sso?: boolean } = {}): Html {
  const byEmail = opts.byEmail
    ? html`<section><h2>Masuk dengan e-mail</h2><form method="post" action="/masuk/tautan">
<input type="hidden" name="formToken" value="${formToken}">
<label for="f-email">Alamat e-mail</label>
<p class="hint">Alamat Anda di direktori Sinergi. Kami kirim tautan masuk yang berlaku sebentar, hanya di peramban
ini.</p>
<input id="f-email" name="email" type="email" autocomplete="email" required>
<button>Kirim tautan masuk</button></form></section>`
    : '';
  const sso = opts.sso
    ? html`<section><h2>Masuk dengan akun instansi</h2><p><a href="/masuk/sso">Masuk dengan SSO</a></p></section>`
    : '';
  const none =
    !opts.byEmail && !opts.sso
      ? html`<section><p>Masuk memerlukan pengiriman e-mail (SMTP_URL) atau SSO; hubungi operator.</p></section>`
      : '';
  return html`<h1>Masuk</h1>${sso}${byEmail}${none}`;
}

/** The same words whether or not the address is known: nobody can test which addresses exist. */
export function linkSentPage(minutes: number): Html {
  return html`<h1>Periksa e-mail Anda</h1><section>
<p role="status">Bila alamat itu terdaftar di Sinergi, tautan masuk sudah
dikirim ke sana. Tautan berlaku ${minutes} menit, sekali pakai, dan hanya di peramban ini.</p></section>`;
}

/** A link opened: one button signs in (a mail scanner that opens links does not). */
export function confirmSignInPage(token: string): Html {
  return html`<h1>Masuk ke Sinergi</h1><section><form method="post" action="/masuk/tautan/${token}">
<button>Masuk</button></form></section>`;
}
