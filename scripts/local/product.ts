// Sinergi's own processes, run as production runs them (`node worker/main.ts`, `node api/main.ts`), and a client
// that drives agreements through their API: shared by the fault suite and the scale-out benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { localDate } from '../../domain/dates.js';

/** Today in WIB: a signing is recorded once it happened (decide refuses a date ahead). */
const signedOn = (): string => localDate(Date.now(), 'Asia/Jakarta');

const root = new URL('../..', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts one process of the product with `env` and its own `extra` (ports); its output goes to `<logDir>/<name>.log`.
 */
export function launcher(env: NodeJS.ProcessEnv, logDir: string) {
  return (name: string, entry: 'worker/main.ts' | 'api/main.ts', extra: Record<string, string>): ChildProcess => {
    const out = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    return child;
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of our own API, read field by field
export type Answer = { status: number; body: any };

/**
 * A client of several API processes, spread as a load balancer would. A request is retried with the same
 * Idempotency-Key until it gets an answer that is not an outage (a 503 agreement_unavailable is an answer: the
 * agreement's run is broken); a refused connection moves it to the next one.
 */
export function apiClient(ports: number[], adminToken: string, deadline: number) {
  const bases = ports.map((p) => `http://127.0.0.1:${p}`);
  let next = 0;
  const counts = { movedToAnotherApi: 0 };
  async function call(method: string, path: string, body?: unknown): Promise<Answer> {
    const key = randomUUID();
    let b = next++ % bases.length;
    let failedOn: number | undefined;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`deadline passed during ${method} ${path}`);
      try {
        const res = await fetch(`${bases[b]}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${adminToken}`,
            'idempotency-key': key,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(60_000),
        });
        const json: Answer['body'] = await res.json().catch(() => undefined);
        // A run that cannot take commands is no outage: retrying would hide it until the deadline.
        if (res.status < 500 || json?.error?.code === 'agreement_unavailable') {
          if (failedOn !== undefined && failedOn !== b) counts.movedToAnotherApi++;
          return { status: res.status, body: json };
        }
      } catch {
        // Connection refused or reset: this API process is down. Try the next one.
        failedOn = b;
        b = (b + 1) % bases.length;
      }
      await sleep(500);
    }
  }
  return { call, counts };
}

/** The two parties `driveToActive` uses. */
export async function registerPartiesFor(
  call: (m: string, p: string, b?: unknown) => Promise<Answer>,
  prefix: string,
): Promise<void> {
  for (const id of [`lapas-${prefix}`, `pemkab-${prefix}`]) {
    await call('POST', '/v1/parties', {
      id,
      name: id,
      kind: 'other',
      contacts: [
        { name: 'L', position: 'P', email: `l@${id}.test`, role: 'liaison' },
        { name: 'S', position: 'P', email: `s@${id}.test`, role: 'signatory' },
      ],
    });
  }
}

/** One agreement from its start to active (8 requests); `accepted` hears of each request the API accepted. */
export async function driveToActive(
  call: (m: string, p: string, b?: unknown) => Promise<Answer>,
  prefix: string,
  id: string,
  accepted: (path: string) => void = () => {},
): Promise<void> {
  const [lapas, pemkab] = [`lapas-${prefix}`, `pemkab-${prefix}`];
  const step = async (path: string, body: unknown) => {
    const r = await call('POST', path, body);
    if (r.status >= 300) throw new Error(`${id} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    accepted(path);
    return r.body;
  };
  await step('/v1/agreements', {
    id,
    title: `Kesepakatan ${id}`,
    instrument: 'nota_kesepahaman',
    parties: [
      { partyId: lapas, role: 'initiator' },
      { partyId: pemkab, role: 'counterpart' },
    ],
    scope: [],
  });
  const m = await step(`/v1/agreements/${id}/meetings`, {
    kind: 'audiensi',
    at: '2026-12-01T09:00:00+07:00',
    venue: 'Aula',
  });
  await step(`/v1/agreements/${id}/meetings/${m.meetings[0].id}/minutes`, {
    attendees: [{ name: 'A', position: 'B', partyId: lapas }],
    summary: 'S',
    outcome: 'proceed_to_drafting',
  });
  await step(`/v1/agreements/${id}/drafts`, { documentUrl: 'https://dokumen.test/v1.pdf' });
  await step(`/v1/agreements/${id}/drafts/1/reviews`, { partyId: lapas, decision: 'approve' });
  await step(`/v1/agreements/${id}/drafts/1/reviews`, { partyId: pemkab, decision: 'approve' });
  await step(`/v1/agreements/${id}/signing`, {
    at: `${signedOn()}T08:00:00+07:00`,
    venue: 'Aula',
    signatories: [{ partyId: lapas, name: 'K', position: 'Kepala' }],
  });
  await step(`/v1/agreements/${id}/signing/record`, {
    signedAt: signedOn(),
    documentNumbers: { [lapas]: `1/${id}`, [pemkab]: `2/${id}` },
  });
}
