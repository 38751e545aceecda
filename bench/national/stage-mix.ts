// The open agreements at every stage (issue 33): of every fifty umbrellas left waiting on a follow-up, some are taken
// on to review, to a ceremony ahead and to active, and some active ones start PKS with three OPDs, each PKS left at
// another stage. Every one of them then waits on timers of its stage: review deadlines, ceremony reminders, monev and
// the end of term, a PKS's due date.
import { addDays } from '../../domain/dates.js';
import type { Answer } from '../../scripts/local/product.js';

type Call = (method: string, path: string, body?: unknown) => Promise<Answer>;

/** Where an agreement is left. */
export type OpenStage = 'exploration' | 'review' | 'ceremony' | 'active';

/** Of every fifty umbrellas: 40 stay in exploration, 4 go to review, 2 to a ceremony ahead, 4 to active, of which
 * 2 start PKS with three OPDs (left in exploration, review and ceremony). */
export function stageOf(i: number): { stage: OpenStage; pks: boolean } {
  const k = i % 50;
  if (k < 40) return { stage: 'exploration', pks: false };
  if (k < 44) return { stage: 'review', pks: false };
  if (k < 46) return { stage: 'ceremony', pks: false };
  return { stage: 'active', pks: k >= 48 };
}

export const OPDS = (prefix: string) => [1, 2, 3].map((n) => `opd-${prefix}-${n}`);

/** Three OPDs under the Pemda `pemkab-<prefix>`, for the PKS. */
export async function registerOpds(call: Call, prefix: string): Promise<void> {
  for (const id of OPDS(prefix)) {
    const r = await call('POST', '/v1/parties', {
      id,
      name: `Dinas ${id}`,
      kind: 'opd',
      parentId: `pemkab-${prefix}`,
      contacts: [
        { name: 'L', position: 'Kepala Bidang', email: `l@${id}.test`, role: 'liaison' },
        { name: 'S', position: 'Kepala Dinas', email: `s@${id}.test`, role: 'signatory' },
      ],
    });
    if (r.status >= 300) throw new Error(`${id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** Takes an agreement in exploration (started, its audiensi not yet held) on to `stage`, between these parties. */
export async function advance(
  call: Call,
  id: string,
  parties: [initiator: string, counterpart: string],
  stage: OpenStage,
  today: string,
): Promise<void> {
  if (stage === 'exploration') return;
  const step = async (path: string, body: unknown) => {
    const r = await call('POST', `/v1/agreements/${id}${path}`, body);
    if (r.status >= 300) throw new Error(`${id} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { meetings: { id: string }[] };
  };
  const [initiator, counterpart] = parties;
  const held = await step('/meetings', { kind: 'audiensi', at: `${addDays(today, -1)}T09:00:00+07:00`, venue: 'Aula' });
  await step(`/meetings/${held.meetings.at(-1)!.id}/minutes`, {
    attendees: [{ name: 'A', position: 'Kepala', partyId: initiator }],
    summary: 'Sepakat menyusun naskah.',
    outcome: 'proceed_to_drafting',
  });
  await step('/drafts', { documentUrl: `https://dokumen.test/${id}.pdf` });
  if (stage === 'review') return;
  await step('/drafts/1/reviews', { partyId: initiator, decision: 'approve' });
  await step('/drafts/1/reviews', { partyId: counterpart, decision: 'approve' });
  const signatories = [{ partyId: initiator, name: 'K', position: 'Kepala' }];
  if (stage === 'ceremony') {
    await step('/signing', { at: `${addDays(today, 21)}T09:00:00+07:00`, venue: 'Aula', signatories });
    return;
  }
  await step('/signing', { at: `${today}T08:00:00+07:00`, venue: 'Aula', signatories });
  await step('/signing/record', {
    signedAt: today,
    documentNumbers: { [initiator]: `1/${id}`, [counterpart]: `2/${id}` },
  });
}

/** An active umbrella starts PKS with the three OPDs in one step; they are left in exploration, review, ceremony. */
export async function startPks(call: Call, umbrella: string, prefix: string, today: string): Promise<number> {
  const r = await call('POST', `/v1/agreements/${umbrella}/operational-agreements/batch`, {
    opdIds: OPDS(prefix),
    title: 'PKS {opd}',
    scope: ['pelatihan kerja'],
    dueBy: addDays(today, 60),
  });
  if (r.status >= 300) throw new Error(`${umbrella} batch: ${r.status} ${JSON.stringify(r.body)}`);
  const started = (r.body as { started: { id: string; partyId: string }[] }).started;
  // Each PKS is started by its umbrella's workflow: wait until the API can read it.
  for (const pks of started) {
    const until = Date.now() + 60_000;
    while ((await call('GET', `/v1/agreements/${pks.id}`)).status === 404) {
      if (Date.now() > until) throw new Error(`${pks.id} never appeared`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  const stages: OpenStage[] = ['exploration', 'review', 'ceremony'];
  await Promise.all(
    started.map((pks, n) => advance(call, pks.id, [`lapas-${prefix}`, pks.partyId], stages[n % 3]!, today)),
  );
  return started.length;
}
