// Ringkasan: the overview a Kakanwil, Kabag Kerja Sama or Kalapas reports upward, with charts drawn on the
// server and the same numbers in tables beside them.
import { INSTRUMENT_LABEL, STAGE_LABEL } from '../../../domain/labels.js';
import { STAGES, type Instrument, type Party, type Stage } from '../../../domain/types.js';
import type { Overview } from '../../../services/overview.js';
import { barChart, monthlyChart } from '../charts.js';
import { html, raw, type Html } from '../html.js';
import { day } from './format.js';

const pct = (n: number | null) => (n === null ? '—' : `${n}%`);
/** A bounded list says so: "Ditampilkan 100 dari 2.345, …". */
const shownOf = (shown: number, all: number, which: string) =>
  shown < all ? `Ditampilkan ${shown} dari ${all.toLocaleString('id-ID')}, ${which}.` : '';
const days = (n: number | null) => (n === null ? '—' : `${n} hari`);

/** A chart beside its table; a chart with nothing to draw says so instead of showing bare axes. */
function figure(chart: string | undefined, table: Html): Html {
  const drawn = chart === undefined ? html`<p class="muted">Belum ada data.</p>` : raw(chart);
  return html`<div class="grid"><figure>${drawn}</figure><div class="table-wrap" tabindex="0">${table}</div></div>`;
}

function filters(o: Overview, parties: Party[]): Html {
  const chosen = o.filter.partyId ?? '';
  return html`<form class="search" method="get" action="/ringkasan">
<div><label for="f-party">Pihak</label><select id="f-party" name="partyId">
<option value="">Semua yang dapat Anda lihat</option>
${parties.map((p) => html`<option value="${p.id}"${p.id === chosen ? ' selected' : ''}>${p.name}</option>`)}</select>
</div>
<div><label for="f-from">Mulai dari</label><input id="f-from" type="date" name="from" value="${o.filter.from ?? ''}">
</div>
<div><label for="f-to">Sampai</label><input id="f-to" type="date" name="to" value="${o.filter.to ?? ''}"></div>
<button>Terapkan</button></form>`;
}

