// The rebuild pool's thread entry when Sinergi runs from source (tsx, vitest): it loads the TypeScript task through
// tsx's own API. The built image runs the compiled task.js directly and never loads this file.
import { register } from 'tsx/esm/api';

register();
const task = await import('./task.ts');
export const { rebuild } = task;
