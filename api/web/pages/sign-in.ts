// The sign-in page: a sign-in link by e-mail for people in the directory; a token for operators' tools.
import { html, type Html } from '../html.js';
import { errorSummary } from '../layout.js';

/** `formToken` also sits in a cookie only this site can set: a form posted from another site cannot match it. */
export function signInPage(formToken: string, error?: string, opts: { byEmail?: boolean; sso?: boolean } = {}): Html {
  const fieldError = error ? html`<p class="field-error">${error}</p>` : '';
  const byEmail = opts.byEmail
    ? html`<section><h2>Masuk dengan e-mail</h2><form method="post" action="/masuk/tautan"><input type="hidden" name="formToken" value="${formToken}">
<label for="f-email">Alamat e-mail</label><p class="hint">Alamat Anda di direktori Sinergi. Kami kirim tautan masuk yang berlaku sebentar, hanya di peramban ini.</p>
<input id="f-email" name="email" type="email" autocomplete="email" required>
<button>Kirim tautan masuk</button></form></section>`
    : '';
  const sso = opts.sso ? html`<section><h2>Masuk dengan akun instansi</h2><p><a href="/masuk/sso">Masuk dengan SSO</a></p></section>` : '';
  return html`<h1>Masuk</h1>${errorSummary(error, 'token')}${sso}${byEmail}
<section><h2>Masuk dengan token</h2><form method="post" action="/masuk"><input type="hidden" name="formToken" value="${formToken}">
<label for="f-token">Token akses</label><p class="hint">Token dari admin Sinergi (admin, pihak, atau peninjau).</p>
${fieldError}<input id="f-token" name="token" type="password" autocomplete="off" required>
<button>Masuk</button></form></section>`;
}

/** The same words whether or not the address is known: nobody can test which addresses exist. */
export function linkSentPage(minutes: number): Html {
  return html`<h1>Periksa e-mail Anda</h1><section><p role="status">Bila alamat itu terdaftar di Sinergi, tautan masuk sudah
dikirim ke sana. Tautan berlaku ${minutes} menit, sekali pakai, dan hanya di peramban ini.</p></section>`;
}

/** A link opened: one button signs in (a mail scanner that opens links does not). */
export function confirmSignInPage(token: string): Html {
  return html`<h1>Masuk ke Sinergi</h1><section><form method="post" action="/masuk/tautan/${token}">
<button>Masuk</button></form></section>`;
}
