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
    expect(loadConfig({ SINERGI_LINK_SECRET: link, SINERGI_ADMIN_TOKEN: admin })).toMatchObject({ linkSecret: link, adminToken: admin });
  });
});
