// Seed 003 over HTTP: Pemkab Tanjung Jabung Barat and Kanwil Ditjenpas Jambi sign a kesepakatan bersama,
// then operational agreements with seven OPDs run with Lapas Kelas IIB Kuala Tungkal; a monev report; renewal.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, localDate } from '../../domain/dates.js';
import { driveToActive, registerParty } from '../support/lifecycle.js';
import { eventually, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

let stack: Stack;
let api: ReturnType<typeof http>;
const OPDS = [
  ['dinas-perkebunan-peternakan', 'Dinas Perkebunan dan Peternakan', 'Pelatihan budidaya tanaman unggulan'],
  ['dinas-tph', 'Dinas Tanaman Pangan dan Hortikultura', 'Pengembangan sayuran organik'],
  ['dinas-perikanan', 'Dinas Perikanan', 'Budidaya ikan air tawar'],
  ['disdukcapil', 'Dinas Kependudukan dan Pencatatan Sipil', 'Administrasi kependudukan pasca-pembebasan'],
  ['dinas-koperasi-ukm', 'Dinas Koperasi, UKM, Perindustrian, dan Perdagangan', 'Pemasaran produk WBP'],
  ['dinas-tenaga-kerja', 'Dinas Tenaga Kerja', 'Penyaluran lowongan kerja'],
  ['dinas-kesehatan', 'Dinas Kesehatan', 'Layanan kesehatan preventif'],
] as const;

beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'kanwil-jambi', name: 'Kanwil Ditjenpas Jambi', kind: 'kanwil' });
  await registerParty(api, { id: 'pemkab-tanjabbar', name: 'Pemkab Tanjung Jabung Barat', kind: 'pemda' });
  await registerParty(api, { id: 'lapas-kuala-tungkal', name: 'Lapas Kelas IIB Kuala Tungkal', kind: 'upt' });
  for (const [id, name] of OPDS) await registerParty(api, { id, name, kind: 'opd', parentId: 'pemkab-tanjabbar' });
});
afterAll(async () => stack?.stop());

