// Histories of real runs, replayed against the current workflow code: a change that would break a running
// agreement fails here. To change workflow code safely use patched() (see the README).
import { Worker } from '@temporalio/worker';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/stack.js';

const dir = new URL('../histories/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of recorded histories', () => {
  it('has histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'continued-as-new.json',
        'lifecycle.json',
        'lifecycle-search-attributes.json',
        'lifecycle-releasable-append.json',
        'lifecycle-engine-local.json',
        'lifecycle-fire-sends.json',
      ]),
    );
  });

  it('holds both sides of the patched() example: a run from before search attributes, and one after', () => {
    const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');
    // Recorded before the change: no marker, no upsert. It still replays (below) because patched() is false there.
    expect(read('lifecycle.json')).not.toContain('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES');
    expect(read('lifecycle-search-attributes.json')).toContain('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES');
    expect(read('lifecycle-search-attributes.json')).toContain('search-attributes');
    // Appends became releasable by an operator under the `releasable-append` patch; older runs replay without it.
    expect(read('lifecycle-search-attributes.json')).not.toContain('releasable-append');
    expect(read('lifecycle-releasable-append.json')).toContain('releasable-append');
    // A run of the fault suite whose e-mails went out as local activities while SMTP was down (failed attempts,
    // a backoff timer): runs recorded so replay that way; new runs send them as activities.
    const markers = JSON.parse(read('lifecycle-engine-local.json')).events.filter(
      (e: { eventType: string }) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED',
    );
    expect(JSON.stringify(markers)).toContain(
      Buffer.from('{"id":"engine-local-activities"').toString('base64').slice(0, 40),
    );
    expect(
      markers.filter((m: { markerRecordedEventAttributes: object }) => 'failure' in m.markerRecordedEventAttributes),
    ).not.toHaveLength(0);
    // Reminders and escalations sent in the step that stores them (patch `fire-sends-mail`), one activity each.
    const sending = read('lifecycle-fire-sends.json');
    expect(sending).toContain('"appendEventsAndSend"');
    expect(sending).toContain(Buffer.from('{"id":"fire-sends-mail"').toString('base64').slice(0, 20));
    expect(read('lifecycle-releasable-append.json')).not.toContain('"appendEventsAndSend"');
  });

  for (const file of files) {
    it(`replays ${file} deterministically`, async () => {
      const history = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      await expect(
        Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file),
      ).resolves.toBeUndefined();
    });
  }
});
