// Seeds 001, 002 and 004 over HTTP against the real stack.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates.js';
import { formatInstant } from '../../domain/format.js';
import { driveToActive, driveToSigning, registerParty } from '../support/lifecycle.js';
import { postForm, sessionOf } from '../support/people.js';
import { eventually, http, startStack, type Stack } from '../support/stack.js';
import { dates, datesFrom } from '../support/test-dates.js';

let stack: Stack;
let api: ReturnType<typeof http>;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
});
afterAll(async () => stack?.stop());

const wit = datesFrom(Date.now(), 'Asia/Jayapura');

describe('seed 002: a three-party PKS in Ambon (WIT), then two PKS of the Lapas Anak', () => {
  it('signs with three parties in Ambon time', async () => {
    await registerParty(api, {
      id: 'pemkot-ambon',
      name: 'Pemerintah Kota Ambon',
      kind: 'pemda',
      timeZone: 'Asia/Jayapura',
    });
    await registerParty(api, {
      id: 'bapas-ambon',
      name: 'Bapas Kelas IIA Ambon',
      kind: 'upt',
      timeZone: 'Asia/Jayapura',
    });
    await registerParty(api, {
      id: 'kanwil-maluku',
      name: 'Kanwil Ditjen Pemasyarakatan Maluku',
      kind: 'kanwil',
      timeZone: 'Asia/Jayapura',
    });
    await registerParty(api, {
      id: 'lpka-ambon',
      name: 'Lapas Anak Ambon',
      kind: 'upt',
      parentId: 'kanwil-maluku',
      timeZone: 'Asia/Jayapura',
    });
    await registerParty(api, { id: 'lapas-luar', name: 'Lapas di luar', kind: 'upt', timeZone: 'Asia/Jayapura' });
    await registerParty(api, {
      id: 'dinas-perindag-ambon',
      name: 'Dinas Perindustrian dan Perdagangan Kota Ambon',
      kind: 'opd',
      parentId: 'pemkot-ambon',
      timeZone: 'Asia/Jayapura',
    });
    await registerParty(api, {
      id: 'dinas-koperasi-ambon',
      name: 'Dinas Koperasi dan UKM Kota Ambon',
      kind: 'opd',
      parentId: 'pemkot-ambon',
      timeZone: 'Asia/Jayapura',
    });

    const id = 'ambon-pks-2026';
    expect(
      (
        await api('POST', '/v1/agreements', {
          id,
          title: 'PKS fasilitasi warga binaan menjelang reintegrasi',
          instrument: 'perjanjian_kerja_sama',
          parties: [
            { partyId: 'pemkot-ambon', role: 'initiator' },
            { partyId: 'bapas-ambon', role: 'counterpart' },
            { partyId: 'kanwil-maluku', role: 'counterpart' },
          ],
          scope: ['pembinaan', 'pembimbingan', 'reintegrasi sosial'],
        })
      ).status,
    ).toBe(201);
    const signing = await driveToSigning(api, id, wit.at(wit.workingDays(-30)));
    const signDay = wit.workingDays(-20);
    expect(signing.drafts[0].reviews).toHaveLength(3);
    // Apel pagi at the Balai Kota, 08.00 WIT; the signing recorded at 23:30 WIT is still that day in Ambon.
    const signatories = signing.parties.map((p: { partyId: string }) => ({
      partyId: p.partyId,
      name: `Pimpinan ${p.partyId}`,
      position: 'Kepala',
    }));
    await api('POST', `/v1/agreements/${id}/signing`, {
      at: wit.at(signDay, '08:00'),
      venue: 'Balai Kota Ambon',
      signatories,
    });
    const signed = await api('POST', `/v1/agreements/${id}/signing/record`, {
      signedAt: wit.at(signDay, '23:30'),
      documentNumbers: {
        'pemkot-ambon': '180/PKS/II/2026',
        'bapas-ambon': 'W28.PAS.PAS.3-PK.01',
        'kanwil-maluku': 'W28-PK.01.02',
      },
    });
    expect(signed.body).toMatchObject({
      stage: 'active',
      term: { start: signDay, end: addDays(addMonths(signDay, 60), -1) },
    });

    const invitation = await eventually('signing invitation received', async () => {
      const n = (await api('GET', `/v1/agreements/${id}/notifications`)).body.items.find(
        (x: { template: string; status: string }) => x.template === 'signing_invitation' && x.status === 'sent',
      );
      if (!n) return undefined;
      const raw = stack.sink.received.find((m) => m.raw.toString().includes(n.messageId));
      return raw && (await simpleParser(raw.raw));
    });
    expect(invitation.text).toContain(formatInstant(wit.at(signDay, '08:00'), 'Asia/Jayapura'));
    expect(invitation.text).toContain('08.00 WIT');
    expect((invitation.to as { value: { address: string }[] }).value.map((v) => v.address).sort()).toEqual([
      'kepala@bapas-ambon.test',
      'kepala@kanwil-maluku.test',
      'kepala@pemkot-ambon.test',
      'penghubung@bapas-ambon.test',
      'penghubung@kanwil-maluku.test',
      'penghubung@pemkot-ambon.test',
    ]);

    // The Lapas Anak, a UPT under the Kanwil (not itself a party to the umbrella), signs a PKS with each of two
    // dinas of the Pemkot under this agreement.
    for (const dinas of ['dinas-perindag-ambon', 'dinas-koperasi-ambon']) {
      const pks = await api('POST', `/v1/agreements/${id}/operational-agreements`, {
        id: `lpka-${dinas}`,
        title: `PKS Lapas Anak Ambon dan ${dinas}`,
        parties: [
          { partyId: 'lpka-ambon', role: 'initiator' },
          { partyId: dinas, role: 'counterpart' },
        ],
        scope: ['pelatihan keterampilan anak binaan'],
      });
      expect(pks.status, JSON.stringify(pks.body)).toBe(201);
      expect(pks.body).toMatchObject({ parentId: id, instrument: 'perjanjian_kerja_sama' });
      expect(
        (await driveToActive(api, `lpka-${dinas}`, wit.workingDays(-10), wit.at(wit.workingDays(-10), '10:00'))).stage,
      ).toBe('active');
    }
    // A party neither of the umbrella nor under one of its parties is refused, by name.
    const outside = await api('POST', `/v1/agreements/${id}/operational-agreements`, {
      title: 'x',
      scope: [],
      parties: [
        { partyId: 'lpka-ambon', role: 'initiator' },
        { partyId: 'lapas-luar', role: 'counterpart' },
      ],
    });
    expect([outside.status, outside.body.error.field]).toEqual([400, 'parties[1].partyId']);
    const umbrella = (await api('GET', `/v1/agreements/${id}`)).body;
    expect(
      umbrella.children.map((c: { id: string; partyId: string; stage: string }) => [c.id, c.partyId, c.stage]),
    ).toEqual([
      ['lpka-dinas-perindag-ambon', 'dinas-perindag-ambon', 'active'],
      ['lpka-dinas-koperasi-ambon', 'dinas-koperasi-ambon', 'active'],
    ]);
    const coverage = (await api('GET', '/v1/reports/overview?partyId=pemkot-ambon')).body.pksCoverage;
    expect(coverage.find((u: { id: string }) => u.id === id)).toMatchObject({ started: 2, signed: 2, notSigned: [] });
    const lpka = (await api('GET', '/v1/agreements?partyId=lpka-ambon')).body.items;
    expect(lpka.map((a: { id: string }) => a.id).sort()).toEqual([
      'lpka-dinas-koperasi-ambon',
      'lpka-dinas-perindag-ambon',
    ]);
  });
});

