// Secrets from the environment: refused when short or written anywhere in the repository (security review, 1 and 6).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/env.js';
import { LINK_SECRET } from '../support/stack.js';

const fresh = () => randomBytes(32).toString('base64url');
const load = (extra: Record<string, string>) => () => loadConfig({ ...extra });

describe('secrets in the configuration', () => {
  it('refuses a link secret or admin token shorter than 32 bytes', () => {
    expect(load({ SINERGI_LINK_SECRET: 'x'.repeat(31) })).toThrow(/SINERGI_LINK_SECRET must be at least 32 bytes/);
    expect(load({ SINERGI_ADMIN_TOKEN: 'x'.repeat(20) })).toThrow(/SINERGI_ADMIN_TOKEN must be at least 32 bytes/);
  });

  it('refuses a secret that is written in the repository, or that compose once shipped as a default', () => {
    expect(load({ SINERGI_LINK_SECRET: LINK_SECRET })).toThrow(/tests\/support\/stack\.ts.*public/);
    expect(load({ SINERGI_LINK_SECRET: 'ganti-kunci-tautan-ini-0123456789' })).toThrow(ConfigError);
    expect(load({ SINERGI_ADMIN_TOKEN: 'ganti-token-admin-ini-0123456789' })).toThrow(ConfigError);
  });

  it('takes a fresh secret of 32 bytes or more', () => {
    const [link, admin] = [fresh(), fresh()];
    expect(loadConfig({ SINERGI_LINK_SECRET: link, SINERGI_ADMIN_TOKEN: admin })).toMatchObject({
      linkSecret: link,
      adminToken: admin,
    });
  });
});

describe('second security review: secrets, the public address and single sign-on', () => {
  it('refuses a long secret with too little variety, naming the variable (11)', () => {
    expect(load({ SINERGI_ADMIN_TOKEN: 'a'.repeat(32) })).toThrow(/SINERGI_ADMIN_TOKEN has only 1 distinct characters/);
    expect(load({ SINERGI_LINK_SECRET: 'abab'.repeat(10) })).toThrow(
      /SINERGI_LINK_SECRET has only 2 distinct characters/,
    );
  });

  it('refuses a plain-http public address in production unless told so explicitly (6)', () => {
    const production = { NODE_ENV: 'production', SINERGI_PUBLIC_URL: 'http://sinergi.example.go.id' };
    expect(load(production)).toThrow(/SINERGI_PUBLIC_URL must use https: in production/);
    expect(loadConfig({ ...production, SINERGI_ALLOW_HTTP_PUBLIC_URL: 'true' }).publicUrl).toBe(
      'http://sinergi.example.go.id',
    );
    expect(loadConfig({ NODE_ENV: 'production', SINERGI_PUBLIC_URL: 'https://sinergi.example.go.id/' }).publicUrl).toBe(
      'https://sinergi.example.go.id',
    );
    expect(loadConfig({}).publicUrl).toBe('http://localhost:8080');
  });

  it('takes an OpenID issuer over https, or plain http on loopback only, and the operators it may sign in (9)', () => {
    const sso = { SINERGI_OIDC_CLIENT_ID: 'sinergi', SINERGI_OIDC_CLIENT_SECRET: 'rahasia' };
    expect(load({ ...sso, SINERGI_OIDC_ISSUER: 'http://idp.example.go.id' })).toThrow(
      /SINERGI_OIDC_ISSUER must use https:/,
    );
    expect(loadConfig({ ...sso, SINERGI_OIDC_ISSUER: 'http://127.0.0.1:9000' }).sso?.issuer).toBe(
      'http://127.0.0.1:9000',
    );
    const config = loadConfig({
      ...sso,
      SINERGI_OIDC_ISSUER: 'https://idp.example.go.id',
      SINERGI_OIDC_OPERATORS: ' Admin@Kemenimipas.go.id ,',
    });
    expect(config.sso).toMatchObject({ issuer: 'https://idp.example.go.id', operators: ['admin@kemenimipas.go.id'] });
  });
});

describe('the worker cache setting', () => {
  it('keeps as many workflows as SINERGI_WORKFLOW_CACHE_SIZE says, and leaves the SDK default when unset', async () => {
    const { workerSettings } = await import('../../worker/settings.js');
    expect(workerSettings(loadConfig({ SINERGI_WORKFLOW_CACHE_SIZE: '250' })).maxCachedWorkflows).toBe(250);
    expect(workerSettings(loadConfig({})).maxCachedWorkflows).toBeUndefined();
    expect(() => loadConfig({ SINERGI_WORKFLOW_CACHE_SIZE: 'many' })).toThrow(/SINERGI_WORKFLOW_CACHE_SIZE/);
  });
});
