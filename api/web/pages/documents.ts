// Documents on the dashboard: an agreement's kept files with an upload form, the comparison of two draft
// versions with insertions and deletions marked, and the search over every document a person may see.
import type { AgreementView } from '../../../domain/view.js';
import { DOCUMENT_KINDS, type DocumentInfo, type SearchHit } from '../../../services/documents/documents.js';
import type { DraftComparison } from '../../../services/documents/service.js';
import { html, raw, type Html } from '../html.js';
import { day } from './format.js';

export const KIND_LABEL: Record<DocumentInfo['kind'], string> = {
  draft: 'Draf',
  final: 'Berkas final untuk TTE',
  signed: 'Salinan bertanda tangan',
  minutes: 'Notulen',
  report: 'Laporan',
  attachment: 'Lampiran',
  audit_sheet: 'Lembar jejak audit',
};

const size = (bytes: number): string =>
  bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export function documentsSection(v: AgreementView, documents: DocumentInfo[], mayAct: boolean): Html {
  const rows = documents.map(
    (d) => html`<tr><td><a href="/dokumen/${d.id}">${d.filename}</a>${
      d.textNote
        ? html`<br>
<small class="muted">${d.textNote}</small>`
        : ''
    }</td>
<td>${KIND_LABEL[d.kind]}</td><td>${size(d.size)}</td><td>${day(d.uploadedAt.slice(0, 10))}</td></tr>`,
  );
  const list = documents.length
    ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th>Berkas</th><th>Jenis</th><th>Ukuran</th>
<th>Diunggah</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p>Belum ada dokumen.</p>`;
  const drafting = v.stage === 'drafting';
  const likelyKind = drafting ? 'draft' : v.stage === 'signing' ? 'signed' : 'attachment';
  // Before the first draft, uploading it is the next step: the form stands open.
  const firstDraft = drafting && v.drafts.length === 0;
  const form =
    mayAct && v.stage !== 'ended'
      ? html`<details${firstDraft ? html` open` : ''}>
<summary>${drafting ? 'Unggah draf atau dokumen' : 'Unggah dokumen'}</summary>
<form method="post" action="/kesepakatan/${v.id}/dokumen" enctype="multipart/form-data">
<label for="f-doc-file">Berkas</label><p class="hint">PDF, DOCX, ODT, XLSX, JPEG atau PNG</p>
<input id="f-doc-file" type="file" name="file" required>
<label for="f-doc-kind">Jenis</label>
<select id="f-doc-kind" name="kind">${DOCUMENT_KINDS.map(
          (k) => html`<option value="${k}"${k === likelyKind ? ' selected' : ''}>${KIND_LABEL[k]}</option>`,
        )}</select>
${
  drafting
    ? html`<label><input class="auto" type="checkbox" name="submit" value="ya" checked>
Ajukan sebagai versi draf berikutnya (bila jenisnya draf)</label>
<label for="f-doc-note">Catatan untuk para pihak (opsional)</label>
<textarea id="f-doc-note" name="note" maxlength="5000"></textarea>`
    : ''
}
<button>Unggah</button></form></details>
${
  drafting
    ? html`<form method="post" action="/kesepakatan/${v.id}/draf/buat">
<button class="secondary">Buat draf dari data kesepakatan (DOCX)</button></form>`
    : ''
}`
      : '';
  return html`<section><h2>Dokumen</h2>${list}${form}</section>`;
}

/** Hunks as text with <ins> and <del>; paragraphs keep their breaks (the page's style pre-wraps them). */
function marked(c: DraftComparison): Html {
  const first = c.hunks.findIndex((h) => h.op !== 'equal');
  const id = (i: number) => (i === first ? html` id="perubahan-pertama"` : '');
  const hunk = (h: DraftComparison['hunks'][number], i: number): Html => {
    if (h.op === 'added') return html`<ins${id(i)}>${h.text}</ins>`;
    if (h.op === 'removed') return html`<del${id(i)}>${h.text}</del>`;
    return html`${h.text}`;
  };
  return html`${c.hunks.map(hunk)}`;
}

/** Two versions side by side in one text; `back` is where the page's first link leads (the agreement, or the e-mailed
 * link). */
export function comparisonPage(v: AgreementView, c: DraftComparison, back = `/kesepakatan/${v.id}`): Html {
  const jump = c.added + c.removed > 0 ? html` <a href="#perubahan-pertama">Ke perubahan pertama ↓</a>` : '';
  return html`<p><a href="${back}">← ${v.title}</a></p>
<h1>Perubahan draf versi ${c.from} ke versi ${c.to}</h1>
<section><p role="status"><strong>${c.added}</strong> kata ditambah, <strong>${c.removed}</strong> kata dihapus.${jump}
<span class="muted">Tambahan <ins>bergaris bawah hijau</ins>, hapusan <del>dicoret merah</del>.</span></p>
${c.note ? html`<p class="hint" role="note">${c.note}</p>` : ''}
<div class="diff">${marked(c)}</div></section>`;
}

export function searchPage(q: string, hits: SearchHit[]): Html {
  const results = q
    ? hits.length
      ? html`<p role="status">${hits.length} dokumen ditemukan.</p><ol>${hits.map(
          (h) => html`<li><a href="/dokumen/${h.id}">${h.filename}</a>
— ${KIND_LABEL[h.kind]}${h.version ? ` versi ${h.version}` : ''},
<a href="/kesepakatan/${h.agreementId}">${h.agreementTitle}</a>
<br><small>${raw(h.snippet)}</small></li>`,
        )}</ol>`
      : html`<p role="status">Tidak ada dokumen yang memuat “${q}”.</p>`
    : '';
  return html`<h1>Dokumen</h1><section><form class="search" method="get" action="/dokumen">
<div><label for="f-q">Cari di teks semua dokumen</label><input id="f-q" name="q" value="${q}" maxlength="200"></div>
<button>Cari</button></form>
${results}</section>`;
}
