// Whether a certificate names the person whose turn it is to sign. Certificates carry the name as registered
// (often in capitals, without titles); the directory carries it as people write it ("Dr. H. Rudy Gunawan, S.H.,
// M.H."). Every word of the certificate's name must be one of the directory's, titles and degrees aside; an
// e-mail or NIK the directory holds must match the certificate's too.

/** What a signing certificate says about its holder. */
export interface CertificateHolder {
  commonName: string;
  emails: string[];
  /** The subject's serialNumber: for Indonesian certificates usually the NIK, sometimes prefixed (`NIK:…`). */
  serialNumber?: string;
}

/** The directory's contact whose step it is. */
export interface ExpectedSigner {
  name: string;
  email: string;
  nik?: string;
}

export type SignerMismatch = 'name' | 'email' | 'nik';

// Honorifics and degrees written around Indonesian names, in the form words() leaves them.
const TITLES = new Set([
  'DR',
  'DRS',
  'DRA',
  'IR',
  'H',
  'HJ',
  'PROF',
  'SH',
  'MH',
  'MM',
  'SE',
  'ME',
  'MSI',
  'SSOS',
  'SIP',
  'SPD',
  'MPD',
  'ST',
  'MT',
  'SKOM',
  'MKOM',
  'SAP',
  'MAP',
  'SKM',
  'MKES',
  'AMD',
  'SSTP',
  'MSC',
  'MA',
  'PHD',
  'SHI',
  'LLM',
  'SPSI',
  'MPSI',
  'SAG',
  'MAG',
  'SHUT',
  'SSI',
  'SIKOM',
  'SPT',
  'MP',
  'BSC',
  'MBA',
  'MPA',
  'APT',
  'SFARM',
  'SKED',
  'SAB',
  'MAB',
]);

/** A name's words: letters only, capitals, accents dropped, "S.H." and "S.Sos" each one word. */
export function words(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .split(/[\s,]+/)
    .map((w) => w.replace(/[^A-Z]/g, ''))
    .filter((w) => w !== '' && !TITLES.has(w));
}

const digits = (s: string) => s.replace(/\D/g, '');

/** The first way the certificate fails to name the expected signer, or undefined when it names them. */
export function signerMismatch(holder: CertificateHolder, expected: ExpectedSigner): SignerMismatch | undefined {
  const certificate = words(holder.commonName);
  const directory = new Set(words(expected.name));
  // One word of a longer name would name too many people: a mononym is matched whole.
  const enough = certificate.length >= Math.min(2, directory.size);
  if (!enough || !certificate.every((w) => directory.has(w))) return 'name';
  const emails = holder.emails.map((e) => e.trim().toLowerCase());
  if (emails.length > 0 && !emails.includes(expected.email.trim().toLowerCase())) return 'email';
  if (expected.nik && holder.serialNumber && digits(holder.serialNumber) !== digits(expected.nik)) return 'nik';
  return undefined;
}

/** Why a signed copy is refused (API.md, "Electronic signing"). */
export const SIGNATURE_REASONS = [
  'not_incremental',
  'not_signed',
  'byte_range',
  'digest',
  'untrusted',
  'expired',
  'key_usage',
  'wrong_signer',
  'out_of_order',
  'modified_after_signing',
  'wrong_document',
] as const;
export type SignatureReason = (typeof SIGNATURE_REASONS)[number];

/** What the person who uploaded is told, in their words. */
export const SIGNATURE_REFUSAL: Record<SignatureReason, string> = {
  not_incremental:
    'Berkas ini tidak diawali berkas terkini tanpa perubahan: tanda tangani berkas yang diunduh dari Sinergi ' +
    'tanpa menyimpannya ulang ("Save As") lebih dulu.',
  not_signed: 'Berkas ini tidak memuat tanda tangan elektronik baru.',
  byte_range: 'Tanda tangan ini tidak meliputi seluruh berkas; ada bagian yang tidak ikut ditandatangani.',
  digest: 'Tanda tangan ini tidak cocok dengan isi berkas: berkas berubah setelah ditandatangani.',
  untrusted: 'Sertifikat penanda tangan tidak diterbitkan oleh penyelenggara sertifikasi yang dipercaya Sinergi.',
  expired: 'Sertifikat penanda tangan tidak berlaku pada saat penandatanganan.',
  key_usage: 'Sertifikat ini tidak boleh dipakai untuk menandatangani dokumen.',
  wrong_signer: 'Tanda tangan ini bukan milik orang yang gilirannya sekarang.',
  out_of_order: 'Tanda tangan ini mendahului urutan: giliran sekarang milik orang lain.',
  modified_after_signing: 'Berkas ini mengubah isi dokumen selain menambahkan tanda tangan.',
  wrong_document: 'Berkas ini bukan dokumen kesepakatan yang sedang ditandatangani.',
};
