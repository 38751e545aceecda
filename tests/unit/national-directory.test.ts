// The national directory bench:national builds: the country's counts, names a person would recognise, and the
// same country from the same seed.
import { describe, expect, it } from 'vitest';
import { NATIONAL, nationalDirectory } from '../../bench/national/directory.js';

describe('the national directory', () => {
  const parties = nationalDirectory();
  const ofKind = (kind: string) => parties.filter((p) => p.kind === kind);

  it('has 33 Kanwil, 700 UPT under them, 550 Pemda with 30 OPD each, three contacts apiece', () => {
    expect(ofKind('kanwil')).toHaveLength(33);
    expect(ofKind('upt')).toHaveLength(700);
    expect(ofKind('pemda')).toHaveLength(550);
    expect(ofKind('opd')).toHaveLength(550 * NATIONAL.opdEach);
    const ids = new Set(parties.map((p) => p.id));
    expect(ids.size).toBe(parties.length);
    for (const upt of ofKind('upt')) expect(ids.has(upt.parentId!) && upt.parentId!.startsWith('kanwil-')).toBe(true);
    for (const opd of ofKind('opd')) expect(opd.parentId).toMatch(/^pemda-/);
    const emails = parties.flatMap((p) => p.contacts.map((c) => c.email));
    expect(emails).toHaveLength(parties.length * 3);
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('spans the three time zones and reads as Indonesian names', () => {
    expect(new Set(parties.map((p) => p.timeZone))).toEqual(
      new Set(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']),
    );
    expect(ofKind('kanwil')[0]!.name).toBe('Kantor Wilayah Ditjenpas Aceh');
    for (const p of parties.slice(0, 2000)) {
      expect(p.name).not.toMatch(/undefined|\d/);
      for (const c of p.contacts) expect(c.name).toMatch(/^[A-Z][A-Za-z.,' ]+$/);
    }
    expect(ofKind('pemda').some((p) => p.name.startsWith('Pemerintah Kota '))).toBe(true);
  });

  it('is the same country from the same seed, and another from another', () => {
    expect(nationalDirectory()).toEqual(parties);
    expect(nationalDirectory(1)[100]!.name).not.toBe(parties[100]!.name);
  });
});
