// Seed 000 over HTTP against the real worker, Temporal dev server, PostgreSQL and SMTP server:
// Lapas Kelas IIA Garut and Pemkab Garut, from the audiensi of 6 Feb 2026 to the signing on 27 Apr 2026.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeed000 } from '../support/seed-000.js';
import { http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';
import { ceremony, garutAgreement } from '../support/scenario.js';

let stack: Stack;
let api: ReturnType<typeof http>;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
});
afterAll(async () => stack?.stop());

describe('seed 000: Lapas Kelas IIA Garut and Pemkab Garut', () => {
  const id = 'garut-mou-2026';

  it('runs from audiensi to a recorded signing', async () => {
    await runSeed000(api, () => stack.sink.received, id);
  });

  it('refuses bad requests with a clear 4xx and records nothing', async () => {
    const before = (await api('GET', `/v1/agreements/${id}/events`)).body.items.length;
    const invalid = await api('POST', `/v1/agreements/${id}/signing`, { ...ceremony, at: '27 April 2026' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.field).toBe('at');
    const unknownField = await api('POST', `/v1/agreements/${id}/follow-ups`, {
      title: 't',
      ownerPartyId: 'lapas-garut',
      due: dates.workingDays(10),
      urgent: true,
    });
    expect(unknownField.body.error).toMatchObject({ code: 'invalid_input', field: 'urgent' });
    const impossible = await api('POST', `/v1/agreements/${id}/follow-ups`, {
      title: 't',
      ownerPartyId: 'lapas-garut',
      due: '2026-02-31',
    });
    expect(impossible.status).toBe(400);
    expect(impossible.body.error.field).toBe('due');
    const notParty = await api('POST', `/v1/agreements/${id}/follow-ups`, {
      title: 't',
      ownerPartyId: 'bapas-ambon',
      due: dates.workingDays(10),
    });
    expect(notParty.status).toBe(400);
    expect(notParty.body.error.field).toBe('ownerPartyId');
    const unknownParty = await api('POST', '/v1/agreements', {
      ...garutAgreement('other'),
      parties: [
        { partyId: 'lapas-garut', role: 'initiator' },
        { partyId: 'nope', role: 'counterpart' },
      ],
    });
    expect(unknownParty.body.error).toMatchObject({ field: 'parties[1].partyId' });
    expect((await api('GET', '/v1/agreements/other')).status).toBe(404);
    expect((await api('GET', '/v1/agreements/nope-nope')).status).toBe(404);
    expect((await http(stack.baseUrl, null)('GET', '/v1/agreements')).status).toBe(401);
    expect((await http(stack.baseUrl, 'wrong-token')('GET', '/v1/agreements')).status).toBe(401);
    expect((await api('GET', `/v1/agreements/${id}/events`)).body.items.length).toBe(before);
  });

  it('cancels with a reason and then refuses further commands', async () => {
    const cancelled = await api('POST', `/v1/agreements/${id}/cancel`, { reason: 'Uji pembatalan' });
    expect(cancelled.body).toMatchObject({ stage: 'ended', endReason: 'cancelled' });
    const after = await api('POST', `/v1/agreements/${id}/follow-ups`, {
      title: 't',
      ownerPartyId: 'lapas-garut',
      due: dates.workingDays(10),
    });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('agreement_ended');
  });

  it('serves its OpenAPI document and health', async () => {
    const spec = await api('GET', '/openapi.json');
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toContain('/v1/agreements/{id}/drafts/{version}/reviews');
    expect((await api('GET', '/readyz')).body).toEqual({ status: 'ready', postgres: 'ok', temporal: 'ok' });
  });
});
