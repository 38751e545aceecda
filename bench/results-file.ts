// A benchmark's rows written to bench/results/ as JSON and as a Markdown table, with the machine they ran on.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Row } from './event-store.js';
import { machine } from './machine.js';

/** Writes `<prefix>-<time>.json` and `.md`, prints the table, and returns it. */
export function writeResults(prefix: string, title: string, rows: Row[], context: Record<string, string> = {}): string {
  const m = machine();
  const out = new URL('./results/', import.meta.url);
  mkdirSync(out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(new URL(`${prefix}-${stamp}.json`, out), JSON.stringify({ machine: m, ...context, rows }, null, 2));
  const table = [
    `# ${title} — ${new Date().toISOString()}`,
    '',
    `Machine: ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; PostgreSQL embedded on the same machine.`,
    ...Object.entries(context).map(([k, v]) => `${k[0]!.toUpperCase()}${k.slice(1)}: ${v}.`),
    '',
    '| benchmark | figure | baseline | ratio | unit | note |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.benchmark} | ${r.figure} | ${r.baseline} | ${r.ratio} | ${r.unit} | ${r.note ?? ''} |`),
    '',
  ].join('\n');
  writeFileSync(new URL(`${prefix}-${stamp}.md`, out), table);
  console.log(table);
  return table;
}
