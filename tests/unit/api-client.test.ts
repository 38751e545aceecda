// The scripts' API client (the fault suite, test:deploy, the benchmarks): an outage is retried with the same
// Idempotency-Key; an agreement whose run cannot take commands is an answer, so a suite fails at once and names it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiClient } from '../../scripts/local/product.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server answering each request with the next of `answers`, recording the Idempotency-Keys it saw. */
async function serve(answers: { status: number; code: string }[]) {
  const keys: string[] = [];
  server = createServer((req, res) => {
    keys.push(String(req.headers['idempotency-key']));
    const { status, code } = answers[Math.min(keys.length - 1, answers.length - 1)]!;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code } }));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { port: (server!.address() as AddressInfo).port, keys };
}

describe('apiClient', () => {
  it('retries an outage with the same key until it is answered', async () => {
    const { port, keys } = await serve([
      { status: 503, code: 'not_ready' },
      { status: 500, code: 'internal' },
      { status: 409, code: 'id_taken' },
    ]);
    const { call } = apiClient([port], 'token', Number.POSITIVE_INFINITY);
    expect(await call('POST', '/v1/agreements', {})).toMatchObject({
      status: 409,
      body: { error: { code: 'id_taken' } },
    });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('returns a 503 agreement_unavailable at once instead of retrying it until the deadline', async () => {
    const { port, keys } = await serve([{ status: 503, code: 'agreement_unavailable' }]);
    const { call } = apiClient([port], 'token', Number.POSITIVE_INFINITY);
    const answer = await call('POST', '/v1/agreements/f-053/signing', {});
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'agreement_unavailable' } } });
    expect(keys).toHaveLength(1);
  });
});
