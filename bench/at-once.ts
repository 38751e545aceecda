// The benchmarks' load shape: `count` jobs with `inFlight` running at once, the next starting as one ends.
import pLimit from 'p-limit';

export async function atOnce(count: number, inFlight: number, job: (i: number) => Promise<unknown>): Promise<void> {
  const limit = pLimit(inFlight);
  await Promise.all(Array.from({ length: count }, (_, i) => limit(() => job(i))));
}
