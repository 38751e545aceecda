// The sign-in page.
import { html, type Html } from '../html.js';
import { errorSummary } from '../layout.js';

/** `formToken` also sits in a cookie only this site can set: a form posted from another site cannot match it. */
export function signInPage(formToken: string, error?: string): Html {
  const fieldError = error ? html`<p class="field-error">${error}</p>` : '';
  return html`<h1>Masuk</h1>${errorSummary(error, 'token')}
<section><form method="post" action="/masuk"><input type="hidden" name="formToken" value="${formToken}">
<label for="f-token">Token akses</label><p class="hint">Token dari admin Sinergi (admin, pihak, atau peninjau).</p>
${fieldError}<input id="f-token" name="token" type="password" autocomplete="off" required>
<button>Masuk</button></form></section>`;
}