describe('seed 001: Bapas Klaten and Pemkab Klaten with a work plan owned by 21 OPDs', () => {
  it('runs work-plan items with owners, reminders and escalation', async () => {
    await registerParty(api, { id: 'bapas-klaten', name: 'Bapas Klaten', kind: 'upt' });
    await registerParty(api, { id: 'pemkab-klaten', name: 'Pemerintah Kabupaten Klaten', kind: 'pemda' });
    const opds = Array.from({ length: 21 }, (_, i) =>
      i === 0 ? 'dinsos-klaten' : `opd-klaten-${String(i + 1).padStart(2, '0')}`,
    );
    for (const opd of opds)
      await registerParty(api, {
        id: opd,
        name: opd === 'dinsos-klaten' ? 'Dinas Sosial Kabupaten Klaten' : `OPD ${opd}`,
        kind: 'opd',
        parentId: 'pemkab-klaten',
      });

    const id = 'klaten-nota-kesepakatan';
    await api('POST', '/v1/agreements', {
      id,
      title: 'Nota Kesepakatan Sinergi dan Kolaborasi Pembimbingan Kemasyarakatan',
      instrument: 'nota_kesepakatan',
      parties: [
        { partyId: 'bapas-klaten', role: 'initiator' },
        { partyId: 'pemkab-klaten', role: 'counterpart' },
      ],
      scope: ['pembimbingan kemasyarakatan', 'restorative justice'],
    });
    await driveToActive(api, id, dates.workingDays(-45));

    // The work-plan meeting a week before the signing: one item per OPD; the Dinas Sosial offers social-work places.
    const meeting = await api('POST', `/v1/agreements/${id}/meetings`, {
      kind: 'work_plan',
      at: dates.at(dates.workingDays(-50)),
      venue: 'Ruang Rapat Setda Klaten',
    });
    const followUps = opds.map((opd, i) => ({
      title:
        opd === 'dinsos-klaten'
          ? 'Menyediakan tempat kerja sosial bagi klien restorative justice'
          : `Rencana kerja ${opd}`,
      ownerPartyId: opd,
      due: i === 0 ? dates.days(-20) : dates.days(40 + i),
      ...(i === 0 ? { late: true } : {}),
    }));
    const minutes = await api('POST', `/v1/agreements/${id}/meetings/${meeting.body.meetings.at(-1).id}/minutes`, {
      attendees: [
        { name: 'Enggelina Hukubun', position: 'Kabapas Klaten', partyId: 'bapas-klaten' },
        { name: 'Nur Tjahjono', position: 'Kabag Pemerintahan', partyId: 'pemkab-klaten' },
      ],
      summary: 'Penyusunan draf rencana kerja bersama sebagai lampiran nota kesepakatan.',
      followUps,
    });
    expect(minutes.status, JSON.stringify(minutes.body)).toBe(200);
    expect(minutes.body.followUps).toHaveLength(21);
    // Work-plan items made directly are of kind work_plan.
    const item = await api('POST', `/v1/agreements/${id}/follow-ups`, {
      title: 'Akses bantuan sosial bagi klien',
      ownerPartyId: 'dinsos-klaten',
      due: dates.days(30),
      kind: 'work_plan',
    });
    expect(item.body.followUps.at(-1)).toMatchObject({ kind: 'work_plan', ownerPartyId: 'dinsos-klaten' });
    expect(
      (
        await api('POST', `/v1/agreements/${id}/follow-ups`, {
          title: 'x',
          ownerPartyId: 'lapas-garut',
          due: dates.days(30),
        })
      ).status,
    ).toBe(400);

    // The Dinas Sosial's overdue item escalates to its own supervisors now (the Bapas follows after the interval).
    const sent = await eventually('Dinas Sosial item escalated', async () => {
      const n = (await api('GET', `/v1/agreements/${id}/notifications`)).body.items.filter(
        (x: { template: string; status: string }) => x.template === 'follow_up_escalation' && x.status === 'sent',
      );
      return n.length === 1 && n;
    });
    expect(sent.map((n: { to: string[] }) => n.to[0])).toEqual(['atasan@dinsos-klaten.test']);
    const overdue = (await api('GET', '/v1/follow-ups?overdue=true&partyId=dinsos-klaten')).body.items;
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ agreementId: id, ownerPartyId: 'dinsos-klaten', escalationLevel: 1 });
  });
});

