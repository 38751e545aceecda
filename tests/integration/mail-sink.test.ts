// The local SMTP sink keeps every message as a file; only a sink for tests also holds them in memory.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { startMailSink } from '../../scripts/local/mail-sink.js';

const root = mkdtempSync(join(tmpdir(), 'sinergi-sink-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function sendTwo(port: number): Promise<void> {
  const mailer = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  for (const n of [1, 2])
    await mailer.sendMail({ from: 'a@sinergi.test', to: 'b@garutkab.test', subject: `Pesan ${n}`, text: `isi ${n}` });
  mailer.close();
}

describe('the local SMTP sink', () => {
  it('holds the messages in memory by default, for tests to read', async () => {
    const sink = await startMailSink(join(root, 'kept'));
    await sendTwo(sink.port);
    await sink.stop();
    expect(sink.received.map((m) => m.raw.toString().includes('Subject: Pesan'))).toEqual([true, true]);
    expect(readdirSync(sink.dir)).toHaveLength(2);
  });

  it('run for long, keeps only the files', async () => {
    const sink = await startMailSink(join(root, 'files'), 0, { inMemory: false });
    await sendTwo(sink.port);
    await sink.stop();
    expect(sink.received).toEqual([]);
    const files = readdirSync(sink.dir).sort();
    expect(files.map((f) => readFileSync(join(sink.dir, f), 'utf8').includes('isi '))).toEqual([true, true]);
  });
});
