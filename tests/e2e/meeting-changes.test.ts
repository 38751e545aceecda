// Invitations that stay true: a meeting moved or called off, and an agreement that ends with a meeting and a
// ceremony still ahead, reach every invitee's calendar as an update of the same entry (same UID, higher
// SEQUENCE; METHOD:REQUEST to move, METHOD:CANCEL to call off), read with ical.js from the e-mails the SMTP
// server received and from the party's feed.
import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveToSigning, registerParty } from '../support/lifecycle.js';
import { eventually, http, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let api: ReturnType<typeof http>;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-jadwal', name: 'Lapas Jadwal', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-jadwal', name: 'Pemkab Jadwal', kind: 'pemda' });
});
afterAll(async () => stack?.stop());

const parties = [
  { partyId: 'lapas-jadwal', role: 'initiator' },
  { partyId: 'pemkab-jadwal', role: 'counterpart' },
];
const inAMonth = (hour: number) =>
  new Date(Date.now() + 30 * 86_400_000 + hour * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');

interface Entry {
  method: string;
  uid: string;
  sequence: number;
  status?: string;
  start: string;
}

/** The calendar attached to each e-mail received about this agreement, in the order received. */
async function calendarMails(title: string): Promise<(Entry & { subject: string })[]> {
  const mails: ParsedMail[] = await Promise.all(stack.sink.received.map((m) => simpleParser(m.raw)));
  return mails
    .filter((m) => m.subject?.includes(title))
    .flatMap((m) => {
      const ics = m.attachments.find((a) => a.contentType.startsWith('text/calendar'));
      if (!ics) return [];
      const calendar = new ICAL.Component(ICAL.parse(ics.content.toString()));
      return [
        {
          subject: m.subject!,
          ...entry(calendar.getFirstSubcomponent('vevent')!),
          method: String(calendar.getFirstPropertyValue('method')),
        },
      ];
    });
}

function entry(e: ICAL.Component): Entry {
  const status = e.getFirstPropertyValue('status');
  return {
    method: '',
    uid: String(e.getFirstPropertyValue('uid')),
    sequence: Number(e.getFirstPropertyValue('sequence') ?? 0),
    ...(status ? { status: String(status) } : {}),
    start: (e.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
  };
}

async function feed(partyId: string): Promise<Entry[]> {
  const url = (await api('POST', `/v1/parties/${partyId}/calendar-feeds`)).body.url as string;
  const text = await (await fetch(`${stack.baseUrl}${url}`)).text();
  return new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map(entry);
}

describe('meetings moved and called off', () => {
  it('moves a meeting and then calls it off, updating the same calendar entry each time', async () => {
    const title = 'Kesepakatan Jadwal Berubah';
    await api('POST', '/v1/agreements', { id: 'jadwal', title, instrument: 'nota_kesepahaman', parties, scope: [] });
    const first = inAMonth(2);
    const meeting = (
      await api('POST', '/v1/agreements/jadwal/meetings', { kind: 'audiensi', at: first, venue: 'Setda' })
    ).body.meetings[0];
    const later = inAMonth(26);
    const moved = await api('POST', `/v1/agreements/jadwal/meetings/${meeting.id}/reschedule`, {
      at: later,
      venue: 'Aula Lapas',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.meetings[0]).toMatchObject({ at: later, venue: 'Aula Lapas', sequence: 1 });
    // Nothing to change, and an unknown meeting, are refused with their reasons.
    expect(
      (await api('POST', `/v1/agreements/jadwal/meetings/${meeting.id}/reschedule`, { venue: 'Aula Lapas' })).body.error
        .code,
    ).toBe('nothing_changed');
    expect(
      (await api('POST', '/v1/agreements/jadwal/meetings/00000000-0000-4000-8000-000000000009/cancel', { reason: 'x' }))
        .status,
    ).toBe(409);
    const cancelled = await api('POST', `/v1/agreements/jadwal/meetings/${meeting.id}/cancel`, {
      reason: 'Bupati berhalangan',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.meetings[0]).toMatchObject({ sequence: 2, cancelled: { reason: 'Bupati berhalangan' } });
    expect(
      (await api('POST', `/v1/agreements/jadwal/meetings/${meeting.id}/reschedule`, { at: first })).body.error.code,
    ).toBe('meeting_cancelled');

    const uid = `meeting-${meeting.id}@sinergi`;
    const mails = await eventually('the invitation, the move and the cancellation', async () => {
      const all = await calendarMails(title);
      return new Set(all.map((m) => m.sequence)).size === 3 && all;
    });
    const seen = [...new Map(mails.map((m) => [`${m.method}${m.sequence}`, m])).values()].sort(
      (a, b) => a.sequence - b.sequence,
    );
    expect(
      seen.map(({ method, uid: u, sequence, status, start }) => ({ method, uid: u, sequence, status, start })),
    ).toEqual([
      { method: 'REQUEST', uid, sequence: 0, status: undefined, start: new Date(first).toISOString() },
      { method: 'REQUEST', uid, sequence: 1, status: undefined, start: new Date(later).toISOString() },
      { method: 'CANCEL', uid, sequence: 2, status: 'CANCELLED', start: new Date(later).toISOString() },
    ]);
    expect(seen[2]!.subject).toMatch(/^Dibatalkan: Audiensi/);
    // The feed keeps the called-off meeting, cancelled, so a subscribed calendar drops it too.
    expect((await feed('pemkab-jadwal')).find((e) => e.uid === uid)).toMatchObject({
      sequence: 2,
      status: 'CANCELLED',
    });
  });

  it('calls off the meetings and the ceremony still ahead when the agreement ends', async () => {
    const title = 'Kesepakatan Yang Dibatalkan';
    await api('POST', '/v1/agreements', { id: 'batal', title, instrument: 'nota_kesepahaman', parties, scope: [] });
    const meeting = (
      await api('POST', '/v1/agreements/batal/meetings', {
        kind: 'coordination',
        at: inAMonth(1),
        venue: 'Ruang rapat',
      })
    ).body.meetings[0];
    await driveToSigning(api, 'batal'); // its own meeting, with minutes, moves the agreement on
    const ceremony = inAMonth(3);
    await api('POST', '/v1/agreements/batal/signing', {
      at: ceremony,
      venue: 'Pendopo',
      signatories: [{ partyId: 'lapas-jadwal', name: 'K', position: 'Kalapas' }],
    });
    const ended = await api('POST', '/v1/agreements/batal/cancel', { reason: 'Pemkab menarik diri' });
    expect(ended.status).toBe(200);
    expect(ended.body.stage).toBe('ended');
    expect(ended.body.meetings.find((m: { id: string }) => m.id === meeting.id).cancelled.reason).toMatch(/berakhir/);
    expect(ended.body.signing.cancelled.reason).toMatch(/berakhir/);
    // The meeting held earlier (driveToSigning's, with minutes) is history, not called off.
    expect(ended.body.meetings[1].minutes).toBeDefined();
    expect(ended.body.meetings[1].cancelled).toBeUndefined();

    const cancels = await eventually('the cancellations e-mailed', async () => {
      const all = (await calendarMails(title)).filter((m) => m.method === 'CANCEL');
      return (
        all.some((m) => m.uid === 'signing-batal@sinergi') &&
        all.some((m) => m.uid === `meeting-${meeting.id}@sinergi`) &&
        all
      );
    });
    const signing = cancels.find((m) => m.uid === 'signing-batal@sinergi')!;
    expect(signing).toMatchObject({ sequence: 1, status: 'CANCELLED', start: new Date(ceremony).toISOString() });
    expect(signing.subject).toBe(`Dibatalkan: penandatanganan ${title}`);
    const events = (await api('GET', '/v1/agreements/batal/events')).body.items.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(['MeetingCancelled', 'SigningCancelled']));
    // The ended agreement's feed shows only what it called off, cancelled.
    const entries = (await feed('lapas-jadwal')).filter(
      (e) => e.uid.includes('batal') || e.uid === `meeting-${meeting.id}@sinergi`,
    );
    expect(entries.map((e) => [e.uid, e.status]).sort()).toEqual([
      [`meeting-${meeting.id}@sinergi`, 'CANCELLED'],
      ['signing-batal@sinergi', 'CANCELLED'],
    ]);
  });
});
