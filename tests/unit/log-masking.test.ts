// Link secrets and feed tokens never reach the request log (security review, 5): the log is read back here.
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createLogger, maskUrl } from '../../config/logger.js';

describe('the request log', () => {
  it('masks the token of an e-mail link and the feed token of a calendar URL', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger('info', 'test', sink);
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const app = await buildApp({ db: {} as never, temporal, log, linkSecret: 'k'.repeat(40) });
    await app.inject({ method: 'GET', url: '/tautan/RAHASIA-TAUTAN.tanda' });
    await app.inject({ method: 'GET', url: '/v1/parties/pemkab/calendar.ics?x=1&feed=cal_RAHASIA-UMPAN' });
    await app.close();
    const text = lines.join('');
    expect(text).toContain('"url":"/tautan/[disembunyikan]"');
    expect(text).toContain('"url":"/v1/parties/pemkab/calendar.ics?x=1&feed=[disembunyikan]"');
    expect(text).not.toContain('RAHASIA');
  });

  it('leaves other URLs as they are', () => {
    expect(maskUrl('/v1/agreements?stage=active&partyId=feed')).toBe('/v1/agreements?stage=active&partyId=feed');
    expect(maskUrl('/tautan/a.b?c=1')).toBe('/tautan/[disembunyikan]?c=1');
  });
});
