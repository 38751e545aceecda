// Calendar subscriptions: one feed URL per party, shown once; the live ones listed with their maker and end,
// each revocable, and a way to revoke them all.
import { formatInstant } from '../../../domain/format.js';
import type { FeedItem } from '../../../services/calendar-feeds.js';
import { html, type Html } from '../html.js';

export interface CalendarShown {
  partyId: string;
  partyName: string;
  url?: string;
  revoked?: number;
}

function shownSection(shown: CalendarShown | undefined): Html {
  if (shown?.url) {
    return html`<div class="ok" role="status">
<p>Tautan langganan untuk <strong>${shown.partyName}</strong> (simpan; hanya ditampilkan sekali):</p>
<p><input readonly value="${shown.url}" aria-label="Tautan langganan kalender"></p></div>`;
  }
  if (shown?.revoked !== undefined) {
    return html`<div class="ok" role="status">${shown.revoked} tautan untuk ${shown.partyName} dicabut.</div>`;
  }
  return html``;
}

const makerOf = (f: FeedItem): string =>
  f.creatorKind === 'person' && f.createdBy ? f.createdBy : f.createdBy === 'env-admin' ? 'token admin' : 'token API';

function feedList(partyId: string, feeds: FeedItem[], readOnly: boolean): Html {
  if (feeds.length === 0) return html`<p class="hint">Belum ada tautan yang berlaku.</p>`;
  const item = (
    f: FeedItem,
  ) => html`<li>Dibuat oleh ${makerOf(f)}, berlaku sampai ${formatInstant(f.expiresAt, 'Asia/Jakarta')}
${
  readOnly
    ? ''
    : html`<form class="inline" method="post" action="/kalender/${partyId}/${f.id}/cabut">
<button class="warning flush">Cabut</button></form>`
}</li>`;
  return html`<ul>${feeds.map(item)}</ul>`;
}

function row(p: { id: string; name: string }, feeds: FeedItem[], readOnly: boolean): Html {
  const actions = readOnly
    ? '—'
    : html`<form class="inline" method="post" action="/kalender/${p.id}">
<button class="secondary flush">Buat tautan langganan</button></form>
<form class="inline" method="post" action="/kalender/${p.id}/cabut">
<button class="warning flush">Cabut semua tautan</button></form>`;
  return html`<tr><td>${p.name}</td><td>${feedList(p.id, feeds, readOnly)}</td><td>${actions}</td></tr>`;
}

export function calendarsPage(
  parties: { id: string; name: string }[],
  feeds: Map<string, FeedItem[]>,
  readOnly: boolean,
  shown?: CalendarShown,
  month?: Html,
): Html {
  return html`<h1>Kalender</h1>
${month ?? ''}
<section><h2>Langganan kalender</h2>
<p>Langganan kalender menampilkan pertemuan, upacara penandatanganan, dan batas tindak lanjut pihak Anda
di Google Calendar atau Outlook (tambahkan kalender "dari URL"). Undangan di e-mail dan entri kalender adalah acara yang
sama.</p>
${shownSection(shown)}
<div class="table-wrap" tabindex="0"><table><thead><tr><th>Pihak</th><th>Tautan yang berlaku</th><th>Tindakan</th></tr>
</thead>
<tbody>${parties.map((p) => row(p, feeds.get(p.id) ?? [], readOnly))}</tbody></table></div></section>`;
}
