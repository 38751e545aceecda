// Dates as Indonesians say them: "Senin, 27 April 2026, 10.00 WIB".
import { localDate, zoneAbbreviation, zoneOffsetHours, isoWeekday } from './dates.js';
import type { TimeZone } from './types.js';

const DAYS = ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'];
const MONTHS = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];

/** "Senin, 27 April 2026" */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${DAYS[isoWeekday(date) - 1]}, ${d} ${MONTHS[m! - 1]} ${y}`;
}

/** "Desember 2026", for "2026-12" */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${MONTHS[m! - 1]} ${y}`;
}

/** "Widi (Kabag Kerja Sama, Pemerintah Kabupaten Garut)": a person with their position and party. */
export const personWithParty = (p: { name: string; position: string }, party: string): string =>
  `${p.name} (${p.position}, ${party})`;

/** "April", for month 4 */
export const monthName = (month: number): string => MONTHS[month - 1]!;

/** "Senin" */
export const dayName = (date: string): string => DAYS[isoWeekday(date) - 1]!;

/** "10.00 WIB" */
export function formatTime(instant: string, tz: TimeZone): string {
  const local = new Date(Date.parse(instant) + zoneOffsetHours(tz) * 3_600_000);
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  return `${hh}.${mm} ${zoneAbbreviation(tz)}`;
}

/** "Senin, 27 April 2026, 10.00 WIB" */
export function formatInstant(instant: string, tz: TimeZone): string {
  return `${formatDate(localDate(instant, tz))}, ${formatTime(instant, tz)}`;
}
