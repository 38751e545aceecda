// Many PKS in one step: each item decided as a single start would be, all or nothing.
import { describe, expect, it } from 'vitest';
import type { StartOperationalAgreements } from '../../domain/commands.js';
import type { DomainEvent } from '../../domain/events.js';
import { MAX_PER_AGREEMENT } from '../../domain/limits.js';
import { inSigning, signingScheduled } from './fixtures.js';
import { given } from './given-when-then.js';

const active: DomainEvent[] = [
  ...inSigning,
  signingScheduled,
  {
    type: 'SigningRecorded',
    data: {
      signedAt: '2026-02-05',
      documentNumbers: { 'lapas-garut': 'W/1', 'pemkab-garut': '180/1' },
      termStart: '2026-02-05',
      termEnd: '2031-02-04',
    },
  },
  { type: 'StageChanged', data: { from: 'signing', to: 'active' } },
];
const opds = ['dinsos-garut', 'dinkes-garut', 'disnaker-garut'];
const item = (opd: string) => ({
  childId: `pks-${opd}`,
  party: { partyId: opd, timeZone: 'Asia/Jakarta' as const },
  title: `PKS ${opd}`,
  scope: ['pelatihan'],
  parties: [
    { partyId: 'lapas-garut', role: 'initiator' as const, timeZone: 'Asia/Jakarta' as const },
    { partyId: opd, role: 'counterpart' as const, timeZone: 'Asia/Jakarta' as const },
  ],
});
const batch = (ids: string[]): StartOperationalAgreements => ({
  type: 'startOperationalAgreements',
  items: ids.map(item),
  underUmbrella: ['lapas-garut', 'pemkab-garut', ...opds],
});

describe('startOperationalAgreements', () => {
  it('starts one PKS per OPD in one step', () =>
    given(...active)
      .when(batch(opds))
      .thenTypes(['OperationalAgreementStarted', 'OperationalAgreementStarted', 'OperationalAgreementStarted']));

  it('leaves out the PKS it already has: a retried batch starts none twice', () => {
    const first = given(...active)
      .when(batch(opds.slice(0, 1)))
      .events();
    const events = given(...active, ...first)
      .when(batch(opds))
      .events();
    expect(events.map((e) => e.type === 'OperationalAgreementStarted' && e.data.childId)).toEqual([
      'pks-dinkes-garut',
      'pks-disnaker-garut',
    ]);
    expect(
      given(...active, ...first, ...events)
        .when(batch(opds))
        .events(),
    ).toEqual([]);
  });

  it('refuses the whole batch naming the item an OPD outside the umbrella sits in', () =>
    given(...active)
      .when({ ...batch(opds), underUmbrella: ['lapas-garut', 'pemkab-garut', 'dinsos-garut'] })
      .thenRejected('party_outside_umbrella', 'items[1].parties[1].partyId'));

  it('refuses a batch that would take the umbrella past its PKS limit, starting none', () => {
    const many = Array.from({ length: MAX_PER_AGREEMENT.operationalAgreements + 1 }, (_, i) => `opd-${i}`);
    given(...active)
      .when({ ...batch(many), underUmbrella: ['lapas-garut', 'pemkab-garut', ...many] })
      .thenRejected('limit_reached');
  });

  it('refuses before the umbrella is signed', () =>
    given(...inSigning)
      .when(batch(opds))
      .thenRejected('wrong_stage'));
});
