// CI step: bundle the workflow code as the worker would, so a forbidden import fails the build, not the worker.
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { WORKFLOWS_PATH } from '../worker/run.js';

const out = process.argv[2];
const { code } = await bundleWorkflowCode({
  workflowsPath: WORKFLOWS_PATH,
  logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} },
});
if (out) {
  mkdirSync(new URL('.', `file://${out}`).pathname, { recursive: true });
  writeFileSync(out, code);
}
console.log(`workflow bundle ok (${(code.length / 1024).toFixed(0)} KiB)${out ? ` -> ${out}` : ''}`);
