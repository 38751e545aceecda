// Impor OPD: a Pemda's OPD list from a spreadsheet. First a preview of what would be added or changed (or
// every bad row by its line), then the same rows applied after the person confirms.
import type { Party } from '../../../services/directory.js';
import type { PlannedChange, RowError } from '../../../services/directory-import.js';
import { html, type Html } from '../html.js';

const COLUMNS_HINT = html`<p class="hint">Baris pertama berisi judul kolom: <code>ID OPD</code>, <code>Nama OPD</code>,
<code>Zona waktu</code> (boleh kosong: WIB, WITA atau WIT), <code>Nama kontak</code>, <code>Jabatan</code>,
<code>E-mail</code>,
<code>Peran</code> (penghubung, penanda tangan, pimpinan). Satu baris per kontak; OPD tanpa kontak cukup satu baris
dengan kolom kontak kosong.</p>`;

export function importForm(pemda: Party, refused?: string): Html {
  return html`<h1>Impor daftar OPD: ${pemda.name}</h1><section>
${refused ? html`<p class="field-error" role="alert">${refused}</p>` : ''}
<form method="post" action="/direktori/${pemda.id}/impor" enctype="multipart/form-data">
<label for="f-file">Berkas Excel (XLSX) atau CSV</label>${COLUMNS_HINT}
<input id="f-file" type="file" name="file" required
accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
<button>Lihat pratinjau</button></form>
<p><a href="/direktori/${pemda.id}/impor/templat.xlsx">Unduh templat Excel</a> ·
<a href="/direktori">Kembali ke direktori</a></p></section>`;
}

const ACTION: Record<PlannedChange['action'], string> = { add: 'Ditambah', change: 'Diubah', same: 'Tidak berubah' };

export function importErrors(pemda: Party, errors: RowError[]): Html {
  return html`<h1>Impor daftar OPD: ${pemda.name}</h1><section>
<p class="field-error" role="alert">Tidak ada yang disimpan: ${errors.length} baris perlu diperbaiki.</p>
<div class="table-wrap" tabindex="0"><table><thead><tr><th>Baris</th><th>Masalah</th></tr></thead><tbody>
${errors.map((e) => html`<tr><td>${e.line}</td><td>${e.message}</td></tr>`)}</tbody></table></div>
<p><a href="/direktori/${pemda.id}/impor">Unggah berkas yang sudah diperbaiki</a></p></section>`;
}

/** The plan, and a form that posts the same rows back to be applied. */
export function importPreview(pemda: Party, changes: PlannedChange[], rows: string): Html {
  const count = (a: PlannedChange['action']) => changes.filter((c) => c.action === a).length;
  const apply =
    count('add') + count('change') > 0
      ? html`<form method="post" action="/direktori/${pemda.id}/impor/terapkan">
<input type="hidden" name="rows" value="${rows}">
<button>Terapkan: ${count('add')} ditambah, ${count('change')} diubah</button></form>`
      : html`<p>Tidak ada yang perlu diubah.</p>`;
  return html`<h1>Pratinjau impor: ${pemda.name}</h1><section>
<p role="status">${count('add')} OPD ditambah, ${count('change')} diubah, ${count('same')} tidak berubah. OPD yang tidak
ada di berkas dibiarkan.</p>
<div class="table-wrap" tabindex="0"><table><thead><tr><th>ID</th><th>Nama</th><th>Tindakan</th><th>Kontak</th></tr>
</thead><tbody>
${changes.map(
  (c) => html`<tr><td>${c.opd.id}</td><td>${c.opd.name}</td>
<td>${ACTION[c.action]}${c.changed.length ? ` (${c.changed.join(', ')})` : ''}</td>
<td>${c.opd.contacts.map((k) => html`${k.name} &lt;${k.email}&gt;<br>`)}</td></tr>`,
)}</tbody></table></div>
${apply}<p><a href="/direktori/${pemda.id}/impor">Batal, unggah berkas lain</a></p></section>`;
}
