// Parties and requests of seed 000 (Lapas Kelas IIA Garut and Pemkab Garut), shared by the tests.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { Party } from '../../domain/types.js';
import { dates } from './test-dates.js';

export const lapasGarut: Party = {
  id: 'lapas-garut',
  name: 'Lapas Kelas IIA Garut',
  kind: 'upt',
  timeZone: 'Asia/Jakarta',
  contacts: [
    { name: 'Afan Sulistiono', position: 'Kasi Kamtib', email: 'afan@lapasgarut.test', role: 'liaison' },
    { name: 'Asep Supriatna', position: 'Kasi Giatja', email: 'asep@lapasgarut.test', role: 'liaison' },
    { name: 'Rusdedy', position: 'Kepala Lapas', email: 'kalapas@lapasgarut.test', role: 'signatory' },
    { name: 'Rusdedy', position: 'Kepala Lapas', email: 'kalapas@lapasgarut.test', role: 'supervisor' },
  ],
};

export const pemkabGarut: Party = {
  id: 'pemkab-garut',
  name: 'Pemerintah Kabupaten Garut',
  kind: 'pemda',
  timeZone: 'Asia/Jakarta',
  contacts: [
    { name: 'Widi', position: 'Kabag Kerja Sama', email: 'widi@garutkab.test', role: 'liaison' },
    { name: 'Meisya', position: 'Kasubag Kerja Sama', email: 'meisya@garutkab.test', role: 'liaison' },
    { name: 'Bupati Garut', position: 'Bupati', email: 'bupati@garutkab.test', role: 'signatory' },
    { name: 'Sekda Garut', position: 'Sekretaris Daerah', email: 'sekda@garutkab.test', role: 'supervisor' },
  ],
};

export const garutAgreement = (id: string) => ({
  id,
  title: 'Nota Kesepahaman peningkatan pelayanan, pembinaan, dan pengembangan WBP',
  instrument: 'nota_kesepahaman',
  parties: [
    { partyId: 'lapas-garut', role: 'initiator' },
    { partyId: 'pemkab-garut', role: 'counterpart' },
  ],
  scope: ['peningkatan kualitas pelayanan pemasyarakatan', 'pelatihan keterampilan dan pemberdayaan ekonomi'],
});

// The story's dates, kept in the past as they were when it happened: the audiensi, its follow-ups, the ceremony.
export const seedDays = {
  audiensi: dates.workingDays(-200),
  followUps: [dates.workingDays(-185), dates.workingDays(-175)] as const,
  ceremony: dates.workingDays(-130),
};

export const audiensi = {
  kind: 'audiensi',
  at: dates.at(seedDays.audiensi),
  venue: 'Sekretariat Center Setda Garut',
  agenda: 'Persiapan MoU',
};

export const audiensiMinutes = {
  attendees: [
    { name: 'Afan Sulistiono', position: 'Kasi Kamtib', partyId: 'lapas-garut' },
    { name: 'Asep Supriatna', position: 'Kasi Giatja', partyId: 'lapas-garut' },
    { name: 'Widi', position: 'Kabag Kerja Sama', partyId: 'pemkab-garut' },
    { name: 'Meisya', position: 'Kasubag Kerja Sama', partyId: 'pemkab-garut' },
  ],
  summary: 'Membahas ruang lingkup kerja sama lintas sektor; Pemkab Garut mendukung penuh.',
  agreedScope: ['pembinaan sosial dan keagamaan', 'layanan kesehatan', 'dukungan reintegrasi sosial'],
  followUps: [
    // Written down long after the audiensi: marked late, as the record of a past meeting is.
    { title: 'Finalisasi draf MoU', ownerPartyId: 'lapas-garut', due: seedDays.followUps[0], late: true },
    {
      title: 'Menyiapkan langkah-langkah teknis implementasi',
      ownerPartyId: 'pemkab-garut',
      due: seedDays.followUps[1],
      late: true,
    },
  ],
  outcome: 'proceed_to_drafting',
};

export const ceremony = {
  at: dates.at(seedDays.ceremony, '10:00'),
  venue: 'Lapas Kelas IIA Garut',
  signatories: [
    { partyId: 'lapas-garut', name: 'Rusdedy', position: 'Kepala Lapas Kelas IIA Garut' },
    { partyId: 'pemkab-garut', name: 'Bupati Garut', position: 'Bupati Garut' },
  ],
  guests: [{ name: 'Agus Andrianto', position: 'Menteri Imigrasi dan Pemasyarakatan' }],
};

/** Writes parties straight into a database, for tests that run without the API's directory routes. */
export async function insertParties(db: Kysely<Database>, parties: Party[]): Promise<void> {
  for (const p of parties) {
    await db
      .insertInto('parties')
      .values({
        id: p.id,
        name: p.name,
        kind: p.kind,
        parent_id: p.parentId ?? null,
        time_zone: p.timeZone,
        contacts: JSON.stringify(p.contacts),
        updated_at: new Date(),
      })
      .execute();
  }
}