describe('seed 003: Tanjung Jabung Barat and Kanwil Ditjenpas Jambi', () => {
  const id = 'tanjabbar-kb-2025';

  it('signs the umbrella, runs seven PKS, files monev and renews', async () => {
    const created = await api('POST', '/v1/agreements', {
      id,
      title: 'Kesepakatan Bersama Pemberdayaan Warga Binaan Pemasyarakatan',
      instrument: 'kesepakatan_bersama',
      parties: [
        { partyId: 'kanwil-jambi', role: 'initiator' },
        { partyId: 'pemkab-tanjabbar', role: 'counterpart' },
        { partyId: 'lapas-kuala-tungkal', role: 'witness' },
      ],
      scope: ['pelatihan vokasi', 'dukungan pasca-pembebasan'],
    });
    expect(created.status).toBe(201);
    const signedAt = dates.workingDays(-300);
    const active = await driveToActive(api, id, signedAt);
    expect(active).toMatchObject({
      stage: 'active',
      term: { start: signedAt, end: addDays(addMonths(signedAt, 60), -1) },
    });

    // Seven operational agreements, one per OPD; the Dinas Tenaga Kerja's was due three weeks ago.
    const children: string[] = [];
    for (const [i, [partyId, name, scope]] of OPDS.entries()) {
      const dueBy = i === 5 ? dates.days(-21) : dates.days(60);
      // The story: the Kanwil signs the Kesepakatan Bersama, each OPD's PKS is carried out with the Lapas.
      const parties = [
        { partyId: 'lapas-kuala-tungkal', role: 'initiator' },
        { partyId, role: 'counterpart' },
        { partyId: 'kanwil-jambi', role: 'witness' },
      ];
      const child = await api('POST', `/v1/agreements/${id}/operational-agreements`, {
        id: `pks-${partyId}`,
        parties,
        title: `PKS ${name}`,
        scope: [scope],
        dueBy,
      });
      expect(child.status, JSON.stringify(child.body)).toBe(201);
      expect(child.body).toMatchObject({
        instrument: 'perjanjian_kerja_sama',
        parentId: id,
        stage: 'exploration',
        dueBy,
      });
      expect(child.body.parties).toEqual([
        { partyId: 'lapas-kuala-tungkal', role: 'initiator', timeZone: 'Asia/Jakarta' },
        { partyId, role: 'counterpart', timeZone: 'Asia/Jakarta' },
        { partyId: 'kanwil-jambi', role: 'witness', timeZone: 'Asia/Jakarta' },
      ]);
      children.push(child.body.id);
    }
    expect(
      (await api('GET', `/v1/agreements?instrument=perjanjian_kerja_sama&parentId=${id}&limit=50`)).body.items,
    ).toHaveLength(7);
    expect((await api('GET', `/v1/agreements?instrument=kesepakatan_bersama&parentId=${id}`)).body.items).toHaveLength(
      0,
    );
    expect(
      (
        await api('POST', `/v1/agreements/${id}/operational-agreements`, {
          id: 'pks-dinas-tph',
          partyId: 'dinas-tph',
          title: 'x',
          scope: [],
        })
      ).status,
    ).toBe(409);

    // Five sign; the Dinas Tenaga Kerja does not, and escalates to its supervisors, then to the Kanwil.
    for (const child of children.slice(0, 5))
      expect((await driveToActive(api, child, dates.workingDays(-10))).stage).toBe('active');
    const umbrella = (await api('GET', `/v1/agreements/${id}`)).body;
    expect(umbrella.children.map((c: { id: string; stage: string }) => [c.id, c.stage])).toEqual(
      children.map((c, i) => [c, i < 5 ? 'active' : 'exploration']),
    );
    const late = 'pks-dinas-tenaga-kerja';
    const escalations = await eventually('the late PKS escalates to level 1', async () => {
      const items = (await api('GET', `/v1/agreements/${late}/notifications`)).body.items.filter(
        (n: { template: string; status: string }) => n.template === 'follow_up_escalation' && n.status === 'sent',
      );
      return items.length === 1 && items;
    });
    const mails = await Promise.all(stack.sink.received.map((m) => simpleParser(m.raw)));
    const level1 = mails.find((m) => m.messageId === escalations[0].messageId)!;
    expect((Array.isArray(level1.to) ? level1.to : [level1.to!]).flatMap((a) => a.value.map((v) => v.address))).toEqual(
      ['atasan@dinas-tenaga-kerja.test'],
    );
    // Level 2 (to the head of the Lapas that carries out the PKS) waits its interval after today's level 1.
    const lateView = (await api('GET', `/v1/agreements/${late}`)).body;
    expect(lateView.followUps[0].escalations[1].on > localDate(Date.now(), 'Asia/Jakarta')).toBe(true);
    // The signed ones closed their signing follow-up and never escalated.
    const signedChild = (await api('GET', `/v1/agreements/${children[0]}`)).body;
    expect(signedChild.followUps.map((f: { status: string }) => f.status)).toEqual(['done']);

    // Monev on the umbrella, then renewal: a successor in drafting, linked to this one.
    const report = await api('POST', `/v1/agreements/${id}/reports`, {
      period: 'Semester II 2026',
      summary: 'Lima PKS ditandatangani; pelatihan budidaya berjalan.',
    });
    expect(report.body.reports).toHaveLength(1);
    const renewed = await api('POST', `/v1/agreements/${id}/renewal`, { decision: 'renew' });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ stage: 'active', renewal: { decision: 'renew' } });
    const successorId = renewed.body.renewal.successorId;
    const successor = (await api('GET', `/v1/agreements/${successorId}`)).body;
    expect(successor).toMatchObject({
      renewalOf: id,
      stage: 'drafting',
      instrument: 'kesepakatan_bersama',
      scope: umbrella.scope,
    });
    expect(successor.parties.map((p: { partyId: string }) => p.partyId)).toEqual([
      'kanwil-jambi',
      'pemkab-tanjabbar',
      'lapas-kuala-tungkal',
    ]);
    expect((await api('POST', `/v1/agreements/${id}/renewal`, { decision: 'end' })).status).toBe(409);
  });

  it('ends its operational agreements when it ends: unsigned ones cancelled, signed ones with it, each party told', async () => {
    const cancelled = await api('POST', `/v1/agreements/${id}/cancel`, { reason: 'Diakhiri bersama oleh para pihak' });
    expect(cancelled.body.stage).toBe('ended');
    const children = await eventually('children ended', async () => {
      const items = (await api('GET', `/v1/agreements?parentId=${id}&limit=20`)).body.items as {
        id: string;
        stage: string;
        endReason?: string;
        endNote?: string;
      }[];
      return items.length === 7 && items.every((c) => c.stage === 'ended') && items;
    });
    const reasons = Object.fromEntries(children.map((c) => [c.id, c.endReason]));
    expect(reasons['pks-dinas-tenaga-kerja']).toBe('cancelled');
    expect(reasons['pks-dinas-kesehatan']).toBe('cancelled');
    expect(reasons['pks-dinas-perikanan']).toBe('terminated');
    expect(children.every((c) => c.endNote?.includes(id))).toBe(true);
    const told = await eventually('each party told', async () => {
      const n = (await api('GET', '/v1/agreements/pks-dinas-perikanan/notifications')).body.items.find(
        (x: { template: string; status: string }) => x.template === 'agreement_ended' && x.status === 'sent',
      );
      return n;
    });
    expect(told.to.sort()).toEqual([
      'penghubung@dinas-perikanan.test',
      'penghubung@kanwil-jambi.test',
      'penghubung@lapas-kuala-tungkal.test',
    ]);
  });
});
