// The document pool's thread entry when Sinergi runs from source (tsx, vitest): it loads the TypeScript tasks
// through tsx's own API. The built image runs the compiled tasks.js directly and never loads this file.
import { register } from 'tsx/esm/api';

register();
const tasks = await import('./tasks.ts');
export const { extract, compare, verify } = tasks;
