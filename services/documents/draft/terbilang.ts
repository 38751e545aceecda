// Numbers and dates written out in Indonesian words, as the opening of an agreement states them
// ("Pada hari ini Rabu tanggal dua puluh lima bulan November tahun dua ribu dua puluh enam").
import { dayName, monthName } from '../../../domain/format.js';
const ONES = [
  'nol',
  'satu',
  'dua',
  'tiga',
  'empat',
  'lima',
  'enam',
  'tujuh',
  'delapan',
  'sembilan',
  'sepuluh',
  'sebelas',
];

export function terbilang(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`terbilang: ${n} is not a whole number >= 0`);
  if (n < 12) return ONES[n]!;
  if (n < 20) return `${ONES[n - 10]} belas`;
  if (n < 100) return join(`${ONES[Math.floor(n / 10)]} puluh`, n % 10);
  if (n < 200) return join('seratus', n - 100);
  if (n < 1000) return join(`${ONES[Math.floor(n / 100)]} ratus`, n % 100);
  if (n < 2000) return join('seribu', n - 1000);
  if (n < 1_000_000) return join(`${terbilang(Math.floor(n / 1000))} ribu`, n % 1000);
  if (n < 1_000_000_000) return join(`${terbilang(Math.floor(n / 1_000_000))} juta`, n % 1_000_000);
  return join(`${terbilang(Math.floor(n / 1_000_000_000))} miliar`, n % 1_000_000_000);
}

const join = (head: string, rest: number): string => (rest === 0 ? head : `${head} ${terbilang(rest)}`);

/** A calendar date (YYYY-MM-DD) as words: its day name, and its day, month and year written out. */
export function dateInWords(date: string): { hari: string; tanggal: string; bulan: string; tahun: string } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { hari: dayName(date), tanggal: terbilang(d), bulan: monthName(m), tahun: terbilang(y) };
}

/** A term in months as an agreement states it: "5 (lima) tahun", or "18 (delapan belas) bulan". */
export function termInWords(months: number): string {
  return months % 12 === 0
    ? `${months / 12} (${terbilang(months / 12)}) tahun`
    : `${months} (${terbilang(months)}) bulan`;
}

const ORDINALS = [
  'PERTAMA',
  'KEDUA',
  'KETIGA',
  'KEEMPAT',
  'KELIMA',
  'KEENAM',
  'KETUJUH',
  'KEDELAPAN',
  'KESEMBILAN',
  'KESEPULUH',
  'KESEBELAS',
  'KEDUA BELAS',
];
/** PIHAK PERTAMA, PIHAK KEDUA, …: the n-th party (1-based). */
export const ordinal = (n: number): string => ORDINALS[n - 1] ?? `KE-${n}`;
