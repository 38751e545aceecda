// What the figures were measured on.
import { cpus, totalmem } from 'node:os';

export const machine = (): { cores: number; memoryGiB: number; node: string } => ({
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
});
