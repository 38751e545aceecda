// Direktori: the parties as the directory holds them, each under the party above it (Kanwil → UPT,
// Pemda → OPD), with its time zone and its contacts: the people who sign in and are e-mailed.
import { CONTACT_ROLE_LABEL } from '../../../domain/labels.js';
import type { Party } from '../../../services/directory.js';
import type { RegisteredNumber } from '../../../services/numbers.js';
import { html, type Html } from '../html.js';
import { linesFromContacts } from '../contact-lines.js';

const ZONE: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

const KIND: Record<string, string> = {
  upt: 'UPT',
  kanwil: 'Kanwil',
  pemda: 'Pemda',
  opd: 'OPD',
  kelurahan: 'Kelurahan',
  other: 'Lainnya',
};

/** Parties whose contacts this viewer may change, whether it may add and edit parties, and a refusal to show. */
export interface DirectoryEditing {
  editable: Set<string>;
  admin?: boolean;
  refused?: { partyId: string; message: string; lines: string };
  /** A refused party form: which one ("baru" or a party's id), why, and what was typed. */
  refusedParty?: { partyId: string; message: string; values: Partial<Record<string, string>> };
  /** This year's register of each party whose numbering this viewer may change. */
  registers?: Map<string, (RegisteredNumber & { year: number })[]>;
  year?: number;
  refusedTemplate?: { partyId: string; message: string; value: string };
}

const options = (entries: [string, string][], chosen: string | undefined): Html[] =>
  entries.map(
    ([value, label]) => html`<option value="${value}"${value === (chosen ?? '') ? ' selected' : ''}>${label}</option>`,
  );

/** The fields of a party both forms share: name, the party above it, and its time zone. */
function partyFields(key: string, parties: Party[], v: Partial<Record<string, string>>): Html {
  const parents: [string, string][] = [
    ['', '(tidak ada)'],
    ...parties.filter((p) => p.id !== key).map((p): [string, string] => [p.id, p.name]),
  ];
  return html`<label for="f-name-${key}">Nama</label>
<input id="f-name-${key}" name="name" required maxlength="200" value="${v['name'] ?? ''}">
<label for="f-parent-${key}">Di bawah</label>
<select id="f-parent-${key}" name="parentId">${options(parents, v['parentId'])}</select>
<label for="f-zone-${key}">Zona waktu</label>
<select id="f-zone-${key}" name="timeZone">${options(Object.entries(ZONE), v['timeZone'] ?? 'Asia/Jakarta')}</select>`;
}

function refusedFor(editing: DirectoryEditing, partyId: string) {
  return editing.refusedParty?.partyId === partyId ? editing.refusedParty : undefined;
}

function newPartyForm(parties: Party[], editing: DirectoryEditing): Html {
  if (!editing.admin) return html``;
  const refused = refusedFor(editing, 'baru');
  const v = refused?.values ?? {};
  return html`<details${refused ? ' open' : ''}><summary>Tambah pihak</summary>
<form method="post" action="/direktori/pihak">
${refused ? html`<p class="field-error" role="alert">${refused.message}</p>` : ''}
<label for="f-id-baru">ID</label>
<p class="hint">Huruf, angka, titik, strip; misalnya <code>dinsos-garut</code>. Kosongkan untuk dibuatkan.</p>
<input id="f-id-baru" name="id" maxlength="64" value="${v['id'] ?? ''}">
<label for="f-kind-baru">Jenis</label>
<select id="f-kind-baru" name="kind">${options(Object.entries(KIND), v['kind'] ?? 'opd')}</select>
${partyFields('baru', parties, v)}<button>Tambah pihak</button></form></details>`;
}

function editPartyForm(p: Party, parties: Party[], editing: DirectoryEditing): Html {
  if (!editing.admin) return html``;
  const refused = refusedFor(editing, p.id);
  const v = refused?.values ?? { name: p.name, parentId: p.parentId ?? '', timeZone: p.timeZone };
  const importLink = p.kind === 'pemda' ? html` <a href="/direktori/${p.id}/impor">Impor daftar OPD</a>` : '';
  return html`<details${refused ? ' open' : ''}><summary>Ubah pihak</summary>
<form method="post" action="/direktori/${p.id}/ubah">
${refused ? html`<p class="field-error" role="alert">${refused.message}</p>` : ''}${partyFields(p.id, parties, v)}
<button>Simpan pihak</button></form></details>${importLink}`;
}

