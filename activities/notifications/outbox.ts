// Notifications are rendered and stored with the events that cause them (transactional outbox).
import { sql } from 'kysely';
import type { NotificationIntent } from '../../domain/notifications.js';
import type { TimeZone } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import type { InlineWrite } from '../event-store/append.js';
import { invitation } from './calendar.js';
import { MAX_RECIPIENTS, addressesOf, listed, type DirectoryParty } from './directory.js';
import { mayActByLink } from '../../domain/allowed.js';
import type { MailCopy } from '../../schema/database.js';
import { signLink, type LinkClaims, type LinkSettings } from '../../infra/links.js';
import { renderTemplate } from './templates.js';
import { initiatorZone } from '../../domain/deadlines.js';

export type NotificationToStore = NotificationIntent & { id: string };

export interface MailIdentity {
  from: string;
  /** The domain part of every Message-ID. */
  messageIdDomain: string;
  publicUrl: string;
  /** Without it e-mails carry no act-from-e-mail links. */
  links?: LinkSettings;
}

/** What an e-mail of this kind lets its reader do, before it is bound to one reader; undefined if nothing. */
function actionOf(n: NotificationToStore, agreementId: string, exp: number): Omit<LinkClaims, 'e'> | undefined {
  const base = { a: agreementId, exp };
  if (n.template === 'review_request' && n.data.partyId)
    return { ...base, p: n.data.partyId, act: 'review', v: n.data.version };
  if (n.template === 'signing_turn') return { ...base, p: n.data.partyId, act: 'sign', s: n.data.step };
  if ((n.template === 'follow_up_reminder' || n.template === 'follow_up_escalation') && n.data.signingStep)
    return { ...base, p: n.data.ownerPartyId, act: 'sign', s: n.data.signingStep.index };
  if (n.template === 'follow_up_reminder' || n.template === 'follow_up_escalation') {
    return { ...base, p: n.data.ownerPartyId, act: 'complete', f: n.data.followUpId };
  }
  return undefined;
}

/** Whose step a signing link acts for: a step's reminder names its person; its turn's e-mail is sent to them alone. */
function signerOf(n: NotificationToStore, to: string[]): string | undefined {
  if (n.template === 'signing_turn') return to[0];
  if (n.template === 'follow_up_reminder' || n.template === 'follow_up_escalation')
    return n.data.signingStep?.email.toLowerCase();
  return undefined;
}

export interface OutboxRow {
  id: string;
  agreement_id: string;
  template: string;
  to_addresses: string[];
  cc_addresses: string[];
  subject: string;
  text_body: string;
  html_body: string;
  ics: string | null;
  message_id: string;
  status: 'pending';
  copies: MailCopy[] | null;
}

/** Message-IDs come from the workflow's notification id, so a resend after a crash carries the same one. */
export const messageIdFor = (notificationId: string, domain: string): string => `<${notificationId}@${domain}>`;

export function renderNotification(
  n: NotificationToStore,
  agreement: AgreementView,
  parties: Map<string, DirectoryParty>,
  identity: MailIdentity,
  stamp: string,
): OutboxRow | null {
  const to = addressesOf(n.to, parties).slice(0, MAX_RECIPIENTS);
  if (to.length === 0) return null;
  const cc = addressesOf(n.cc, parties)
    .filter((a) => !to.includes(a))
    .slice(0, MAX_RECIPIENTS - to.length);
  const timeZone: TimeZone = initiatorZone(agreement);
  const context = { agreement, parties, timeZone, publicUrl: identity.publicUrl };
  const mail = renderTemplate(n, context);
  const exp = Math.floor(Date.parse(stamp) / 1000) + (identity.links?.ttlDays ?? 0) * 86_400;
  const action = identity.links ? actionOf(n, agreement.id, exp) : undefined;
  // Each reader gets a link of their own, so an action is recorded under the one who took it.
  const copies =
    action && identity.links
      ? [...to, ...cc].map((address, i): MailCopy => {
          // A step's link is its person's alone: the initiator's staff copied in follow the round by the page.
          const mayAct =
            action.act === 'sign' ? address === signerOf(n, to) : mayActByLink(address, listed(parties, action.p));
          const link = mayAct
            ? `${identity.publicUrl}/tautan/${signLink(identity.links!.secret, { ...action, e: address })}`
            : undefined;
          const own = link ? renderTemplate(n, { ...context, actionLink: link }) : mail;
          return {
            to: address,
            text: own.text,
            html: own.html,
            messageId: messageIdFor(`${n.id}.${i + 1}`, identity.messageIdDomain),
          };
        })
      : null;
  return {
    id: n.id,
    agreement_id: agreement.id,
    template: n.template,
    to_addresses: to,
    cc_addresses: cc,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html,
    ics: n.calendar ? invitation(n.calendar, stamp, addressOf(identity.from), [...to, ...cc], mail.text) : null,
    // With a copy per reader, the e-mail's Message-ID is its first copy's: one that was really sent.
    message_id: copies?.[0]?.messageId ?? messageIdFor(n.id, identity.messageIdDomain),
    status: 'pending',
    copies,
  };
}

export function storeNotifications(rows: OutboxRow[]): InlineWrite {
  return (cas) => sql`
    insert into notifications (id, agreement_id, template, to_addresses, cc_addresses, subject, text_body, html_body,
      ics, message_id, status, copies)
    select n.id, n.agreement_id, n.template, n.to_addresses, n.cc_addresses, n.subject, n.text_body, n.html_body, n.ics,
      n.message_id, n.status, n.copies
    from jsonb_populate_recordset(null::notifications, ${JSON.stringify(rows)}::jsonb) as n, ${cas}
    on conflict (id) do nothing
    returning id`;
}

/** "Sinergi <sinergi@x>" -> "sinergi@x" */
export const addressOf = (from: string): string => /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
