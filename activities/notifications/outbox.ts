// Notifications are rendered and stored with the events that cause them (transactional outbox).
import { sql } from 'kysely';
import type { NotificationIntent } from '../../domain/notifications.js';
import type { TimeZone } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import type { InlineWrite } from '../event-store/append.js';
import { invitation } from './calendar.js';
import { addressesOf, type DirectoryParty } from './directory.js';
import { signLink, type LinkClaims, type LinkSettings } from '../../infra/links.js';
import { renderTemplate } from './templates.js';

export type NotificationToStore = NotificationIntent & { id: string };

export interface MailIdentity {
  from: string;
  /** The domain part of every Message-ID. */
  messageIdDomain: string;
  publicUrl: string;
  /** Without it e-mails carry no act-from-e-mail links. */
  links?: LinkSettings;
}

/** The signed link an e-mail carries, if its template acts on something. */
function actionLink(n: NotificationToStore, agreement: AgreementView, to: string[], identity: MailIdentity, stamp: string): string | undefined {
  if (!identity.links || to.length === 0) return undefined;
  const exp = Math.floor(Date.parse(stamp) / 1000) + identity.links.ttlDays * 86_400;
  const base = { a: agreement.id, e: to[0]!, exp };
  let claims: LinkClaims | undefined;
  if (n.template === 'review_request' && n.data.partyId) {
    claims = { ...base, p: n.data.partyId, act: 'review', v: n.data.version };
  } else if (n.template === 'follow_up_reminder' || n.template === 'follow_up_escalation') {
    claims = { ...base, p: n.data.ownerPartyId, act: 'complete', f: n.data.followUpId };
  }
  return claims ? `${identity.publicUrl}/tautan/${signLink(identity.links.secret, claims)}` : undefined;
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
  const to = addressesOf(n.to, parties);
  if (to.length === 0) return null;
  const cc = addressesOf(n.cc, parties).filter((a) => !to.includes(a));
  const timeZone: TimeZone = agreement.parties.find((p) => p.role === 'initiator')?.timeZone ?? 'Asia/Jakarta';
  const link = actionLink(n, agreement, to, identity, stamp);
  const mail = renderTemplate(n, { agreement, parties, timeZone, publicUrl: identity.publicUrl, ...(link ? { actionLink: link } : {}) });
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
    message_id: messageIdFor(n.id, identity.messageIdDomain),
    status: 'pending',
  };
}

export function storeNotifications(rows: OutboxRow[]): InlineWrite {
  return (cas) => sql`
    insert into notifications (id, agreement_id, template, to_addresses, cc_addresses, subject, text_body, html_body, ics, message_id, status)
    select n.id, n.agreement_id, n.template, n.to_addresses, n.cc_addresses, n.subject, n.text_body, n.html_body, n.ics, n.message_id, n.status
    from jsonb_populate_recordset(null::notifications, ${JSON.stringify(rows)}::jsonb) as n, ${cas}
    on conflict (id) do nothing
    returning id`;
}

/** "Sinergi <sinergi@x>" -> "sinergi@x" */
export const addressOf = (from: string): string => /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
