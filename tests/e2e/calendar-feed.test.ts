// A party's calendar feed over HTTP: its own revocable token, real iCalendar, the same UIDs as the invitations.
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../cli/tokens.js';
import { registerParty } from '../support/lifecycle.js';
import { sessionOf } from '../support/people.js';
import { eventually, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';
import { formatDate } from '../../domain/format.js';

let stack: Stack;
let api: ReturnType<typeof http>;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-cal', name: 'Lapas Kal', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-cal', name: 'Pemkab Kal', kind: 'pemda' });
  await registerParty(api, { id: 'pemkot-lain', name: 'Pemkot Lain', kind: 'pemda' });
});
afterAll(async () => stack?.stop());

const feedOf = async (url: string) => {
  const res = await fetch(`${stack.baseUrl}${url}`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('calendar feed', () => {
  it("lists the party's meetings, ceremonies and due dates with the invitations' UIDs, and can be revoked", async () => {
    await api('POST', '/v1/agreements', {
      id: 'cal',
      title: 'Kesepakatan Kalender',
      instrument: 'nota_kesepahaman',
      parties: [
        { partyId: 'lapas-cal', role: 'initiator' },
        { partyId: 'pemkab-cal', role: 'counterpart' },
      ],
      scope: [],
    });
    const meeting = (
      await api('POST', '/v1/agreements/cal/meetings', {
        kind: 'audiensi',
        at: dates.at(dates.workingDays(8)),
        venue: 'Setda',
      })
    ).body.meetings[0];
    await api('POST', '/v1/agreements/cal/follow-ups', {
      title: 'Kirim data WBP',
      ownerPartyId: 'pemkab-cal',
      due: dates.workingDays(12),
    });

    const partyToken = (await createToken(stack.database.db, { role: 'party', partyId: 'pemkab-cal' })).token;
    const created = await http(stack.baseUrl, partyToken)('POST', '/v1/parties/pemkab-cal/calendar-feeds');
    expect(created.status).toBe(201);
    expect((await http(stack.baseUrl, partyToken)('POST', '/v1/parties/lapas-cal/calendar-feeds')).status).toBe(403);

    const feed = await feedOf(created.body.url);
    expect(feed.status).toBe(200);
    expect(feed.type).toContain('text/calendar');
    const events = new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents('vevent').map((e) => ({
      uid: String(e.getFirstPropertyValue('uid')),
      start: e.getFirstPropertyValue('dtstart') as ICAL.Time,
      summary: String(e.getFirstPropertyValue('summary')),
    }));
    const invitation = await eventually('meeting invitation received', async () => {
      const mails = await Promise.all(stack.sink.received.map((m) => simpleParser(m.raw)));
      return mails.find((m) => m.subject?.startsWith('Undangan Audiensi'));
    });
    const invitationUid = String(
      new ICAL.Component(
        ICAL.parse(invitation.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString()),
      )
        .getFirstSubcomponent('vevent')!
        .getFirstPropertyValue('uid'),
    );
    const meetingEntry = events.find((e) => e.uid === `meeting-${meeting.id}@sinergi`)!;
    expect(meetingEntry.uid).toBe(invitationUid);
    expect(meetingEntry.start.toJSDate().toISOString()).toBe(new Date(dates.at(dates.workingDays(8))).toISOString());
    // The invitation and the feed are one event: the same UID, and the same title.
    const invitationSummary = String(
      new ICAL.Component(
        ICAL.parse(invitation.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString()),
      )
        .getFirstSubcomponent('vevent')!
        .getFirstPropertyValue('summary'),
    );
    expect(meetingEntry.summary).toBe('Audiensi: Kesepakatan Kalender');
    expect(invitationSummary).toBe(meetingEntry.summary);
    const due = events.find((e) => e.summary.includes('Kirim data WBP'))!;
    expect(due.start.isDate).toBe(true);
    expect(due.start.toString()).toBe(dates.workingDays(12));

    // Someone else's token, a guess, and a revoked feed are all refused.
    const other = await http(stack.baseUrl)('POST', '/v1/parties/pemkot-lain/calendar-feeds');
    expect((await feedOf(other.body.url.replace('pemkot-lain', 'pemkab-cal'))).status).toBe(401);
    expect((await feedOf('/v1/parties/pemkab-cal/calendar.ics?feed=cal_tebakan_saja_123')).status).toBe(401);
    expect(
      (await http(stack.baseUrl, partyToken)('POST', '/v1/parties/pemkab-cal/calendar-feeds/revoke')).body.revoked,
    ).toBe(1);
    expect((await feedOf(created.body.url)).status).toBe(401);
  });

  it('shows a month of meetings and due dates on /kalender, only to those who may see them', async () => {
    const meetingDay = dates.workingDays(8);
    const dueDay = dates.workingDays(12);
    const page = async (email: string, month: string) => {
      const session = await sessionOf(stack.database.db, email);
      const res = await fetch(`${stack.baseUrl}/kalender?bulan=${month}`, {
        headers: { cookie: `sinergi_sesi=${session}` },
      });
      return { status: res.status, text: await res.text() };
    };
    const inMeetingMonth = await page('penghubung@pemkab-cal.test', meetingDay.slice(0, 7));
    expect(inMeetingMonth.status).toBe(200);
    const day = (date: string) =>
      inMeetingMonth.text
        .split('<li class="day')
        .find((d) => d.includes(`<span class="visually-hidden">${formatDate(date)}</span>`)) ?? '';
    expect(day(meetingDay)).toContain('09.00 WIB Audiensi: Kesepakatan Kalender');
    expect(day(meetingDay)).toContain('href="/kesepakatan/cal"');
    const inDueMonth = await page('penghubung@pemkab-cal.test', dueDay.slice(0, 7));
    expect(inDueMonth.text).toContain('Batas tindak lanjut: Kirim data WBP');
    // Another party's calendar has none of it; a month with nothing says so.
    const other = await page('penghubung@pemkot-lain.test', meetingDay.slice(0, 7));
    expect(other.text).not.toContain('Kesepakatan Kalender');
    expect(other.text).toContain('Tidak ada pertemuan, penandatanganan, atau batas tindak lanjut pada bulan ini.');
    // A month that cannot be is refused, not guessed.
    expect((await page('penghubung@pemkab-cal.test', '2026-13')).status).toBe(400);
  });
});
