// /sesi names each session's browser in words, not by its User-Agent string.
import { describe, expect, it } from 'vitest';
import { browserName } from '../../api/web/pages/sessions.js';

describe('browserName', () => {
  it('names the browser, the system and the kind of device', () => {
    expect(
      browserName(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome di Linux (komputer)');
    expect(
      browserName(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari di iOS (ponsel)');
  });
  it('says so when it cannot tell', () => {
    expect(browserName('')).toBe('Peramban tidak dikenal');
    expect(browserName('test')).toBe('Peramban tidak dikenal');
  });
});
