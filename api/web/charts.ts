// Charts drawn on the server as SVG by Vega-Lite and Vega's headless view, so the page needs no script. Each
// carries a <title> and a <desc>; the page puts the same numbers in a table beside it.
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { escapeHtml as escape } from '../../domain/escape.js';

export interface ChartText {
  title: string;
  description: string;
}
type Row = Record<string, string | number>;

const CONFIG = {
  font: 'system-ui, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 12 },
  background: 'white',
};

async function render(spec: TopLevelSpec, text: ChartText, id: string): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // An image with a name and a description for screen readers; the table beside it holds the numbers.
    return svg
      .replace(/^<svg /, `<svg role="img" aria-labelledby="${id}-t ${id}-d" `)
      .replace(
        /(<svg[^>]*>)/,
        `$1<title id="${id}-t">${escape(text.title)}</title><desc id="${id}-d">${escape(text.description)}</desc>`,
      );
  } finally {
    view.finalize();
  }
}

/** Horizontal bars: a count per category, in the order given. */
export function barChart(
  id: string,
  text: ChartText,
  rows: Row[],
  category: string,
  value: string,
  labels: { category: string; value: string },
): Promise<string> {
  return render(
    {
      data: { values: rows },
      width: 360,
      height: { step: 24 },
      config: CONFIG,
      mark: { type: 'bar', color: '#1d70b8' },
      encoding: {
        y: { field: category, type: 'nominal', sort: null, title: labels.category },
        x: { field: value, type: 'quantitative', title: labels.value, axis: { tickMinStep: 1, format: 'd' } },
      },
    } as TopLevelSpec,
    text,
    id,
  );
}

/** Stacked columns per month, one colour per series. */
export function monthlyChart(
  id: string,
  text: ChartText,
  rows: { month: string; series: string; count: number }[],
  labels: { value: string },
): Promise<string> {
  return render(
    {
      data: { values: rows.length ? rows : [{ month: '—', series: '—', count: 0 }] },
      width: 420,
      height: 180,
      config: CONFIG,
      mark: 'bar',
      encoding: {
        x: { field: 'month', type: 'ordinal', title: 'Bulan' },
        y: { field: 'count', type: 'quantitative', title: labels.value, axis: { tickMinStep: 1, format: 'd' } },
        color: { field: 'series', type: 'nominal', title: null, scale: { range: ['#f47738', '#d4351c', '#1d70b8'] } },
      },
    } as TopLevelSpec,
    text,
    id,
  );
}
