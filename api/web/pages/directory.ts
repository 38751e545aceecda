// Direktori: the parties as the directory holds them, each under the party above it (Kanwil → UPT,
// Pemda → OPD), with its time zone and its contacts: the people who sign in and are e-mailed.
import type { Party } from '../../../services/directory.js';
import { html, type Html } from '../html.js';

const ZONE: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };
const CONTACT_ROLE: Record<string, string> = { liaison: 'Penghubung', signatory: 'Penanda tangan', supervisor: 'Pimpinan' };

function partyBlock(p: Party, under: Map<string, Party[]>): Html {
  const children = under.get(p.id) ?? [];
  const contacts = p.contacts.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Nama</th><th>Jabatan</th><th>E-mail</th><th>Peran</th></tr></thead><tbody>
${p.contacts.map((c) => html`<tr><td>${c.name}</td><td>${c.position}</td><td>${c.email}</td><td>${CONTACT_ROLE[c.role] ?? c.role}</td></tr>`)}
</tbody></table></div>`
    : html`<p class="muted">Belum ada kontak.</p>`;
  return html`<details open><summary>${p.name} <span class="muted">(${p.id}, ${ZONE[p.timeZone] ?? p.timeZone})</span></summary>
${contacts}${children.length ? html`<div class="nested">${children.map((c) => partyBlock(c, under))}</div>` : ''}</details>`;
}

export function directoryPage(parties: Party[]): Html {
  const ids = new Set(parties.map((p) => p.id));
  const under = new Map<string, Party[]>();
  for (const p of parties) if (p.parentId && ids.has(p.parentId)) under.set(p.parentId, [...(under.get(p.parentId) ?? []), p]);
  const top = parties.filter((p) => !p.parentId || !ids.has(p.parentId));
  const none = parties.length === 0 ? html`<p>Direktori masih kosong.</p>` : '';
  return html`<h1>Direktori</h1><section>${none}${top.map((p) => partyBlock(p, under))}</section>`;
}
