// What a first draft says it is about after TENTANG: never its title again.
import { describe, expect, it } from 'vitest';
import { subjectOf } from '../../services/documents/draft/generate.js';

describe('subjectOf', () => {
  it('takes the words after "tentang" in the title', () =>
    expect(subjectOf({ title: 'Kesepakatan Bersama tentang Pembinaan Warga Binaan', scope: ['x'] })).toBe(
      'Pembinaan Warga Binaan',
    ));
  it('otherwise names the scope', () =>
    expect(
      subjectOf({
        title: 'Nota Kesepahaman Lapas Garut dan Pemkab Garut',
        scope: ['pelatihan keterampilan', 'layanan kesehatan'],
      }),
    ).toBe('kerja sama di bidang pelatihan keterampilan dan layanan kesehatan'));
  it('falls back to the title when there is nothing else', () =>
    expect(subjectOf({ title: 'Kerja sama Desa Binaan', scope: [] })).toBe('Kerja sama Desa Binaan'));
});
