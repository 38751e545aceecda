// Whether a certificate names the directory's contact: the words of the certificate's name among the
// directory's, titles and degrees aside, and the e-mail and NIK where both hold one.
import { describe, expect, it } from 'vitest';
import { signerMismatch, words } from '../../domain/signers.js';

const kalapas = { name: 'Dr. H. Rudy Gunawan, S.H., M.H.', email: 'Kalapas@Lapas-Garut.test', nik: '3205010101800001' };

describe('signer', () => {
  it('reads a name without titles, degrees, punctuation or accents', () => {
    expect(words('Dr. H. Rudy Gunawan, S.H., M.H.')).toEqual(['RUDY', 'GUNAWAN']);
    expect(words('Hj. Siti Rahayu, S.Sos., M.Si.')).toEqual(['SITI', 'RAHAYU']);
    expect(words('Désy Anggraeni')).toEqual(['DESY', 'ANGGRAENI']);
  });

  it('matches the name as the certificate writes it, with the e-mail and NIK where both hold one', () => {
    const holder = {
      commonName: 'RUDY GUNAWAN',
      emails: ['kalapas@lapas-garut.test'],
      serialNumber: 'NIK:3205010101800001',
    };
    expect(signerMismatch(holder, kalapas)).toBeUndefined();
    expect(signerMismatch({ commonName: 'Rudy Gunawan', emails: [] }, kalapas)).toBeUndefined();
  });

  it('refuses another name, one word of a longer name, another e-mail, another NIK', () => {
    expect(signerMismatch({ commonName: 'Budi Santoso', emails: [] }, kalapas)).toBe('name');
    expect(signerMismatch({ commonName: 'Rudy', emails: [] }, kalapas)).toBe('name');
    expect(signerMismatch({ commonName: 'Rudy Gunawan', emails: ['rudy@rumah.test'] }, kalapas)).toBe('email');
    expect(signerMismatch({ commonName: 'Rudy Gunawan', emails: [], serialNumber: '3205019999990001' }, kalapas)).toBe(
      'nik',
    );
  });

  it('matches a mononym whole', () => {
    expect(
      signerMismatch({ commonName: 'SUKARNO', emails: [] }, { name: 'Sukarno', email: 's@x.test' }),
    ).toBeUndefined();
  });
});