function contactsForm(p: Party, editing: DirectoryEditing): Html {
  if (!editing.editable.has(p.id)) return html``;
  const refused = editing.refused?.partyId === p.id ? editing.refused : undefined;
  return html`<details${refused ? ' open' : ''}><summary>Ubah kontak</summary>
<form method="post" action="/direktori/${p.id}/kontak">
${refused ? html`<p class="field-error" role="alert">${refused.message}</p>` : ''}
<label for="f-kontak-${p.id}">Kontak</label>
<p class="hint">Satu per baris: Nama; Jabatan; e-mail; peran (penghubung, penanda tangan, pimpinan); NIK
(opsional: bagi penanda tangan TTE, dicocokkan dengan sertifikatnya)</p>
<textarea id="f-kontak-${p.id}" name="contacts">${refused?.lines ?? linesFromContacts(p.contacts)}</textarea>
<button>Simpan kontak</button></form></details>`;
}

/** A party's number template and this year's register: its own liaisons' and an admin's to see and change. */
function numberingBlock(p: Party, editing: DirectoryEditing): Html {
  if (!editing.editable.has(p.id)) return html``;
  const refused = editing.refusedTemplate?.partyId === p.id ? editing.refusedTemplate : undefined;
  const register = editing.registers?.get(p.id) ?? [];
  const years = [...new Set(register.map((r) => r.year))];
  const tables = years.map((year) => {
    const rows = register
      .filter((r) => r.year === year)
      .map(
        (r) => html`<tr><td>${r.number}</td>
<td><a href="/kesepakatan/${r.agreementId}">${r.agreementId}</a></td>
<td>${r.status === 'batal' ? html`<span class="tag late">Batal</span>` : 'Dipakai'}</td></tr>`,
      );
    return html`<div class="table-wrap" tabindex="0"><table><caption>Register nomor ${year}</caption>
<thead><tr><th scope="col">Nomor</th><th scope="col">Kesepakatan</th><th scope="col">Status</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
  });
  const table = years.length ? tables : html`<p class="muted">Belum ada nomor tahun ${editing.year}.</p>`;
  return html`<details${refused ? ' open' : ''}><summary>Nomor dokumen</summary>
<form method="post" action="/direktori/${p.id}/nomor">
${refused ? html`<p class="field-error" role="alert">${refused.message}</p>` : ''}
<label for="f-nomor-${p.id}">Templat nomor</label>
<p class="hint">{nomor} nomor urut, {tahun} tahun, {bulan} bulan dalam angka Romawi; misalnya
000.8.3.3/{nomor}/Bag.Kerjasama/{tahun}. Kosongkan bila nomornya ditulis tangan.</p>
<input id="f-nomor-${p.id}" name="numberTemplate" maxlength="120" value="${refused?.value ?? p.numberTemplate ?? ''}">
<button>Simpan templat</button></form>${table}</details>`;
}

function partyBlock(p: Party, under: Map<string, Party[]>, editing: DirectoryEditing, all: Party[]): Html {
  const children = under.get(p.id) ?? [];
  const contacts = p.contacts.length
    ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th>Nama</th><th>Jabatan</th><th>E-mail</th>
<th>Peran</th></tr></thead><tbody>
${p.contacts.map(
  (c) => html`<tr><td>${c.name}</td><td>${c.position}</td><td>${c.email}</td>
<td>${CONTACT_ROLE_LABEL[c.role]}</td></tr>`,
)}
</tbody></table></div>`
    : html`<p class="muted">Belum ada kontak.</p>`;
  const label = `${KIND[p.kind] ?? p.kind}, ${ZONE[p.timeZone] ?? p.timeZone}`;
  const nested = children.length
    ? html`<div class="nested">${children.map((c) => partyBlock(c, under, editing, all))}</div>`
    : '';
  return html`<details open><summary>${p.name} <span class="muted">(${label})</span></summary>
${contacts}${contactsForm(p, editing)}${numberingBlock(p, editing)}
${editPartyForm(p, all, editing)}${nested}</details>`;
}

export function directoryPage(
  parties: Party[],
  editing: DirectoryEditing = { editable: new Set() },
  saved?: string,
): Html {
  const ids = new Set(parties.map((p) => p.id));
  const under = new Map<string, Party[]>();
  for (const p of parties)
    if (p.parentId && ids.has(p.parentId)) under.set(p.parentId, [...(under.get(p.parentId) ?? []), p]);
  const top = parties.filter((p) => !p.parentId || !ids.has(p.parentId));
  const none = parties.length === 0 ? html`<p>Direktori masih kosong.</p>` : '';
  const ok = saved ? html`<p class="ok" role="status">${saved}</p>` : '';
  const blocks = top.map((p) => partyBlock(p, under, editing, parties));
  return html`<h1>Direktori</h1>${ok}<section>${newPartyForm(parties, editing)}${none}${blocks}</section>`;
}
