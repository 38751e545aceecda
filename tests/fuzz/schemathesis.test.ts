// An OpenAPI fuzzer that nobody on the project wrote (Schemathesis, pinned in .tools/venv by the bootstrap) runs
// every operation of the real stack, statefully through the document's links, with a fixed seed. It passes when
// it finds no server error, no status the document does not list, and no answer that breaks its schema.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerParty } from '../support/lifecycle.js';
import { ADMIN_TOKEN, http, startStack, type Stack } from '../support/stack.js';
import { realClockEnv } from '../support/screenshot.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMATHESIS = join(root, '.tools', 'venv', 'bin', 'schemathesis');
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'response_schema_conformance',
  'content_type_conformance',
  'unsupported_method',
];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  const api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-fuzz', name: 'Lapas Fuzz', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-fuzz', name: 'Pemkab Fuzz', kind: 'pemda' });
});
afterAll(async () => stack?.stop());

function schemathesis(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      SCHEMATHESIS,
      args,
      { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 900_000, env: { ...realClockEnv(), NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe('Schemathesis against the real stack', () => {
  it('finds no server error, no undocumented status and no answer that breaks its schema', async () => {
    expect(existsSync(SCHEMATHESIS), 'the bootstrap installs schemathesis for npm test').toBe(true);
    const reports = mkdtempSync(join(tmpdir(), 'schemathesis-'));
    const { code, output } = await schemathesis([
      '--config-file',
      join(root, 'tests', 'fuzz', 'schemathesis.toml'),
      'run',
      `${stack.baseUrl}/openapi.json`,
      '--checks',
      CHECKS.join(','),
      '--seed',
      '20261125',
      '--max-examples',
      '12',
      '--workers',
      '1',
      '--generation-database',
      'none',
      '--header',
      `Authorization: Bearer ${ADMIN_TOKEN}`,
      '--report',
      'ndjson',
      '--report-dir',
      reports,
      '--no-color',
    ]);
    const summary =
      output
        .split('\n')
        .filter((l) => /^=+ .* in [\d.]+s =+$/.test(l.trim()))
        .at(-1) ?? '(no summary line)';
    const stateful = output
      .split('\n')
      .filter((l) => /Scenarios:|API Links:|generated, /.test(l))
      .map((l) => l.trim());
    console.log(`schemathesis: ${summary.replace(/=+/g, '').trim()}; ${stateful.join('; ')}`);
    expect(code, output.slice(-20_000)).toBe(0);
    // The stateful phase reached the commands through the links: some answered 200 on an agreement the run created.
    // The stateful phase went past creation: commands on an agreement the run itself created were accepted.
    const report = readdirSync(reports).find((n) => n.endsWith('.ndjson'));
    const accepted = acceptedOperations(readFileSync(join(reports, report!), 'utf8'));
    console.log(`schemathesis reached with a 2xx: ${[...accepted].sort().join(', ')}`);
    for (const op of [
      'POST /v1/agreements',
      'POST /v1/agreements/{id}/meetings',
      'POST /v1/agreements/{id}/follow-ups',
    ]) {
      expect(accepted, op).toContain(op);
    }
  }, 900_000);
});

/** `METHOD /path/{param}` of every operation that answered 2xx in a Schemathesis ndjson report. */
function acceptedOperations(ndjson: string): Set<string> {
  const found = new Set<string>();
  const template = (uri: string) =>
    new URL(uri).pathname
      .replace(/^\/v1\/agreements\/[^/]+/, '/v1/agreements/{id}')
      .replace(/^\/v1\/parties\/[^/]+/, '/v1/parties/{id}')
      .replace(/\/meetings\/[^/]+\/minutes$/, '/meetings/{meetingId}/minutes')
      .replace(/\/follow-ups\/[^/]+\/(\w+)$/, '/follow-ups/{followUpId}/$1')
      .replace(/\/drafts\/[^/]+\/reviews$/, '/drafts/{version}/reviews');
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as { request?: { method?: string; uri?: string }; response?: { status_code?: number } };
    const status = o.response?.status_code;
    if (o.request?.method && o.request.uri && status && status >= 200 && status < 300)
      found.add(`${o.request.method} ${template(o.request.uri)}`);
    Object.values(node).forEach(visit);
  };
  for (const line of ndjson.split('\n')) if (line.includes('"interactions"')) visit(JSON.parse(line));
  return found;
}
