// Sesi aktif: where a person is signed in, and a button to end each; an admin can end all of someone's.
import Bowser from 'bowser';
import type { SessionItem } from '../../../services/sessions.js';
import { html, type Html } from '../html.js';
import { when } from './format.js';

const DEVICE: Record<string, string> = { desktop: 'komputer', mobile: 'ponsel', tablet: 'tablet' };

/** "Chrome di Linux (komputer)" rather than the browser's raw User-Agent string. */
export function browserName(userAgent: string): string {
  if (!userAgent) return 'Peramban tidak dikenal';
  const { browser, os, platform } = Bowser.parse(userAgent);
  if (!browser.name) return 'Peramban tidak dikenal';
  const device = platform.type ? DEVICE[platform.type] : undefined;
  return `${browser.name}${os.name ? ` di ${os.name}` : ''}${device ? ` (${device})` : ''}`;
}

export function sessionsPage(
  items: SessionItem[],
  current: string | undefined,
  opts: { admin: boolean; person: boolean; ended?: number },
): Html {
  const note = opts.ended !== undefined ? html`<p class="ok" role="status">${opts.ended} sesi diakhiri.</p>` : '';
  const mine = opts.person
    ? html`<section><h2>Sesi Anda</h2><div class="table-wrap" tabindex="0"><table><thead><tr><th>Peramban</th>
<th>Dimulai</th><th>Terakhir dipakai</th><th>Tindakan</th></tr></thead><tbody>
${items.map(
  (s) => html`<tr><td title="${s.userAgent}">${browserName(s.userAgent)}${
    s.handle === current
      ? html`
<span class="tag">sesi ini</span>`
      : ''
  }</td>
<td>${when(s.createdAt, 'Asia/Jakarta')}</td><td>${when(s.lastSeenAt, 'Asia/Jakarta')}</td>
<td><form class="inline" method="post" action="/sesi/${s.handle}/akhiri"><button class="secondary flush">Akhiri</button>
</form></td></tr>`,
)}
</tbody></table></div></section>`
    : html`<section><p>Anda masuk dengan token: tidak ada sesi pribadi. Masuk dengan e-mail untuk sesi atas nama
Anda.</p></section>`;
  const admin = opts.admin
    ? html`<section><h2>Akhiri semua sesi seseorang</h2><form method="post" action="/sesi/orang">
<label for="f-email">Alamat e-mail</label><input id="f-email" name="email" type="email" required>
<button class="warning">Akhiri semua sesinya</button></form></section>`
    : '';
  return html`<h1>Sesi aktif</h1>${note}${mine}${admin}`;
}
