// The national directory and a million agreements written straight into Sinergi's read models, the way the API
// benchmarks seed theirs: per UPT and Pemda of a province an umbrella, its PKS with that Pemda's OPD, and the
// renewals of years before, at every stage; then 100,000 documents with text for the search.
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import { agreementRow } from '../../activities/projections/agreements.js';
import { agreementFacts, firstMissed } from '../../activities/projections/overview.js';
import type { RecordedEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { STAGES, type Stage } from '../../domain/types.js';
import { toView, type AgreementView } from '../../domain/view.js';
import type { AgreementFactsTable, Database, FollowUpFactsTable } from '../../schema/database.js';
import { insertAgreementRows } from '../api-reads.js';
import type { NationalParty } from './directory.js';

const BATCH = 2000;
const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);

export async function seedDirectory(db: Kysely<Database>, parties: NationalParty[]): Promise<void> {
  for (let i = 0; i < parties.length; i += BATCH)
    await db
      .insertInto('parties')
      .values(
        parties.slice(i, i + BATCH).map((p) => ({
          id: p.id,
          name: p.name,
          kind: p.kind,
          parent_id: p.parentId ?? null,
          time_zone: p.timeZone,
          contacts: JSON.stringify(p.contacts),
          updated_at: new Date(),
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
}

/** The i-th agreement of the country: which parties, which stage, umbrella or PKS, and when it began. */
function agreementAt(i: number, pairs: { upt: NationalParty; pemda: NationalParty; opds: NationalParty[] }[]) {
  // Each pair has an umbrella and up to 30 PKS a round; a later round is a renewal, years on.
  const perRound = 31;
  const pair = pairs[Math.floor(i / perRound) % pairs.length]!;
  const round = Math.floor(i / (perRound * pairs.length));
  const k = i % perRound;
  const pks = k > 0;
  const umbrellaId = `nas-${String(i - k).padStart(7, '0')}`;
  const stage: Stage = round > 0 ? 'ended' : pks ? STAGES[(k * 7) % 4]! : 'active';
  return {
    id: `nas-${String(i).padStart(7, '0')}`,
    stage,
    at: new Date(Date.UTC(2017 + (round % 9), (i * 5) % 12, 1 + (i % 27), 2)).toISOString(),
    parentId: pks ? umbrellaId : undefined,
    parties: [pair.upt, pks ? pair.opds[(k - 1) % pair.opds.length]! : pair.pemda],
  };
}

const dayAfter = (day: string, days: number) =>
  new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);
const TODAY = new Date().toISOString().slice(0, 10);

/** The dates the overview reads, as a real history would leave them at the agreement's stage. */
function signedFacts(f: Insertable<AgreementFactsTable>, i: number): Insertable<AgreementFactsTable> {
  const began = new Date(f.created_at as string).toISOString().slice(0, 10);
  const reached = STAGES.indexOf(f.stage as Stage);
  const out = { ...f, first_audiensi_on: began };
  if (reached >= 1) out.draft1_on = dayAfter(began, 20 + (i % 30));
  if (reached >= 2) out.approved_on = dayAfter(began, 70 + (i % 60));
  if (reached < 3) return out;
  const signed = dayAfter(began, 100 + (i % 90));
  const due = Array.from({ length: 10 }, (_, n) => dayAfter(signed, 182 * (n + 1) + 14));
  // Most reports come a week early, every seventh a fortnight late, every eleventh never.
  const received = due
    .filter((d) => d <= TODAY)
    .map((d, n) => dayAfter(d, (i + n) % 7 === 0 ? 14 : -7))
    .slice(0, i % 11 === 0 ? 1 : undefined);
  return {
    ...out,
    signed_on: signed,
    term_end: dayAfter(signed, 1826),
    report_due_on: due,
    report_received_on: received,
    first_missed_on: firstMissed(due, received),
  };
}

/** Every fifth agreement has a follow-up on its counterpart; some are late, some escalated, a tenth done. */
function followUpOf(f: Insertable<AgreementFactsTable>, i: number): Insertable<FollowUpFactsTable>[] {
  if (i % 5 !== 0 || f.stage === 'ended') return [];
  const due = dayAfter(new Date(f.created_at as string).toISOString().slice(0, 10), 60);
  const level = i % 3;
  return [
    {
      follow_up_id: randomUUID(),
      agreement_id: f.id,
      party_ids: f.party_ids as string[],
      title: 'Menyampaikan data calon peserta pelatihan',
      owner_party_id: (f.party_ids as string[])[1]!,
      status: i % 10 === 0 ? 'done' : 'open',
      due,
      overdue_on: dayAfter(due, 1),
      escalation_level: level,
      level1_on: level >= 1 ? dayAfter(due, 2) : null,
      level2_on: level >= 2 ? dayAfter(due, 7) : null,
    },
  ];
}

export async function seedAgreements(db: Kysely<Database>, parties: NationalParty[], count: number): Promise<void> {
  const byId = new Map(parties.map((p) => [p.id, p]));
  const upts = parties.filter((p) => p.kind === 'upt');
  const pemdas = parties.filter((p) => p.kind === 'pemda');
  const opdsOf = (pemda: NationalParty) => parties.filter((p) => p.parentId === pemda.id);
  const opds = new Map(pemdas.map((p) => [p.id, opdsOf(p)]));
  // The pairs of a province: each UPT with each Pemda of its Kanwil's province.
  const pairs = upts.flatMap((upt) =>
    pemdas.filter((p) => p.kanwilId === upt.kanwilId).map((pemda) => ({ upt, pemda, opds: opds.get(pemda.id)! })),
  );
  await sql`alter table agreement_facts disable trigger overview_count`.execute(db);
  await sql`alter table follow_up_facts disable trigger escalation_count`.execute(db);
  for (let start = 0; start < count; start += BATCH) {
    const views: AgreementView[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const a = agreementAt(i, pairs);
      const started = {
        type: 'AgreementStarted',
        id: `e${i}`,
        meta: { actor: { kind: 'system', id: 'bench' }, occurredAt: a.at },
        data: {
          agreementId: a.id,
          title: `${a.parentId ? 'Perjanjian Kerja Sama' : 'Nota Kesepahaman'} ${a.parties[0]!.name} dan ${a.parties[1]!.name}`,
          instrument: a.parentId ? 'perjanjian_kerja_sama' : 'nota_kesepahaman',
          scope: ['pembinaan kemandirian'],
          termMonths: 60,
          ...(a.parentId ? { parentId: a.parentId } : {}),
          policy: { reminderLeadDays: 2, level2AfterDays: 5, reviewDays: 10, reportEveryMonths: 6 },
          parties: a.parties.map((p, n) => ({
            partyId: p.id,
            role: n === 0 ? 'initiator' : 'counterpart',
            timeZone: byId.get(p.id)!.timeZone,
          })),
        },
      } as RecordedEvent;
      views.push({ ...toView(fold(a.id, [started])), stage: a.stage });
    }
    const rows = views.map(agreementRow);
    await insertAgreementRows(db, rows);
    const facts = views.map((v, n) => signedFacts(agreementFacts(v), start + n));
    await db.insertInto('agreement_facts').values(facts).execute();
    const followUps = facts.flatMap((f, n) => followUpOf(f, start + n));
    if (followUps.length) await db.insertInto('follow_up_facts').values(followUps).execute();
  }
  // A bulk load counts once at the end, as the migration does, not row by row through the trigger.
  await sql`alter table agreement_facts enable trigger overview_count`.execute(db);
  await sql`alter table follow_up_facts enable trigger escalation_count`.execute(db);
  const t = performance.now();
  await sql`select overview_counts_refresh()`.execute(db);
  console.log(`[national] the overview's kept counts over ${count.toLocaleString('en')} agreements in ${seconds(t)} s`);
  // Every table the reads use, as autovacuum would in time.
  await sql`analyze`.execute(db);
}

const WORDS = [
  'pembinaan',
  'kemandirian',
  'warga',
  'binaan',
  'pelatihan',
  'kerja',
  'kesehatan',
  'pendidikan',
  'reintegrasi',
  'sosial',
  'klien',
  'pemasyarakatan',
  'pidana',
  'layanan',
  'keterampilan',
  'pertanian',
  'perikanan',
  'usaha',
  'mikro',
  'kependudukan',
  'rehabilitasi',
  'narkotika',
  'konseling',
  'perpustakaan',
  'olahraga',
  'kebudayaan',
  'pembiayaan',
  'anggaran',
  'laporan',
  'evaluasi',
  'monitoring',
  'koordinasi',
  'pendampingan',
  'sertifikasi',
];

/** `count` kept documents with a page of text each, over the first agreements, sharing one blob. */
export async function seedDocuments(db: Kysely<Database>, count: number): Promise<void> {
  const bytes = Buffer.from('%PDF-1.7 bench');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await db
    .insertInto('blobs')
    .values({ sha256, size: bytes.length, bytes })
    .onConflict((oc) => oc.doNothing())
    .execute();
  for (let start = 0; start < count; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      // Some 400 words a page, drawn with a fixed stride so that every word is common and none is everywhere.
      const text = Array.from({ length: 400 }, (_, w) => WORDS[(i * 31 + w * 17 + ((w * w) % 7)) % WORDS.length]).join(
        ' ',
      );
      rows.push({
        id: randomUUID(),
        agreement_id: `nas-${String(i % 200_000).padStart(7, '0')}`,
        kind: i % 3 === 0 ? 'draft' : 'signed',
        filename: `dokumen-${i}.pdf`,
        content_type: 'application/pdf',
        size: bytes.length,
        sha256,
        uploaded_by: JSON.stringify({ kind: 'system', id: 'bench' }),
        text: `Pasal ${i % 40} ${text}`,
        text_note: null,
      });
    }
    await db.insertInto('documents').values(rows).execute();
  }
  await sql`analyze documents`.execute(db);
}
