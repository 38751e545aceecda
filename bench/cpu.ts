// CPU time by process on this machine, from /proc: what each part of a benchmark spent (Linux only).
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks of user and system time per process id, with its command name. */
type Snapshot = Map<number, { comm: string; ticks: number }>;

const TICKS_PER_SECOND = 100;

export function cpuSnapshot(): Snapshot {
  const snapshot: Snapshot = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces; the fields after it are space-separated.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      snapshot.set(Number(entry), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return snapshot;
}

/** CPU seconds spent between two snapshots, by the part `partOf` names for each process (processes in both). */
export function cpuSpent(
  before: Snapshot,
  after: Snapshot,
  partOf: (pid: number, comm: string) => string | undefined,
): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const [pid, { comm, ticks }] of after) {
    const was = before.get(pid);
    const part = partOf(pid, comm);
    if (!was || !part || ticks === was.ticks) continue;
    parts[part] = (parts[part] ?? 0) + (ticks - was.ticks) / TICKS_PER_SECOND;
  }
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, +v.toFixed(1)]));
}

export const describeCpu = (parts: Record<string, number>): string =>
  Object.entries(parts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v} s`)
    .join(', ');

/** The whole machine's idle, I/O-wait and stolen time (taken by the host from this VM), in clock ticks. */
type MachineSnapshot = { idle: number; iowait: number; steal: number };

export function machineSnapshot(): MachineSnapshot {
  // The first line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: fields[3]!, iowait: fields[4]!, steal: fields[7]! };
}

/** Seconds of idle, I/O wait and steal across all cores between two snapshots. */
export function describeMachine(before: MachineSnapshot, after: MachineSnapshot): string {
  const s = (k: keyof MachineSnapshot) => ((after[k] - before[k]) / TICKS_PER_SECOND).toFixed(1);
  return `idle ${s('idle')} s, I/O wait ${s('iowait')} s, stolen by the host ${s('steal')} s`;
}
