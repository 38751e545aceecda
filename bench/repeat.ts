// Machines of the same kind disagree from run to run: each figure is the median of several runs, with the spread.
import type { Row } from './event-store.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Runs `run` `times` times and answers each benchmark's median figure, baseline and ratio, naming every run's ratio. */
export async function medianOf(times: number, run: (round: number) => Promise<Row | Row[]>): Promise<Row[]> {
  const runs: Row[][] = [];
  for (let i = 0; i < times; i++) {
    const result = await run(i);
    runs.push(Array.isArray(result) ? result : [result]);
  }
  if (times === 1) return runs[0]!;
  return runs[0]!.map((first) => {
    const same = runs.map((r) => r.find((x) => x.benchmark === first.benchmark)!);
    const ratios = same.map((r) => r.ratio);
    const mid = same.find((r) => r.ratio === median(ratios)) ?? same[0]!;
    return {
      ...mid,
      figure: +median(same.map((r) => r.figure)).toFixed(2),
      baseline: +median(same.map((r) => r.baseline)).toFixed(2),
      ratio: +median(ratios).toFixed(2),
      note: [
        mid.note,
        `median of ${times}; ratios ${ratios.join(', ')}; figures ${same.map((r) => r.figure).join(', ')}`,
      ]
        .filter(Boolean)
        .join('; '),
    };
  });
}
