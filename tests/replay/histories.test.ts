// Histories of real runs, replayed against the current workflow code: a change that would break a running
// agreement fails here. To change workflow code safely use patched() (see the README).
import { Worker } from '@temporalio/worker';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/stack.js';

const dir = new URL('../histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('replay of recorded histories', () => {
  it('has histories to replay', () => {
    expect(files).toEqual(expect.arrayContaining(['continued-as-new.json', 'lifecycle.json']));
  });

  for (const file of files) {
    it(`replays ${file} deterministically`, async () => {
      const history = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file)).resolves.toBeUndefined();
    });
  }
});
