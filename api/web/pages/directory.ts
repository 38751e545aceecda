// Direktori: the parties as the directory holds them, each under the party above it (Kanwil → UPT,
// Pemda → OPD), with its time zone and its contacts: the people who sign in and are e-mailed.
import type { Party } from '../../../services/directory.js';
import { html, type Html } from '../html.js';
import { linesFromContacts } from '../contact-lines.js';

const ZONE: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };
const CONTACT_ROLE: Record<string, string> = { liaison: 'Penghubung', signatory: 'Penanda tangan', supervisor: 'Pimpinan' };

/** Parties whose contacts this viewer may change, and a refusal to show beside one of them. */
export interface DirectoryEditing {
  editable: Set<string>;
  refused?: { partyId: string; message: string; lines: string };
}

function contactsForm(p: Party, editing: DirectoryEditing): Html {
  if (!editing.editable.has(p.id)) return html``;
  const refused = editing.refused?.partyId === p.id ? editing.refused : undefined;
  return html`<details${refused ? ' open' : ''}><summary>Ubah kontak</summary><form method="post" action="/direktori/${p.id}/kontak">
${refused ? html`<p class="field-error" role="alert">${refused.message}</p>` : ''}
<label for="f-kontak-${p.id}">Kontak</label><p class="hint">Satu per baris: Nama; Jabatan; e-mail; peran (penghubung, penanda tangan, pimpinan)</p>
<textarea id="f-kontak-${p.id}" name="contacts">${refused?.lines ?? linesFromContacts(p.contacts)}</textarea>
<button>Simpan kontak</button></form></details>`;
}

function partyBlock(p: Party, under: Map<string, Party[]>, editing: DirectoryEditing): Html {
  const children = under.get(p.id) ?? [];
  const contacts = p.contacts.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Nama</th><th>Jabatan</th><th>E-mail</th><th>Peran</th></tr></thead><tbody>
${p.contacts.map((c) => html`<tr><td>${c.name}</td><td>${c.position}</td><td>${c.email}</td><td>${CONTACT_ROLE[c.role] ?? c.role}</td></tr>`)}
</tbody></table></div>`
    : html`<p class="muted">Belum ada kontak.</p>`;
  return html`<details open><summary>${p.name} <span class="muted">(${p.id}, ${ZONE[p.timeZone] ?? p.timeZone})</span></summary>
${contacts}${contactsForm(p, editing)}${children.length ? html`<div class="nested">${children.map((c) => partyBlock(c, under, editing))}</div>` : ''}</details>`;
}

export function directoryPage(parties: Party[], editing: DirectoryEditing = { editable: new Set() }, saved?: string): Html {
  const ids = new Set(parties.map((p) => p.id));
  const under = new Map<string, Party[]>();
  for (const p of parties) if (p.parentId && ids.has(p.parentId)) under.set(p.parentId, [...(under.get(p.parentId) ?? []), p]);
  const top = parties.filter((p) => !p.parentId || !ids.has(p.parentId));
  const none = parties.length === 0 ? html`<p>Direktori masih kosong.</p>` : '';
  const ok = saved ? html`<p class="ok" role="status">Kontak ${saved} disimpan.</p>` : '';
  return html`<h1>Direktori</h1>${ok}<section>${none}${top.map((p) => partyBlock(p, under, editing))}</section>`;
}
