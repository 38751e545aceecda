// The audit sheet's content, gathered from what Sinergi recorded: the agreement's view for the round as it ended,
// its parties' names, and the round's own events with who did each. Pure reading; audit-sheet.ts writes the PDF.
import type { Kysely } from 'kysely';
import type { DomainEvent, EventMeta } from '../../../domain/events.js';
import { ROLE_LABEL } from '../../../domain/labels.js';
import type { ElectronicSigning } from '../../../domain/types.js';
import type { AgreementView } from '../../../domain/view.js';
import type { Database } from '../../../schema/database.js';
import type { AuditSheetData } from './audit-sheet.js';

const ACT = { paraf: 'Paraf', sign: 'Tanda tangan' } as const;

/** The round that signed the agreement, or undefined while it is not signed electronically. */
export function signedRound(view: AgreementView): ElectronicSigning | undefined {
  const s = view.signing;
  return s?.method === 'electronic' && s.signedAt ? s : undefined;
}

/** Who did it, as the event's actor names them; a token by its name, Sinergi itself as Sinergi. */
function byWhom(actor: EventMeta['actor']): string {
  if (actor.kind === 'system') return 'Sinergi';
  if (actor.kind === 'token') return `operator (${actor.id})`;
  return actor.name ?? actor.email ?? actor.id;
}

/** The round's events as sentences: each follow-up of a step by its title, each copy by the step it signed. */
function said(e: DomainEvent, round: ElectronicSigning, titles: Map<string, string>): string | undefined {
  switch (e.type) {
    case 'ElectronicSigningStarted':
      return `Penandatanganan elektronik dimulai, ${e.data.steps.length} langkah, batas ${e.data.dueBy}`;
    case 'FollowUpOpened':
      return e.data.purpose === 'signing' ? `Giliran: ${e.data.title}` : undefined;
    case 'FollowUpReminderDue':
      return titles.has(e.data.followUpId) ? `Pengingat: ${titles.get(e.data.followUpId)}` : undefined;
    case 'FollowUpEscalated':
      return titles.has(e.data.followUpId)
        ? `Eskalasi tingkat ${e.data.level}: ${titles.get(e.data.followUpId)}`
        : undefined;
    case 'SignedCopyAccepted': {
      const step = round.steps[e.data.step];
      return step ? `${ACT[step.act]} ${step.name} diterima setelah diverifikasi` : undefined;
    }
    case 'SigningRecorded':
      return 'Kesepakatan tercatat ditandatangani secara elektronik';
    default:
      return undefined;
  }
}

/** Everything the audit sheet of an agreement signed electronically holds; undefined if it was not. */
export async function auditSheetData(
  db: Kysely<Database>,
  view: AgreementView,
  generatedAt: string,
): Promise<AuditSheetData | undefined> {
  const round = signedRound(view);
  if (!round) return undefined;
  const rows = await db
    .selectFrom('events')
    .select(['type', 'data', 'metadata', 'recorded_at'])
    .where('stream_id', '=', view.id)
    .orderBy('version')
    .execute();
  // The round that signed: from its last start on (an earlier round may have been cancelled).
  const from = rows.map((r) => r.type).lastIndexOf('ElectronicSigningStarted');
  const events = rows.slice(Math.max(from, 0)).map((r) => ({
    event: { type: r.type, data: r.data } as DomainEvent,
    meta: r.metadata as EventMeta,
    at: r.recorded_at.toISOString(),
  }));
  const titles = new Map<string, string>();
  for (const { event } of events)
    if (event.type === 'FollowUpOpened' && event.data.purpose === 'signing')
      titles.set(event.data.followUpId, event.data.title);
  const names = new Map(
    (
      await db
        .selectFrom('parties')
        .select(['id', 'name'])
        .where(
          'id',
          'in',
          view.parties.map((p) => p.partyId),
        )
        .execute()
    ).map((p) => [p.id, p.name]),
  );
  const nameOf = (id: string) => names.get(id) ?? id;
  const started = events[0]!;
  const approved = view.drafts.find((d) => d.version === round.approvedVersion);
  const initiator = view.parties.find((p) => p.role === 'initiator') ?? view.parties[0]!;
  return {
    agreement: {
      id: view.id,
      title: view.title,
      parties: view.parties.map((p) => ({ name: nameOf(p.partyId), role: ROLE_LABEL[p.role] })),
    },
    documentNumbers: Object.entries(round.documentNumbers ?? {}).map(([partyId, number]) => ({
      partyName: nameOf(partyId),
      number,
    })),
    approved: { version: round.approvedVersion, sha256: approved?.sha256 ?? '(tidak tercatat)' },
    final: { sha256: round.document.sha256, signedSha256: round.current.sha256 },
    ...(round.textDiffers
      ? { textDiffers: { ...round.textDiffers, confirmedBy: byWhom(started.meta.actor), at: started.at } }
      : {}),
    steps: round.steps.map((s) => ({
      index: s.index,
      act: s.act,
      name: s.name,
      partyName: nameOf(s.partyId),
      email: s.email,
      ...(s.doneAt ? { doneAt: s.doneAt } : {}),
      ...(s.signature ? { signature: s.signature } : {}),
    })),
    history: events.flatMap(({ event, meta, at }) => {
      const what = said(event, round, titles);
      return what ? [{ at, what, by: byWhom(meta.actor) }] : [];
    }),
    timeZone: initiator.timeZone,
    generatedAt,
  };
}
