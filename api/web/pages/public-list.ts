// /publik: the agreements their initiators published, for anyone, with a page per institution.
import type { PublicAgreement } from '../../../services/public-list.js';
import { html, type Html } from '../html.js';
import { day } from './format.js';

const signedWords = (a: PublicAgreement): string =>
  a.signedElectronically ? 'ditandatangani secara elektronik' : 'ditandatangani';

export function publicPage(items: PublicAgreement[], institution?: { id: string; name: string }): Html {
  const heading = institution ? `Kesepakatan ${institution.name}` : 'Kesepakatan kerja sama yang diumumkan';
  const list = items.length
    ? items.map(
        (a) => html`<section><h2>${a.title}</h2>
<p>${a.instrument} · ${a.status}${a.signedOn ? ` · ${signedWords(a)} ${day(a.signedOn)}` : ''}
${a.term ? ` · berlaku s.d. ${day(a.term.end)}` : ''}</p>
<p>Para pihak: ${a.parties.map((p, i) => html`${i ? '; ' : ''}<a href="/publik/pihak/${p.partyId}">${p.name}</a>`)}</p>
${a.scope.length ? html`<p>Ruang lingkup:</p><ul>${a.scope.map((s) => html`<li>${s}</li>`)}</ul>` : ''}
${
  a.signedCopies.length
    ? html`<p>Salinan bertanda tangan: ${a.signedCopies.map(
        (d) => html`
<a href="/publik/dokumen/${d.documentId}">${d.filename}</a> `,
      )}</p>`
    : ''
}</section>`,
      )
    : html`<section><p>Belum ada kesepakatan yang diumumkan.</p></section>`;
  return html`<h1>${heading}</h1>${institution ? html`<p><a href="/publik">← Semua kesepakatan</a></p>` : ''}${list}`;
}
