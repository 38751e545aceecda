// Seed 000 (Lapas Kelas IIA Garut and Pemkab Garut) driven over HTTP, checked through the API and the e-mails
// the SMTP server received. Shared by the dev-server end-to-end test and the Temporal-on-PostgreSQL suite.
import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { expect } from 'vitest';
import type { ReceivedMail } from '../../scripts/local/mail-sink.js';
import { addDays, addMonths } from '../../domain/dates.js';
import { formatInstant } from '../../domain/format.js';
import { audiensi, audiensiMinutes, ceremony, garutAgreement, lapasGarut, pemkabGarut, seedDays } from './scenario.js';
import { dates } from './test-dates.js';
import { eventually, type http } from './stack.js';

function calendarOf(mail: ParsedMail) {
  const part = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  if (!part) return undefined;
  const calendar = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return {
    uid: String(vevent.getFirstPropertyValue('uid')),
    sequence: Number(vevent.getFirstPropertyValue('sequence')),
    start: (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
    method: String(calendar.getFirstPropertyValue('method')),
  };
}

export async function runSeed000(
  api: ReturnType<typeof http>,
  received: () => ReceivedMail[],
  id: string,
): Promise<void> {
  for (const party of [lapasGarut, pemkabGarut]) expect((await api('POST', '/v1/parties', party)).status).toBe(201);

  const created = await api('POST', '/v1/agreements', garutAgreement(id));
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ id, stage: 'exploration', version: 1 });
  expect((await api('POST', '/v1/agreements', garutAgreement(id))).status).toBe(409);

  // The audiensi at the Setda, and its minutes with the two follow-ups.
  const scheduled = await api('POST', `/v1/agreements/${id}/meetings`, audiensi);
  expect(scheduled.status).toBe(200);
  const meetingId: string = scheduled.body.meetings[0].id;
  const missing = await api(
    'POST',
    `/v1/agreements/${id}/meetings/6f1c1d3e-0000-4000-8000-000000000000/minutes`,
    audiensiMinutes,
  );
  expect(missing.status).toBe(409);
  expect(missing.body.error.message).toContain('tidak ada');
  const minutes = await api('POST', `/v1/agreements/${id}/meetings/${meetingId}/minutes`, audiensiMinutes);
  expect(minutes.status).toBe(200);
  expect(minutes.body.stage).toBe('drafting');
  expect(minutes.body.followUps.map((f: { title: string; status: string }) => [f.title, f.status])).toEqual([
    ['Finalisasi draf MoU', 'open'],
    ['Menyiapkan langkah-langkah teknis implementasi', 'open'],
  ]);
  expect(minutes.body.meetings[0].minutes.attendees).toHaveLength(4);

  // A draft that is changed once, then approved by both parties.
  expect(
    (
      await api('POST', `/v1/agreements/${id}/drafts`, {
        documentUrl: 'https://dokumen.garutkab.test/mou-v1.pdf',
        sha256: 'a'.repeat(64),
      })
    ).status,
  ).toBe(200);
  const changes = await api('POST', `/v1/agreements/${id}/drafts/1/reviews`, {
    partyId: 'pemkab-garut',
    decision: 'request_changes',
    comments: 'Tambahkan pasal layanan kesehatan',
  });
  expect(changes.status).toBe(200);
  const v2 = await api('POST', `/v1/agreements/${id}/drafts`, {
    documentUrl: 'https://dokumen.garutkab.test/mou-v2.pdf',
  });
  expect(v2.body.drafts.map((d: { version: number }) => d.version)).toEqual([1, 2]);
  const old = await api('POST', `/v1/agreements/${id}/drafts/1/reviews`, {
    partyId: 'lapas-garut',
    decision: 'approve',
  });
  expect(old.status).toBe(409);
  expect(old.body.error).toMatchObject({ code: 'superseded_draft' });
  expect(
    (await api('POST', `/v1/agreements/${id}/drafts/2/reviews`, { partyId: 'lapas-garut', decision: 'approve' })).body
      .stage,
  ).toBe('drafting');
  expect(
    (await api('POST', `/v1/agreements/${id}/drafts/2/reviews`, { partyId: 'pemkab-garut', decision: 'approve' })).body
      .stage,
  ).toBe('signing');

  // The ceremony at Lapas Garut, rescheduled once, then recorded.
  const early = await api('POST', `/v1/agreements/${id}/signing/record`, {
    signedAt: seedDays.ceremony,
    documentNumbers: { 'lapas-garut': 'x', 'pemkab-garut': 'y' },
  });
  expect(early.status).toBe(409);
  expect(early.body.error.code).toBe('signing_not_scheduled');
  expect((await api('POST', `/v1/agreements/${id}/signing`, ceremony)).body.signing).toMatchObject({
    at: ceremony.at,
    rescheduled: 0,
  });
  const movedAt = dates.at(seedDays.ceremony, '13:30');
  const moved = await api('POST', `/v1/agreements/${id}/signing`, { ...ceremony, at: movedAt });
  expect(moved.body.signing).toMatchObject({ at: movedAt, rescheduled: 1 });
  const signed = await api('POST', `/v1/agreements/${id}/signing/record`, {
    signedAt: dates.at(seedDays.ceremony, '13:45'),
    documentNumbers: { 'lapas-garut': 'W11.PAS.PAS.13-HH.05.02-12', 'pemkab-garut': '180/45/HUK/2026' },
  });
  expect(signed.status).toBe(200);
  expect(signed.body).toMatchObject({
    stage: 'active',
    term: { start: seedDays.ceremony, end: addDays(addMonths(seedDays.ceremony, 60), -1) },
  });
  expect(signed.body.stageHistory.map((s: { stage: string }) => s.stage)).toEqual([
    'exploration',
    'drafting',
    'signing',
    'active',
  ]);

  // A read right after the command shows it.
  const read = (await api('GET', `/v1/agreements/${id}`)).body;
  expect(read.stage).toBe('active');
  expect(read.version).toBeGreaterThanOrEqual(signed.body.version);
  const list = await api('GET', '/v1/agreements?stage=active&partyId=pemkab-garut&q=pembinaan');
  expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
  expect((await api('GET', '/v1/agreements?stage=drafting')).body.items).toEqual([]);

  // The audit trail, oldest first, with who did each step. The engine's own events (e-mails sent,
  // escalations of the two follow-ups, whose due dates were already past) arrive on their own schedule.
  const events = await eventually('every e-mail sent and recorded', async () => {
    const res = await api('GET', `/v1/agreements/${id}/events`);
    return (
      res.body.items.filter((e: { type: string }) => e.type === 'NotificationSent').length === 13 && res.body.items
    );
  });
  const engineTypes = [
    'NotificationSent',
    'FollowUpEscalated',
    'FollowUpReminderDue',
    'SigningOverdue',
    'SigningReminderDue',
  ];
  const commandTypes = events.map((e: { type: string }) => e.type).filter((t: string) => !engineTypes.includes(t));
  expect(commandTypes).toEqual([
    'AgreementStarted',
    'MeetingScheduled',
    'MinutesRecorded',
    'FollowUpOpened',
    'FollowUpOpened',
    'StageChanged',
    'DraftSubmitted',
    'DraftReviewed',
    'DraftSubmitted',
    'DraftReviewed',
    'DraftReviewed',
    'StageChanged',
    'SigningScheduled',
    'SigningRescheduled',
    'SigningRecorded',
    'StageChanged',
  ]);
  expect(events.map((e: { version: number }) => e.version)).toEqual(events.map((_: unknown, i: number) => i + 1));
  expect(events[0].actor).toMatchObject({ kind: 'token', role: 'admin' });
  // Follow-ups due months ago were overdue when recorded: level 1 once each, now; level 2 waits its interval
  // after level 1 (not the same second); no stale reminder.
  const escalations = events.filter((e: { type: string }) => e.type === 'FollowUpEscalated');
  expect(escalations.map((e: { data: { level: number } }) => e.data.level).sort()).toEqual([1, 1]);
  expect(escalations.every((e: { actor: { kind: string } }) => e.actor.kind === 'system')).toBe(true);
  expect(events.filter((e: { type: string }) => e.type === 'FollowUpReminderDue')).toEqual([]);
  // A ceremony entered after its date is not reported overdue the same day.
  expect(events.filter((e: { type: string }) => e.type === 'SigningOverdue')).toEqual([]);

  // The e-mails, as the SMTP server received them.
  const notifications = (await api('GET', `/v1/agreements/${id}/notifications`)).body.items as {
    template: string;
    status: string;
    messageId: string;
    copies?: unknown[];
  }[];
  // The Pemkab's request for changes to version 1 told the Lapas at once (changes_requested).
  expect(notifications.map((x) => x.template).sort()).toEqual([
    'changes_requested',
    'follow_up_assigned',
    'follow_up_assigned',
    'follow_up_escalation',
    'follow_up_escalation',
    'meeting_invitation',
    'review_request',
    'review_request',
    'review_request',
    'review_request',
    'signing_confirmation',
    'signing_invitation',
    'signing_rescheduled',
  ]);
  expect(notifications.every((x) => x.status === 'sent')).toBe(true);
  const mails = await Promise.all(received().map((m) => simpleParser(m.raw)));
  const byId = new Map(mails.map((m) => [m.messageId, m]));
  // An e-mail with an action reaches each reader as a copy of its own.
  expect(mails).toHaveLength(notifications.reduce((n, x) => n + (x.copies?.length ?? 1), 0));
  const mailOf = (template: string, nth = 0) =>
    byId.get(notifications.filter((x) => x.template === template)[nth]!.messageId)!;

  const invitation = mailOf('meeting_invitation');
  expect(invitation.subject).toBe(`Undangan Audiensi: ${garutAgreement(id).title}`);
  expect(invitation.text).toContain(formatInstant(audiensi.at, 'Asia/Jakarta'));
  expect(calendarOf(invitation)).toEqual({
    uid: `meeting-${meetingId}@sinergi`,
    sequence: 0,
    start: new Date(audiensi.at).toISOString(),
    method: 'REQUEST',
  });

  // One review request per party and version, each with a link acting for that party.
  const reviewRequests = notifications
    .filter((x) => x.template === 'review_request')
    .map((x) => byId.get(x.messageId)!);
  expect(
    reviewRequests
      .filter((m) => m.subject?.includes('versi 2'))
      .map((m) => (m.to as { value: { address: string }[] }).value.map((v) => v.address).sort())
      .sort(),
  ).toEqual([
    ['afan@lapasgarut.test', 'asep@lapasgarut.test'],
    ['meisya@garutkab.test', 'widi@garutkab.test'],
  ]);
  expect(reviewRequests.every((m) => /\/tautan\/[\w-]+\.[\w-]+/.test(m.text ?? ''))).toBe(true);
  const first = calendarOf(mailOf('signing_invitation'))!;
  const second = calendarOf(mailOf('signing_rescheduled'))!;
  expect(first).toEqual({
    uid: `signing-${id}@sinergi`,
    sequence: 0,
    start: new Date(ceremony.at).toISOString(),
    method: 'REQUEST',
  });
  expect(second).toEqual({ uid: first.uid, sequence: 1, start: new Date(movedAt).toISOString(), method: 'REQUEST' });
  expect(mailOf('signing_rescheduled').text).toContain(formatInstant(movedAt, 'Asia/Jakarta'));
  const confirmation = mailOf('signing_confirmation');
  expect(confirmation.text).toContain('180/45/HUK/2026');
  expect((confirmation.to as { value: { address: string }[] }).value.map((v) => v.address)).toContain(
    'bupati@garutkab.test',
  );
}
