// The month view on /kalender: each day with its meetings, ceremonies and due dates. On a phone it is a list of
// the days that have something; on a wider screen a seven-column grid starting on Monday.
import { addDays, addMonths, isoWeekday } from '../../../domain/dates.js';
import { dayName, formatDate, formatMonth } from '../../../domain/format.js';
import type { MonthEntry } from '../../../services/calendar-month.js';
import { html, type Html } from '../html.js';

const KIND_CLASS: Record<MonthEntry['kind'], string> = { meeting: 'meeting', signing: 'signing', follow_up: 'due' };

function entryLine(e: MonthEntry): Html {
  const text = `${e.time ? `${e.time} ` : ''}${e.summary}`;
  return html`<li class="entry ${KIND_CLASS[e.kind]}">
<a href="/kesepakatan/${e.agreementId}">${e.cancelled ? html`<del>${text}</del> (dibatalkan)` : text}</a></li>`;
}

/** `month` is "YYYY-MM"; `today` the local date, marked in the grid; `capped` when not every agreement fitted. */
export function monthView(month: string, entries: MonthEntry[], today: string, capped: boolean): Html {
  const first = `${month}-01`;
  const next = addMonths(first, 1);
  const byDay = new Map<string, MonthEntry[]>();
  for (const e of entries) byDay.set(e.date, [...(byDay.get(e.date) ?? []), e]);
  const days: Html[] = [];
  // Blank cells before the 1st, so the grid's columns are Monday to Sunday.
  for (let i = 1; i < isoWeekday(first); i++) days.push(html`<li class="pad" aria-hidden="true"></li>`);
  for (let d = first; d < next; d = addDays(d, 1)) {
    const own = byDay.get(d) ?? [];
    const classes = ['day', isoWeekday(d) >= 6 ? 'weekend' : '', d === today ? 'today' : '', own.length ? '' : 'empty']
      .filter(Boolean)
      .join(' ');
    days.push(html`<li class="${classes}"${d === today ? html` aria-current="date"` : ''}>
<span class="day-date"><span class="visually-hidden">${formatDate(d)}</span><span aria-hidden="true">
<span class="day-name">${dayName(d)}, </span>${Number(d.slice(8))}</span></span>
${own.length ? html`<ul>${own.map(entryLine)}</ul>` : ''}</li>`);
  }
  // And after the last day, so the grid's last week is whole.
  const last = addDays(next, -1);
  for (let i = isoWeekday(last); i < 7; i++) days.push(html`<li class="pad" aria-hidden="true"></li>`);
  const prev = addMonths(first, -1).slice(0, 7);
  const after = next.slice(0, 7);
  const header = ['Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab', 'Min'].map(
    (n) => html`<li aria-hidden="true" class="weekday">${n}</li>`,
  );
  return html`<section aria-labelledby="bulan-judul"><h2 id="bulan-judul">${formatMonth(month)}</h2>
<p class="month-nav">
<a href="/kalender?bulan=${prev}">← ${formatMonth(prev)}</a>
<a href="/kalender?bulan=${after}">${formatMonth(after)} →</a></p>
${entries.length ? '' : html`<p>Tidak ada pertemuan, penandatanganan, atau batas tindak lanjut pada bulan ini.</p>`}
${
  capped
    ? html`<p class="hint">Hanya sebagian kesepakatan yang ditampilkan; saring per pihak di daftar kesepakatan
untuk selebihnya.</p>`
    : ''
}
<ol class="month">${header}${days}</ol></section>`;
}
