// No fixed port of the local stack, the fault suite or the benchmarks lies in Linux's ephemeral range: a client's
// outgoing connection could hold it while its server restarts (the fault suite once died of EADDRINUSE so).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.js';
import {
  BENCH_PORTS,
  EPHEMERAL_PORTS,
  FAULT_PORTS,
  LOCAL_STACK_PORTS,
  TEMPORAL_PORT_SPAN,
} from '../../config/ports.js';

const root = new URL('../../', import.meta.url).pathname;
const ephemeral = (p: number) => p >= EPHEMERAL_PORTS.first && p <= EPHEMERAL_PORTS.last;
const numbersIn = (value: unknown): number[] =>
  typeof value === 'number'
    ? [value]
    : typeof value === 'object' && value
      ? Object.values(value).flatMap(numbersIn)
      : [];

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.tools', '.git', '.data', 'histories', 'results', 'test-output'].includes(entry.name))
      continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.(ts|mjs|yml|md)$|^Dockerfile$/.test(entry.name)) yield path;
  }
}

describe('fixed ports', () => {
  it('lie outside the ephemeral range, Temporal on PostgreSQL below 32768 with its whole span', () => {
    const all = numbersIn({ LOCAL_STACK_PORTS, FAULT_PORTS, BENCH_PORTS });
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter(ephemeral)).toEqual([]);
    const bases = [FAULT_PORTS.temporalBase, BENCH_PORTS.lifecycle.temporalBase, BENCH_PORTS.scaleOut.temporalBase];
    for (const base of bases) expect(base + TEMPORAL_PORT_SPAN).toBeLessThan(EPHEMERAL_PORTS.first);
  });

  it('are the local stack defaults', () => {
    const local = loadConfig({}).local;
    expect(numbersIn(local).filter(ephemeral)).toEqual([]);
    expect(local.postgresPort).toBe(LOCAL_STACK_PORTS.postgres);
  });

  it('are written nowhere else as a number in the ephemeral range', () => {
    const found: string[] = [];
    for (const file of sources(root)) {
      if (file.endsWith('config/ports.ts')) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (!/port/i.test(line)) return;
          for (const n of line.match(/\b\d{5}\b/g) ?? [])
            if (ephemeral(Number(n))) found.push(`${relative(root, file)}:${i + 1}: ${n}`);
        });
    }
    expect(found).toEqual([]);
  });
});
