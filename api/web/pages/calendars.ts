// Calendar subscriptions: one feed URL per party, shown once, and a way to revoke them all.
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

function row(p: { id: string; name: string }, readOnly: boolean): Html {
  const actions = readOnly
    ? '—'
    : html`<form class="inline" method="post" action="/kalender/${p.id}">
<button class="secondary flush">Buat tautan langganan</button></form>
<form class="inline" method="post" action="/kalender/${p.id}/cabut">
<button class="warning flush">Cabut semua tautan</button></form>`;
  return html`<tr><td>${p.name}</td><td>${actions}</td></tr>`;
}

export function calendarsPage(parties: { id: string; name: string }[], readOnly: boolean, shown?: CalendarShown): Html {
  return html`<h1>Kalender</h1>
<section><p>Langganan kalender menampilkan pertemuan, upacara penandatanganan, dan batas tindak lanjut pihak Anda
di Google Calendar atau Outlook (tambahkan kalender "dari URL"). Undangan di e-mail dan entri kalender adalah acara yang sama.</p>
${shownSection(shown)}
<div class="table-wrap"><table><thead><tr><th>Pihak</th><th>Tautan</th></tr></thead>
<tbody>${parties.map((p) => row(p, readOnly))}</tbody></table></div></section>`;
}
