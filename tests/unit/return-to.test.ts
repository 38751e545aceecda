import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../api/web/return-to.js';

describe('the page to return to after signing in', () => {
  it('takes a path on this site, with its query', () => {
    expect(safeReturnPath('/kesepakatan/klaten-mou?ok=1')).toBe('/kesepakatan/klaten-mou?ok=1');
    expect(safeReturnPath('/tenggat')).toBe('/tenggat');
  });
  it('refuses anything that could leave the site, and the sign-in pages', () => {
    for (const bad of [
      '//evil.test/x',
      '/\\evil.test',
      'https://evil.test/',
      'kesepakatan',
      '/masuk',
      '/masuk?x',
      '/keluar',
      '/a b',
      '',
      42,
      undefined,
    ]) {
      expect(safeReturnPath(bad), String(bad)).toBeUndefined();
    }
  });
});
