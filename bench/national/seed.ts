// The national directory and a million agreements written straight into Sinergi's read models, the way the API
// benchmarks seed theirs: per UPT and Pemda of a province an umbrella, its PKS with that Pemda's OPD, and the
// renewals of years before, at every stage; then 100,000 documents with text for the search.
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { agreementRow } from '../../activities/projections/agreements.js';
import { agreementFacts } from '../../activities/projections/overview.js';
import type { RecordedEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { STAGES, type Stage } from '../../domain/types.js';
import { toView, type AgreementView } from '../../domain/view.js';
import type { Database } from '../../schema/database.js';
import { insertAgreementRows } from '../api-reads.js';
import type { NationalParty } from './directory.js';

const BATCH = 2000;

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
    await db.insertInto('agreement_facts').values(views.map(agreementFacts)).execute();
  }
  await sql`analyze agreements, agreement_parties, agreement_facts`.execute(db);
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