describe('seed 001: the PKS of 21 OPD in one step', () => {
  it('starts one PKS per OPD, names those that exist, and starts nothing twice when retried', async () => {
    const id = 'klaten-nota-kesepakatan';
    const umbrella = (await api('GET', `/v1/agreements/${id}`)).body;
    expect(umbrella.stage).toBe('active');
    const opds = (await api('GET', '/v1/parties')).body.items
      .filter((p: { parentId?: string }) => p.parentId === 'pemkab-klaten')
      .map((p: { id: string }) => p.id);
    expect(opds).toHaveLength(21);
    const batch = (opdIds: string[]) =>
      api('POST', `/v1/agreements/${id}/operational-agreements/batch`, {
        opdIds,
        title: 'PKS Bapas Klaten dan {opd} tentang pembimbingan klien',
        scope: ['pembimbingan kemasyarakatan'],
        dueBy: dates.days(60),
      });
    const first = await batch(opds.slice(0, 3));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.started).toHaveLength(3);
    const all = await batch(opds);
    expect(all.body.started.map((s: { partyId: string }) => s.partyId).sort()).toEqual(opds.slice(3).sort());
    expect(all.body.existing.map((s: { partyId: string }) => s.partyId).sort()).toEqual(opds.slice(0, 3).sort());
    const again = await batch(opds);
    expect([again.body.started, again.body.existing.length]).toEqual([[], 21]);
    const view = (await api('GET', `/v1/agreements/${id}`)).body;
    expect(view.children).toHaveLength(21);
    const dinsos = view.children.find((c: { partyId: string }) => c.partyId === 'dinsos-klaten');
    expect(dinsos).toMatchObject({
      title: 'PKS Bapas Klaten dan Dinas Sosial Kabupaten Klaten tentang pembimbingan klien',
      stage: 'exploration',
    });
    const child = (await api('GET', `/v1/agreements/${dinsos.id}`)).body;
    expect(child.parties.map((p: { partyId: string; role: string }) => [p.partyId, p.role])).toEqual([
      ['bapas-klaten', 'initiator'],
      ['dinsos-klaten', 'counterpart'],
    ]);
    const started = (await api('GET', `/v1/agreements/${id}/events?limit=500`)).body.items.filter(
      (e: { type: string }) => e.type === 'OperationalAgreementStarted',
    );
    expect(started).toHaveLength(21);
    // Not an OPD, or unknown: refused by its place in the list, nothing started.
    const bad = await batch(['bapas-klaten']);
    expect([bad.status, bad.body.error.field]).toEqual([400, 'opdIds[0]']);
  });

  it('reminds every OPD that has not signed in one request, and not twice within the hour', async () => {
    const id = 'klaten-nota-kesepakatan';
    const one = (await api('GET', `/v1/agreements/${id}`)).body.children[0];
    const single = await api('POST', `/v1/agreements/${one.id}/signing/reminders`, {
      note: 'Mohon segera dijadwalkan.',
    });
    expect(single.status, JSON.stringify(single.body)).toBe(200);
    const all = await api('POST', `/v1/agreements/${id}/operational-agreements/reminders`, {});
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.reminded).toHaveLength(20);
    expect(all.body.skipped).toEqual([
      { id: one.id, partyId: one.partyId, reason: expect.stringContaining('satu jam') },
    ]);
    const events = (await api('GET', `/v1/agreements/${one.id}/events`)).body.items.filter(
      (e: { type: string }) => e.type === 'SigningReminderSent',
    );
    expect(events).toEqual([
      expect.objectContaining({
        data: { partyIds: [one.partyId], stage: 'exploration', note: 'Mohon segera dijadwalkan.' },
      }),
    ]);
    // An active umbrella itself is past signing: reminding it to sign is refused by its own rule.
    const refused = await api('POST', `/v1/agreements/${id}/signing/reminders`, {});
    expect([refused.status, refused.body.error.code]).toEqual([409, 'wrong_stage']);
  });

  it('gives a follow-up to an OPD from the dashboard form', async () => {
    const id = 'klaten-nota-kesepakatan';
    const session = await sessionOf(stack.database.db, 'admin@klaten.test', 'admin');
    const page = await stack.app.inject({ url: `/kesepakatan/${id}`, headers: { cookie: `sinergi_sesi=${session}` } });
    expect(page.body).toContain(
      '<option value="dinsos-klaten">Dinas Sosial Kabupaten Klaten (di bawah Pemerintah Kabupaten Klaten)</option>',
    );
    const sent = await postForm(stack.app, session, `/kesepakatan/${id}/aksi/follow-up`, {
      title: 'Data klien untuk bantuan sosial',
      ownerPartyId: 'dinsos-klaten',
      ownerEmail: '',
      due: dates.days(45),
      kind: 'follow_up',
    });
    expect(sent.statusCode, sent.body).toBe(303);
    const view = (await api('GET', `/v1/agreements/${id}`)).body;
    expect(view.followUps.at(-1)).toMatchObject({
      title: 'Data klien untuk bantuan sosial',
      ownerPartyId: 'dinsos-klaten',
      status: 'open',
    });

    // The minutes form takes the follow-ups agreed at the meeting, and names the meeting in words.
    const held = dates.at(dates.workingDays(-3));
    const meeting = (
      await api('POST', `/v1/agreements/${id}/meetings`, { kind: 'coordination', at: held, venue: 'Bapas Klaten' })
    ).body.meetings.at(-1);
    const form = await stack.app.inject({ url: `/kesepakatan/${id}`, headers: { cookie: `sinergi_sesi=${session}` } });
    expect(form.body).toContain(`Rapat koordinasi — ${formatInstant(held, 'Asia/Jakarta')} — Bapas Klaten`);
    const minutes = await postForm(stack.app, session, `/kesepakatan/${id}/aksi/minutes`, {
      meetingId: meeting.id,
      summary: 'Evaluasi triwulan.',
      otherAttendees: 'Nur Tjahjono; Kabag Pemerintahan',
      otherParty: 'pemkab-klaten',
      followUps: `Daftar klien triwulan berikut; ${dates.days(30)}\nLaporan penyerapan anggaran; ${dates.days(60)}`,
      followUpOwner: 'dinsos-klaten',
      outcome: '',
    });
    expect(minutes.statusCode, minutes.body).toBe(303);
    const after = (await api('GET', `/v1/agreements/${id}`)).body.followUps.slice(-2);
    expect(
      after.map((f: { title: string; ownerPartyId: string; due: string }) => [f.title, f.ownerPartyId, f.due]),
    ).toEqual([
      ['Daftar klien triwulan berikut', 'dinsos-klaten', dates.days(30)],
      ['Laporan penyerapan anggaran', 'dinsos-klaten', dates.days(60)],
    ]);

    // The Dinas Sosial signs in as itself: its follow-ups are on /tenggat, the agreement reads, read-only,
    // and it closes its own follow-up (and nobody else's, and nothing else).
    const opd = await sessionOf(stack.database.db, 'penghubung@dinsos-klaten.test');
    const asOpd = (url: string) => stack.app.inject({ url, headers: { cookie: `sinergi_sesi=${opd}` } });
    const deadlines = await asOpd('/tenggat');
    expect(deadlines.body).toContain('Daftar klien triwulan berikut');
    expect(deadlines.body).toContain(`/kesepakatan/${id}`);
    const read = await asOpd(`/kesepakatan/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain('id="form-meetings"');
    const own = after[0].id as string;
    expect(read.body).toContain(`/kesepakatan/${id}/tindak-lanjut/${own}/selesai`);
    const others = (await api('GET', `/v1/agreements/${id}`)).body.followUps.find(
      (f: { ownerPartyId: string; status: string }) => f.ownerPartyId !== 'dinsos-klaten' && f.status === 'open',
    );
    expect(read.body).not.toContain(`/tindak-lanjut/${others.id}/selesai`);
    expect(
      (await postForm(stack.app, opd, `/kesepakatan/${id}/tindak-lanjut/${others.id}/selesai`, { note: '' }))
        .statusCode,
    ).toBe(403);
    const scheduled = await postForm(stack.app, opd, `/kesepakatan/${id}/aksi/meetings`, {
      kind: 'audiensi',
      at: '2027-01-04T09:00',
      venue: 'x',
    });
    expect(scheduled.statusCode).toBe(403);
    const closed = await postForm(stack.app, opd, `/kesepakatan/${id}/tindak-lanjut/${own}/selesai`, {
      note: 'Data terkirim',
    });
    expect(closed.statusCode, closed.body).toBe(303);
    expect(
      (await api('GET', `/v1/agreements/${id}`)).body.followUps.find((f: { id: string }) => f.id === own),
    ).toMatchObject({ status: 'done', note: 'Data terkirim' });
  });
});

describe('seed 004: a Desa Binaan between Lapas Pekalongan and Kelurahan Panjang Wetan', () => {
  it('agrees cleaning first, adds scope at a next meeting, signs and runs its work plan', async () => {
    await registerParty(api, { id: 'lapas-pekalongan', name: 'Lapas Kelas IIA Pekalongan', kind: 'upt' });
    await registerParty(api, { id: 'kel-panjang-wetan', name: 'Kelurahan Panjang Wetan', kind: 'kelurahan' });
    const id = 'desa-binaan-panjang-wetan';
    await api('POST', '/v1/agreements', {
      id,
      title: 'Kerja sama Desa Binaan Kelurahan Panjang Wetan',
      instrument: 'perjanjian_kerja_sama',
      parties: [
        { partyId: 'lapas-pekalongan', role: 'initiator' },
        { partyId: 'kel-panjang-wetan', role: 'counterpart' },
      ],
      scope: [],
    });
    const attendees = [
      { name: 'Budi Purwanto', position: 'Kasi Binadik', partyId: 'lapas-pekalongan' },
      { name: 'Mugiarto', position: 'Kasubsi Bimkemaswat', partyId: 'lapas-pekalongan' },
      { name: 'Lurah Panjang Wetan', position: 'Lurah', partyId: 'kel-panjang-wetan' },
    ];
    const first = await api('POST', `/v1/agreements/${id}/meetings`, {
      kind: 'coordination',
      at: dates.at(dates.workingDays(-120), '13:00'),
      venue: 'Kantor Kelurahan Panjang Wetan',
    });
    const afterFirst = await api('POST', `/v1/agreements/${id}/meetings/${first.body.meetings[0].id}/minutes`, {
      attendees,
      summary: 'Koordinasi awal program Desa Binaan.',
      agreedScope: ['kebersihan lingkungan'],
      outcome: 'another_meeting',
    });
    expect(afterFirst.body).toMatchObject({ stage: 'exploration', scope: ['kebersihan lingkungan'] });
    const second = await api('POST', `/v1/agreements/${id}/meetings`, {
      kind: 'coordination',
      at: dates.at(dates.workingDays(-100), '13:00'),
      venue: 'Lapas Pekalongan',
    });
    const afterSecond = await api('POST', `/v1/agreements/${id}/meetings/${second.body.meetings[1].id}/minutes`, {
      attendees,
      summary: 'Menambah bentuk kerja sama.',
      agreedScope: ['pelatihan keterampilan warga', 'kegiatan sosial keagamaan'],
      outcome: 'proceed_to_drafting',
    });
    expect(afterSecond.body).toMatchObject({
      stage: 'drafting',
      scope: ['kebersihan lingkungan', 'pelatihan keterampilan warga', 'kegiatan sosial keagamaan'],
    });
    const active = await driveToActive(api, id, dates.workingDays(-80));
    expect(active.stage).toBe('active');

    const item = await api('POST', `/v1/agreements/${id}/follow-ups`, {
      title: 'Kerja bakti kebersihan lingkungan bulan pertama',
      ownerPartyId: 'lapas-pekalongan',
      due: dates.days(10),
      kind: 'work_plan',
    });
    const done = await api('POST', `/v1/agreements/${id}/follow-ups/${item.body.followUps[0].id}/complete`, {
      note: 'Dilaksanakan bersama 20 warga binaan',
    });
    expect(done.body.followUps[0]).toMatchObject({
      status: 'done',
      kind: 'work_plan',
      note: 'Dilaksanakan bersama 20 warga binaan',
    });
    const report = await api('POST', `/v1/agreements/${id}/reports`, {
      period: 'Semester I',
      summary: 'Kerja bakti berjalan setiap bulan.',
    });
    expect(report.body.reports.map((r: { period: string }) => r.period)).toEqual(['Semester I']);
  });
});
