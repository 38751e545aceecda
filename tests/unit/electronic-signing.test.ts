// An electronic round in the domain: begun with its order of initials and signatures, each signed copy accepted in
// turn, and the agreement signed with the last one; refused when the order, the date or the text is wrong.
import { describe, expect, it } from 'vitest';
import type { ElectronicPlan } from '../../domain/commands.js';
import type { DomainEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { given, record } from './given-when-then.js';
import { inSigning } from './fixtures.js';

const finalPdf = { documentId: 'doc-final', filename: 'kesepakatan-final.pdf', sha256: 'f'.repeat(64) };
const copy = (n: number) => ({
  documentId: `doc-${n}`,
  filename: `bertanda-tangan-${n}.pdf`,
  sha256: `${n}`.repeat(64),
});
const signature = (who: string) => ({
  subject: `C=ID, CN=${who}`,
  issuer: 'C=ID, CN=CA Uji',
  serial: '01',
  signedAt: '2026-02-06T03:00:00.000Z',
  timestamped: true,
});

const plan: ElectronicPlan & { type: 'scheduleSigning' } = {
  type: 'scheduleSigning',
  method: 'electronic',
  document: finalPdf,
  approvedVersion: 1,
  dueBy: '2026-02-20',
  steps: [
    { partyId: 'lapas-garut', email: 'rina@lapas.test', name: 'Rina Kusuma', act: 'paraf' },
    { partyId: 'lapas-garut', email: 'kalapas@lapas.test', name: 'Rudy Gunawan', act: 'sign' },
    { partyId: 'pemkab-garut', email: 'bupati@garutkab.test', name: 'Hendra Wijaya', act: 'sign' },
  ],
  documentNumbers: { 'lapas-garut': 'W11-17', 'pemkab-garut': '180/41' },
};

describe('an electronic round', () => {
  it('begins with its steps, the final PDF and the numbers, the first step a follow-up of its person', () => {
    const [started, turn] = given(...inSigning)
      .when(plan)
      .events();
    expect(started).toMatchObject({
      type: 'ElectronicSigningStarted',
      data: { dueBy: '2026-02-20', document: finalPdf, steps: plan.steps, documentNumbers: plan.documentNumbers },
    });
    expect(turn).toMatchObject({
      type: 'FollowUpOpened',
      data: { purpose: 'signing', ownerPartyId: 'lapas-garut', ownerEmail: 'rina@lapas.test', due: '2026-02-20' },
    });
  });

  it('refuses initials after a signature, a party that signs nothing, a due date past, and a second round', () => {
    const [paraf, ...signs] = plan.steps;
    given(...inSigning)
      .when({ ...plan, steps: [...signs, paraf!] })
      .thenRejected('paraf_after_sign', 'order[2].act');
    given(...inSigning)
      .when({ ...plan, steps: plan.steps.slice(0, 2) })
      .thenRejected('sign_step_missing', 'order');
    given(...inSigning)
      .when({ ...plan, dueBy: '2026-02-05' })
      .thenRejected('date_in_past', 'dueBy');
    const begun = given(...inSigning)
      .when(plan)
      .events();
    given(...inSigning, ...begun)
      .when(plan)
      .thenRejected('round_in_progress', undefined);
    // Nor a ceremony beside it, nor a signing typed in: the last verified signature signs the agreement.
    given(...inSigning, ...begun)
      .when({ type: 'scheduleSigning', at: '2026-03-02T02:00:00.000Z', venue: 'Pendopo', signatories: [] })
      .thenRejected('round_in_progress', undefined);
    given(...inSigning, ...begun)
      .when({ type: 'recordSigning', signedAt: '2026-02-10', documentNumbers: { 'pemkab-garut': '180/1' } })
      .thenRejected('electronic_round', undefined);
    // A step's follow-up closes with its signed copy, never by hand (its reminders would stop).
    const step = begun.find((e) => e.type === 'FollowUpOpened')!;
    const followUpId = step.type === 'FollowUpOpened' ? step.data.followUpId : '';
    for (const type of ['completeFollowUp', 'cancelFollowUp'] as const)
      given(...inSigning, ...begun)
        .when({ type, followUpId })
        .thenRejected('signing_step', undefined);
  });

  it('refuses a final text that differs from the approved one until the initiator confirms it', () => {
    const differs = { ...plan, textDiffers: { added: 4, removed: 1 } };
    given(...inSigning)
      .when(differs)
      .thenRejected('text_differs', 'confirmTextDiffers');
    given(...inSigning)
      .when({ ...differs, confirmTextDiffers: true })
      .thenTypes(['ElectronicSigningStarted', 'FollowUpOpened']);
  });

  it('accepts each copy in turn, refuses one out of turn, and signs the agreement with the last', () => {
    const begun = given(...inSigning)
      .when(plan)
      .events();
    const step = (n: number, who: string) => ({
      type: 'recordSignedCopy' as const,
      step: n,
      document: copy(n),
      signature: signature(who),
    });
    given(...inSigning, ...begun)
      .when(step(1, 'Rudy Gunawan'))
      .thenRejected('out_of_order', 'file');
    const first = given(...inSigning, ...begun)
      .when(step(0, 'Rina Kusuma'))
      .events();
    expect(first.map((e) => e.type)).toEqual(['SignedCopyAccepted', 'FollowUpCompleted', 'FollowUpOpened']);
    expect(first[2]).toMatchObject({ data: { ownerEmail: 'kalapas@lapas.test', purpose: 'signing' } });
    const second = given(...inSigning, ...begun, ...first)
      .when(step(1, 'Rudy Gunawan'))
      .events();
    const last = given(...inSigning, ...begun, ...first, ...second)
      .when(step(2, 'Hendra Wijaya'))
      .events();
    expect(last.map((e) => e.type)).toEqual([
      'SignedCopyAccepted',
      'SigningRecorded',
      'FollowUpCompleted',
      'StageChanged',
    ]);
    expect(last[1]).toMatchObject({
      data: {
        method: 'electronic',
        signedAt: '2026-02-06T03:00:00.000Z',
        termStart: '2026-02-06',
        documentNumbers: plan.documentNumbers,
        documents: [copy(2)],
      },
    });

    const state = fold('a1', record([...inSigning, ...begun, ...first, ...second, ...last] as DomainEvent[]));
    expect(state.stage).toBe('active');
    // Every step's follow-up closed: nobody is reminded of a signature already made.
    expect(state.followUps.filter((f) => f.purpose === 'signing').map((f) => f.status)).toEqual([
      'done',
      'done',
      'done',
    ]);
    expect(state.signing).toMatchObject({
      method: 'electronic',
      current: copy(2),
      signedAt: '2026-02-06T03:00:00.000Z',
    });
    if (state.signing?.method !== 'electronic') return;
    expect(state.signing.currentDocumentId).toBe('doc-2');
    expect(state.signing.steps.map((s) => [s.index, s.name, s.status, s.signature?.subject])).toEqual([
      [0, 'Rina Kusuma', 'done', 'C=ID, CN=Rina Kusuma'],
      [1, 'Rudy Gunawan', 'done', 'C=ID, CN=Rudy Gunawan'],
      [2, 'Hendra Wijaya', 'done', 'C=ID, CN=Hendra Wijaya'],
    ]);
    given(...inSigning, ...begun, ...first, ...second, ...last)
      .when(step(2, 'Hendra Wijaya'))
      .thenRejected('wrong_stage', undefined);
  });
});
