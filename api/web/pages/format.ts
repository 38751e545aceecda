// How the pages write dates, times, parties and people: in Indonesian, by name, in the initiator's zone.
import { formatDate, formatInstant, personWithParty } from '../../../domain/format.js';
import type { TimeZone } from '../../../domain/types.js';
import type { AgreementView } from '../../../domain/view.js';
import type { Party } from '../../../services/directory.js';
import { initiatorZone } from '../../../domain/deadlines.js';

export type Directory = Map<string, Party>;

export const zoneOf = (v: Pick<AgreementView, 'parties'>): TimeZone => initiatorZone(v);
export const when = (instant: string | undefined, tz: TimeZone): string => (instant ? formatInstant(instant, tz) : '—');
export const day = (date: string | undefined): string => (date ? formatDate(date) : '—');
export const partyName = (directory: Directory, id: string): string => directory.get(id)?.name ?? id;
/** "Widi (Kabag Kerja Sama, Pemerintah Kabupaten Garut)" */
export const personLine = (directory: Directory, p: { name: string; position: string; partyId: string }): string =>
  personWithParty(p, partyName(directory, p.partyId));