export async function overviewPage(o: Overview, parties: Party[]): Promise<Html> {
  const stageRows = STAGES.map((s) => ({ tahap: STAGE_LABEL[s], jumlah: o.agreements.byStage[s] ?? 0 }));
  const countLine = (r: { tahap: string; jumlah: number }): string => `${r.tahap} ${r.jumlah}`;
  const stageChart =
    o.agreements.total === 0
      ? undefined
      : await barChart(
          'c-tahap',
          {
            title: 'Kesepakatan per tahap',
            description: `${o.agreements.total} kesepakatan: ${stageRows.map(countLine).join(', ')}.`,
          },
          stageRows,
          'tahap',
          'jumlah',
          { category: 'Tahap', value: 'Jumlah kesepakatan' },
        );
  const escalationRows = o.escalationsByMonth.flatMap((m) => [
    { month: m.month, series: 'Eskalasi tingkat 1', count: m.level1 },
    { month: m.month, series: 'Eskalasi tingkat 2', count: m.level2 },
  ]);
  const escalationChart =
    escalationRows.length === 0
      ? undefined
      : await monthlyChart(
          'c-eskalasi',
          {
            title: 'Eskalasi tindak lanjut per bulan',
            description: o.escalationsByMonth.length
              ? o.escalationsByMonth.map((m) => `${m.month}: tingkat 1 ${m.level1}, tingkat 2 ${m.level2}`).join('; ')
              : 'Belum ada eskalasi.',
          },
          escalationRows,
          { value: 'Eskalasi' },
        );
  const expiringChart =
    o.expiringByMonth.length === 0
      ? undefined
      : await monthlyChart(
          'c-berakhir',
          {
            title: `Berakhir dalam 90 hari, per bulan`,
            description: o.expiringByMonth.length
              ? o.expiringByMonth.map((m) => `${m.month}: ${m.count}`).join('; ')
              : 'Tidak ada yang berakhir dalam 90 hari.',
          },
          o.expiringByMonth.map((m) => ({ month: m.month, series: 'Berakhir', count: m.count })),
          { value: 'Kesepakatan' },
        );
  const stageHead = STAGES.map((s) => html`<th>${STAGE_LABEL[s]}</th>`);
  return html`<h1>Ringkasan</h1>
<section>${filters(o, parties)}<p class="muted">Per ${day(o.today)}. Periode menurut tanggal kesepakatan dimulai.</p>
<p><a href="/kesepakatan/unduh.xlsx${o.filter.partyId ? `?partyId=${encodeURIComponent(o.filter.partyId)}` : ''}">Unduh
daftar kesepakatan ini (Excel)</a></p></section>
<section><h2>Kesepakatan</h2>${figure(
    stageChart,
    html`<table><caption>Kesepakatan per tahap</caption><thead><tr><th>Tahap</th><th>Jumlah</th></tr></thead><tbody>
${stageRows.map((r) => html`<tr><td>${r.tahap}</td><td>${r.jumlah}</td></tr>`)}<tr><th>Jumlah</th>
<th>${o.agreements.total}</th></tr></tbody></table>`,
  )}
<h3>Per instrumen</h3><div class="table-wrap" tabindex="0"><table><thead><tr><th>Instrumen</th><th>Jumlah</th></tr>
</thead><tbody>
${Object.entries(o.agreements.byInstrument).map(
  ([k, n]) => html`<tr><td>${INSTRUMENT_LABEL[k as Instrument] ?? k}</td>
<td>${n}</td></tr>`,
)}</tbody></table></div>
<h3>Per lembaga</h3><div class="table-wrap" tabindex="0"><table><thead><tr><th>Lembaga</th>${stageHead}<th>Jumlah</th>
</tr></thead><tbody>
${o.agreements.byInstitution.map(
  (r) => html`<tr>
<td>${r.name}</td>${STAGES.map((s: Stage) => html`<td>${r.byStage[s] ?? 0}</td>`)}<td>${r.total}</td></tr>`,
)}</tbody>
</table></div></section>
<section><h2>Kecepatan</h2><div class="table-wrap" tabindex="0"><table><thead><tr><th>Tahun penandatanganan</th>
<th>Audiensi → tanda tangan: median</th><th>persentil 75</th><th>Draf 1 → disetujui semua: median</th>
<th>persentil 75</th></tr></thead><tbody>
${
  o.speed.length
    ? o.speed.map(
        (r) => html`<tr><td>${r.year}</td><td>${days(r.audiensiToSigning.median)}</td>
<td>${days(r.audiensiToSigning.p75)}</td><td>${days(r.draftToApproval.median)}</td>
<td>${days(r.draftToApproval.p75)}</td></tr>`,
      )
    : html`<tr><td colspan="5">Belum ada yang ditandatangani.</td>
</tr>`
}</tbody></table></div></section>
<section><h2>Tindak lanjut: siapa yang terlambat</h2>
<p>${o.followUps.open} terbuka, ${o.followUps.overdue} lewat batas waktu, ${o.followUps.level1} eskalasi tingkat 1,
${o.followUps.level2} tingkat 2.
${shownOf(o.followUps.byParty.length, o.followUps.owners, 'yang paling banyak dieskalasi dan terlambat')}</p>
<div class="table-wrap" tabindex="0"><table><thead><tr><th>Pemilik</th><th>Terbuka</th><th>Lewat batas</th>
<th>Eskalasi 1</th><th>Eskalasi 2</th></tr></thead><tbody>
${o.followUps.byParty.map(
  (r) => html`<tr><td>${r.name}</td><td>${r.open}</td><td>${r.overdue}</td><td>${r.level1}</td>
<td>${r.level2}</td></tr>`,
)}</tbody></table></div>
${figure(
  escalationChart,
  html`<table><caption>Eskalasi per bulan</caption><thead><tr><th>Bulan</th><th>Tingkat 1</th><th>Tingkat 2</th></tr>
</thead><tbody>
${o.escalationsByMonth.map((m) => html`<tr><td>${m.month}</td><td>${m.level1}</td><td>${m.level2}</td></tr>`)}</tbody>
</table>`,
)}</section>
<section><h2>Segera berakhir</h2><p>Masa berlaku berakhir dalam 90 hari dan belum ada keputusan pembaruan.
${shownOf(o.expiring.length, o.expiringCount, 'yang paling dekat')}</p>
${figure(
  expiringChart,
  html`<table><thead><tr><th>Kesepakatan</th><th>Berakhir</th><th>Sisa</th></tr></thead><tbody>
${
  o.expiring.length
    ? o.expiring.map(
        (e) => html`<tr><td><a href="/kesepakatan/${e.id}">${e.title}</a></td>
<td>${day(e.termEnd)}</td><td>${e.daysLeft} hari</td></tr>`,
      )
    : html`<tr><td colspan="3">Tidak ada.</td></tr>`
}</tbody>
</table>`,
)}</section>
<section><h2>Monev</h2>
<p>${o.monev.onTime} dari ${o.monev.due} laporan yang jatuh tempo diterima tepat waktu (${pct(o.monev.percent)}).
${shownOf(o.monev.byAgreement.length, o.monev.missing, 'yang laporannya paling lama tertunda')}</p>
<div class="table-wrap" tabindex="0"><table><thead><tr><th>Kesepakatan</th><th>Jatuh tempo</th><th>Tepat waktu</th>
<th>%</th></tr></thead><tbody>
${o.monev.byAgreement.map(
  (r) => html`<tr><td><a href="/kesepakatan/${r.id}">${r.title}</a></td><td>${r.due}</td>
<td>${r.onTime}</td><td>${pct(r.percent)}</td></tr>`,
)}</tbody></table></div></section>
<section><h2>Cakupan PKS</h2>
<p>${o.pksTotals.signed} dari ${o.pksTotals.started} PKS di bawah ${o.pksTotals.umbrellas} kesepakatan induk sudah
ditandatangani. ${shownOf(o.pksCoverage.length, o.pksTotals.umbrellas, 'dengan PKS belum ditandatangani terbanyak')}</p>
<div class="table-wrap" tabindex="0"><table><thead><tr><th>Kesepakatan induk</th>
<th>PKS ditandatangani / dimulai</th><th>OPD yang belum menandatangani</th></tr></thead><tbody>
${
  o.pksCoverage.length
    ? o.pksCoverage.map(
        (u) => html`<tr><td><a href="/kesepakatan/${u.id}/pks">${u.title}</a></td>
<td>${u.signed} / ${u.started}</td><td>${u.notSigned.map(
          (n) => html`<a href="/kesepakatan/${n.id}">${n.name}</a>
<br>`,
        )}</td></tr>`,
      )
    : html`<tr><td colspan="3">Belum ada PKS.</td></tr>`
}</tbody></table></div></section>`;
}
