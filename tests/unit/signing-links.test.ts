// The links in an electronic round's e-mails: its person's turn and its step's reminder carry a link that signs
// (for that person alone); a plain follow-up's reminder still carries one that closes it.
import { describe, expect, it } from 'vitest';
import { renderNotification, type NotificationToStore } from '../../activities/notifications/outbox.js';
import type { DirectoryParty } from '../../activities/notifications/directory.js';
import type { DomainEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { notificationsFor } from '../../domain/notifications.js';
import { toView } from '../../domain/view.js';
import { verifyLink } from '../../infra/links.js';
import { record } from './given-when-then.js';
import { inSigning } from './fixtures.js';

const SECRET = 'rahasia-tautan-uji-0123456789abcdef';
const party = (id: string, emails: [string, string][]): DirectoryParty => ({
  id,
  name: id,
  timeZone: 'Asia/Jakarta',
  parentId: null,
  contacts: emails.map(([email, role]) => ({ name: email, position: 'Staf', email, role: role as 'liaison' })),
});
const parties = new Map([
  [
    'lapas-garut',
    party('lapas-garut', [
      ['kalapas@lapas.test', 'signatory'],
      ['kasubag@lapas.test', 'liaison'],
    ]),
  ],
  [
    'pemkab-garut',
    party('pemkab-garut', [
      ['bupati@garutkab.test', 'signatory'],
      ['kabag@garutkab.test', 'liaison'],
    ]),
  ],
]);
const begun: DomainEvent = {
  type: 'ElectronicSigningStarted',
  data: {
    dueBy: '2026-02-20',
    approvedVersion: 1,
    document: { documentId: 'final', filename: 'final.pdf', sha256: 'f'.repeat(64) },
    steps: [
      { partyId: 'lapas-garut', email: 'kalapas@lapas.test', name: 'Rudy Gunawan', act: 'sign' },
      { partyId: 'pemkab-garut', email: 'bupati@garutkab.test', name: 'Hendra Wijaya', act: 'sign' },
    ],
  },
};
const stepFollowUp: DomainEvent = {
  type: 'FollowUpOpened',
  data: {
    followUpId: 'fs',
    title: 'Tanda tangan elektronik: Rudy Gunawan',
    kind: 'follow_up',
    ownerPartyId: 'lapas-garut',
    ownerEmail: 'kalapas@lapas.test',
    purpose: 'signing',
    due: '2026-02-20',
    remindOn: '2026-02-18',
    overdueOn: '2026-02-23',
    level2On: '2026-03-02',
  },
};

function mailFor(history: DomainEvent[], fact: DomainEvent) {
  const state = fold('a1', record([...history, fact]));
  const [n] = notificationsFor(state, [fact]);
  const identity = {
    from: 'Sinergi <s@sinergi.test>',
    messageIdDomain: 'sinergi.test',
    publicUrl: 'https://sinergi.test',
    links: { secret: SECRET, ttlDays: 14 },
  };
  return renderNotification({ ...n!, id: 'n1' } as NotificationToStore, toView(state), parties, identity, NOW_STAMP)!;
}
const NOW_STAMP = '2026-02-18T01:00:00.000Z';
const linkIn = (text: string) => /https:\/\/sinergi\.test\/tautan\/([\w-]+\.[\w-]+)/.exec(text)?.[1];

describe('links in an electronic round', () => {
  it("gives the step's person, and no one copied in, a link that signs that step", () => {
    const turn = mailFor(inSigning, begun);
    const own = turn.copies!.find((c) => c.to === 'kalapas@lapas.test')!;
    const claims = verifyLink(SECRET, linkIn(own.text)!, Date.parse(NOW_STAMP));
    expect(claims).toMatchObject({ ok: true, claims: { act: 'sign', s: 0, e: 'kalapas@lapas.test' } });
    for (const copy of turn.copies!.filter((c) => c.to !== 'kalapas@lapas.test'))
      expect(linkIn(copy.text)).toBeUndefined();

    const reminder = mailFor([...inSigning, begun, stepFollowUp], {
      type: 'FollowUpReminderDue',
      data: { followUpId: 'fs' },
    });
    const mine = reminder.copies!.find((c) => c.to === 'kalapas@lapas.test')!;
    expect(mine.text).toContain('Unduh berkas dan unggah salinan bertanda tangan');
    expect(mine.text).not.toContain('Tandai selesai');
    expect(verifyLink(SECRET, linkIn(mine.text)!, Date.parse(NOW_STAMP))).toMatchObject({
      claims: { act: 'sign', s: 0 },
    });
  });
});
