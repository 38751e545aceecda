// The agreement service: every door (the /v1 API, the dashboard, the pages behind e-mail links) starts, commands
// and reads agreements through it. It owns the Temporal Update call, the mapping of refusals, read-your-writes for
// agreements a command starts, and what each caller may see.
import pLimit from 'p-limit';
import { createHash, randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import {
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { READ_ONLY, requireMayAct, requireOwnFollowUp } from '../domain/allowed.js';
import { EMPTY_CALENDAR, WorkingCalendar } from '../domain/calendar.js';
import type { Actor, CommandOf, FollowUpInput } from '../domain/commands.js';
import type { EventMeta, RecordedEvent } from '../domain/events.js';
import { localDate } from '../domain/dates.js';
import { decide } from '../domain/decide.js';
import { initialState } from '../domain/evolve.js';
import { CommandRejected } from '../domain/rejection.js';
import {
  DEFAULT_POLICY,
  DEFAULT_TERM_MONTHS,
  type AgreementRole,
  type Instrument,
  type Policy,
} from '../domain/types.js';
import { toSummary, type AgreementSummary, type AgreementView } from '../domain/view.js';
import type { Database } from '../schema/database.js';
import {
  COMMAND_REJECTED,
  TASK_QUEUE,
  commandUpdate,
  startedUpdate,
  viewQuery,
  workflowIdFor,
  type AgreementWorkflowInput,
  type RejectionDetails,
  type UpdateCommandType,
} from '../workflows/messages.js';
import {
  loadVisibleAgreement,
  requireOwnParty,
  visibleParties,
  type AgreementAccess,
  type Principal,
} from './access.js';
import { listViews, readView, withChildren, type ListFilter } from './agreement-reads.js';
import { recordAfterEnd } from './after-end.js';
import { Refusal, fromRejection, notFound } from './errors.js';

/** A command a person (or an e-mailed link) sends to a running agreement. */
export type SentCommand = CommandOf<UpdateCommandType>;

/** A PKS as a door asks for it: one OPD with the umbrella's initiator, or its own parties. */
export interface OperationalAgreementRequest {
  id?: string;
  partyId?: string;
  parties?: { partyId: string; role: AgreementRole }[];
  title: string;
  scope: string[];
  dueBy?: string;
}

/** Many PKS in one step: one per OPD, each with the implementing UPT, from one title template (`{opd}`). */
export interface OperationalAgreementBatch {
  opdIds: string[];
  implementerId?: string;
  title: string;
  scope: string[];
  dueBy?: string;
}

/** Who was reminded to sign, and whose PKS refused it (with why). */
export interface ReminderResult {
  reminded: { id: string; partyId: string }[];
  skipped: { id: string; partyId: string; reason: string }[];
}

/** How many PKS of a batch are awaited, or reminded, at once. */
const BATCH_CONCURRENCY = 8;

export interface BatchResult {
  started: { id: string; partyId: string }[];
  /** OPDs that already had a PKS under this umbrella: none is started twice. */
  existing: { id: string; partyId: string }[];
}

/** The same umbrella and OPD always give the same PKS id: a retried or doubled batch finds what it started. */
export const batchChildId = (umbrellaId: string, opdId: string): string =>
  `pks-${createHash('sha256').update(`${umbrellaId}\u0000${opdId}`).digest('base64url').slice(0, 22)}`;

/** The part of the documents service a command needs: its `documentId` references resolved. */
export interface DocumentReferences {
  withDocuments(agreementId: string, command: SentCommand): Promise<SentCommand>;
}

export interface StartInput {
  id?: string;
  title: string;
  instrument: Instrument;
  parties: { partyId: string; role: AgreementRole }[];
  scope: string[];
  termMonths?: number;
  parentId?: string;
  renewalOf?: string;
  policy?: Partial<Policy>;
}

export interface ListQuery {
  stage?: string;
  instrument?: string;
  partyId?: string;
  parentId?: string;
  overdue?: boolean;
  q?: string;
  limit: number;
  cursor?: { createdAt: string; id: string };
}

/** One stored event as the history lists it: its type, data and who did it. */
export type EventItem = Pick<RecordedEvent, 'type' | 'data'> & {
  version: number;
  actor: EventMeta['actor'];
  recordedAt: string;
};

export interface NotificationItem {
  id: string;
  template: string;
  to: string[];
  cc: string[];
  subject: string;
  status: string;
  messageId: string;
  attempts: number;
  sentAt?: string;
  /** An e-mail with an action goes to each reader as a copy of its own (its own link and Message-ID). */
  copies?: { to: string; messageId: string; sentAt?: string }[];
}

/** A command as a door hands it over: who sends it, and the id that makes a retry the same command. */
export interface Sending {
  /** The Temporal Update id: a retried request with the same id runs once. */
  updateId?: string;
}

// gRPC's FAILED_PRECONDITION on an Update: the run cannot take commands now (its workflow task keeps failing, see
// the README's stuck agreement). It is the operator's to mend, not the client's: a 503, not a 500.
const FAILED_PRECONDITION = 9;

/** The agreement's refusals and Temporal's errors, as a Refusal the doors can show. */
export function refusalOf(err: unknown): unknown {
  if (err instanceof CommandRejected) return fromRejection(err.code, err.message, err.field);
  if (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === COMMAND_REJECTED
  ) {
    const details = (err.cause.details?.[0] ?? {}) as RejectionDetails;
    return fromRejection(details.code ?? 'rejected', err.cause.message, details.field);
  }
  if (err instanceof WorkflowNotFoundError)
    return new Refusal(409, 'agreement_not_running', 'Kesepakatan ini tidak sedang berjalan.');
  if (err instanceof ServiceError && (err.cause as { code?: unknown } | undefined)?.code === FAILED_PRECONDITION)
    return new Refusal(
      503,
      'agreement_unavailable',
      'Kesepakatan ini sementara tidak dapat menerima perintah; operator Sinergi perlu memeriksanya. Coba lagi nanti.',
    );
  return err;
}

/** Refusals of who may act (domain/allowed.ts) are 403s. */
function forbidden(err: unknown): unknown {
  return err instanceof CommandRejected && err.code === 'forbidden'
    ? new Refusal(403, 'forbidden', err.message)
    : refusalOf(err);
}

export class AgreementService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly temporal: Client,
    private readonly log: Logger,
    /** Fills in the documents a command names by id (checked against the agreement). */
    private readonly references?: DocumentReferences,
  ) {}

  /** Whether the two things every agreement needs answer: PostgreSQL and Temporal. */
  async reachable(): Promise<{ postgres: 'ok' | 'unreachable'; temporal: 'ok' | 'unreachable' }> {
    const [postgres, temporal] = (
      await Promise.allSettled([
        sql`select 1`.execute(this.db),
        this.temporal.connection.workflowService.getSystemInfo({}),
      ])
    ).map((c) => (c.status === 'fulfilled' ? ('ok' as const) : ('unreachable' as const)));
    return { postgres: postgres!, temporal: temporal! };
  }

  /** The agreement if `principal` may see it; otherwise "not found", exactly as for an unknown id. */
  access(principal: Principal, id: string): Promise<AgreementAccess> {
    return loadVisibleAgreement(this.db, principal, id);
  }

  async read(principal: Principal, id: string, opts: { live?: boolean } = {}): Promise<AgreementView> {
    await this.access(principal, id);
    if (opts.live) {
      try {
        return await withChildren(this.db, await this.temporal.workflow.getHandle(workflowIdFor(id)).query(viewQuery));
      } catch (err) {
        this.log.warn(
          { agreementId: id, err: (err as Error).message },
          'live view unavailable; answering from the projection',
        );
      }
    }
    const view = await readView(this.db, id);
    if (!view) throw notFound(`Kesepakatan "${id}"`);
    return view;
  }

  async list(
    principal: Principal,
    q: ListQuery,
  ): Promise<{ items: AgreementSummary[]; next?: { createdAt: string; id: string } }> {
    const today = localDate(Date.now(), 'Asia/Jakarta');
    const filter: ListFilter = {
      ...(await this.filterOf(principal, q, today)),
      limit: q.limit,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    };
    const page = await listViews(this.db, filter);
    return { items: page.items.map((v) => toSummary(v, today)), ...(page.next ? { next: page.next } : {}) };
  }

  /** The list's filters as the read model takes them, within what this principal may see. */
  private async filterOf(
    principal: Principal,
    q: Omit<ListQuery, 'limit' | 'cursor'>,
    today: string,
  ): Promise<Omit<ListFilter, 'limit'>> {
    return {
      ...(q.stage ? { stage: q.stage } : {}),
      ...(q.instrument ? { instrument: q.instrument } : {}),
      ...(q.partyId ? { partyTreeOf: q.partyId } : {}),
      visiblePartyIds: await visibleParties(this.db, principal),
      ...(q.parentId ? { parentId: q.parentId } : {}),
      ...(q.overdue ? { overdueOn: today } : {}),
      ...(q.q ? { q: q.q } : {}),
    };
  }

  /** Every agreement the list would show for these filters, a page at a time, newest first (for exports). */
  async *allPages(
    principal: Principal,
    q: Omit<ListQuery, 'limit' | 'cursor'>,
    pageSize = 1000,
  ): AsyncGenerator<AgreementView[]> {
    const base = await this.filterOf(principal, q, localDate(Date.now(), 'Asia/Jakarta'));
    let cursor: { createdAt: string; id: string } | undefined;
    do {
      const page = await listViews(this.db, { ...base, limit: pageSize, ...(cursor ? { cursor } : {}) });
      if (page.items.length) yield page.items;
      cursor = page.next;
    } while (cursor);
  }

  /** The audit trail, oldest first, a page at a time. */
  async events(
    principal: Principal,
    id: string,
    page: { after?: number; limit: number },
  ): Promise<{ items: EventItem[]; nextAfter: number | null }> {
    await this.access(principal, id);
    const rows = await this.db
      .selectFrom('events')
      .select(['version', 'type', 'data', 'metadata', 'recorded_at'])
      .where('stream_id', '=', id)
      .where('version', '>', page.after ?? 0)
      .orderBy('version')
      .limit(page.limit + 1)
      .execute();
    const items = rows.slice(0, page.limit).map((r) => ({
      version: r.version,
      ...({ type: r.type, data: r.data } as Pick<RecordedEvent, 'type' | 'data'>),
      actor: r.metadata.actor,
      recordedAt: r.recorded_at.toISOString(),
    }));
    return { items, nextAfter: rows.length > page.limit ? items.at(-1)!.version : null };
  }

  async notifications(principal: Principal, id: string): Promise<NotificationItem[]> {
    await this.access(principal, id);
    const rows = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('agreement_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      template: r.template,
      to: r.to_addresses,
      cc: r.cc_addresses,
      subject: r.subject,
      status: r.status,
      messageId: r.message_id,
      attempts: r.attempts,
      ...(r.sent_at ? { sentAt: r.sent_at.toISOString() } : {}),
      ...(r.copies
        ? {
            copies: r.copies.map((c) => ({
              to: c.to,
              messageId: c.messageId,
              ...(c.sentAt ? { sentAt: c.sentAt } : {}),
            })),
          }
        : {}),
    }));
  }

  /** Starts an agreement; with an idempotency key and no id, a retried or doubled create finds the same one. */
  async start(principal: Principal, input: StartInput, opts: { idempotencyKey?: string } = {}): Promise<AgreementView> {
    if (principal.role === 'viewer') throw new Refusal(403, 'forbidden', READ_ONLY);
    refuseReservedId(input.id);
    const keyed = opts.idempotencyKey !== undefined && input.id === undefined;
    const id = input.id ?? (keyed ? idFromKey(principal.id, opts.idempotencyKey!) : randomUUID());
    const partyIds = input.parties.map((p) => p.partyId);
    if (principal.role === 'party') {
      const visible = (await visibleParties(this.db, principal)) ?? [];
      if (!partyIds.some((p) => visible.includes(p))) {
        throw new Refusal(
          403,
          'forbidden',
          'Token ini hanya boleh memulai kesepakatan yang melibatkan pihaknya sendiri.',
          'parties',
        );
      }
    }
    const known = await this.db.selectFrom('parties').select(['id', 'time_zone']).where('id', 'in', partyIds).execute();
    const zone = new Map(known.map((k) => [k.id, k.time_zone]));
    input.parties.forEach((p, i) => {
      if (!zone.has(p.partyId))
        throw new Refusal(400, 'unknown_party', `Pihak "${p.partyId}" tidak terdaftar.`, `parties[${i}].partyId`);
    });
    // An agreement this caller may not see is answered exactly as one that does not exist.
    for (const field of ['parentId', 'renewalOf'] as const) {
      const ref = input[field];
      if (ref)
        await this.access(principal, ref).catch((err: unknown) => {
          throw isNotFound(err) ? unknownAgreement(ref, field) : err;
        });
    }
    const start: CommandOf<'startAgreement'> = {
      type: 'startAgreement',
      title: input.title,
      instrument: input.instrument,
      parties: input.parties.map((p) => ({ partyId: p.partyId, role: p.role, timeZone: zone.get(p.partyId)! })),
      scope: input.scope,
      termMonths: input.termMonths ?? DEFAULT_TERM_MONTHS,
      policy: { ...DEFAULT_POLICY, ...input.policy },
      ...(input.parentId ? { parentId: input.parentId, underUmbrella: await this.underUmbrella(input.parentId) } : {}),
      ...(input.renewalOf ? { renewalOf: input.renewalOf } : {}),
    };
    // The start's own rules (parties, initiator, term) answer before a workflow exists; working days do not matter.
    try {
      decide(initialState(id), start, {
        now: new Date().toISOString(),
        newId: () => 'check',
        calendar: new WorkingCalendar(EMPTY_CALENDAR),
      });
    } catch (err) {
      throw refusalOf(err);
    }
    // Which request started it: a retry with the same key finds its own agreement, even after the first answer
    // was lost with the process that was giving it.
    const request = opts.idempotencyKey === undefined ? undefined : requestDigest(principal.id, opts.idempotencyKey);
    const retried = () => request !== undefined && this.startedBy(id, request);
    if (
      !keyed &&
      (await this.db.selectFrom('agreements').select('id').where('id', '=', id).executeTakeFirst()) &&
      !(await retried())
    ) {
      throw new Refusal(409, 'id_taken', `Kesepakatan dengan id "${id}" sudah ada.`, 'id');
    }
    const workflowInput: AgreementWorkflowInput = { agreementId: id, start, actor: principal };
    try {
      const handle = await this.temporal.workflow.start('agreementWorkflow', {
        workflowId: workflowIdFor(id),
        taskQueue: TASK_QUEUE,
        args: [workflowInput],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        ...(request ? { memo: { [START_REQUEST_MEMO]: request } } : {}),
      });
      const view = await handle.executeUpdate(startedUpdate);
      this.log.info({ agreementId: id, workflowId: handle.workflowId }, 'agreement started');
      return view;
    } catch (err) {
      // The same create, already on its way: answer with that agreement.
      if (err instanceof WorkflowExecutionAlreadyStartedError && (keyed || (await retried())))
        return this.startedFor(principal, id);
      if (err instanceof WorkflowExecutionAlreadyStartedError)
        throw new Refusal(409, 'id_taken', `Kesepakatan dengan id "${id}" sudah ada.`, 'id');
      throw refusalOf(err);
    }
  }

  /**
   * Sends a command as a principal: it must see the agreement, and may send this command; then the workflow's
   * own rules decide. Answers with the view, its operational agreements included.
   */
  async command(principal: Principal, id: string, command: SentCommand, sending: Sending = {}): Promise<AgreementView> {
    const agreement = await this.access(principal, id);
    try {
      requireMayAct(agreement.initiatorId, principal, command.type);
      if (agreement.followUpsOnly) {
        const state = await readView(this.db, id);
        if (state) requireOwnFollowUp(state, { ...principal, followUpsOnly: agreement.followUpsOnly }, command);
      }
    } catch (err) {
      throw forbidden(err);
    }
    if (command.type === 'reviewDraft') requireOwnParty(principal, command.partyId, 'partyId');
    const updateId = sending.updateId ? `${principal.id}:${command.type}:${sending.updateId}` : undefined;
    if (agreement.stage === 'ended')
      return withChildren(this.db, await this.afterEnd(principal, id, command, updateId));
    const owned = await this.withSigners(await this.withOwners(agreement, command));
    const view = await this.send(
      principal,
      id,
      this.references ? await this.references.withDocuments(id, owned) : owned,
      updateId,
    );
    const successor = command.type === 'decideRenewal' ? view.renewal?.successorId : undefined;
    if (successor) await this.started(successor);
    return withChildren(this.db, view);
  }

  /** Starts an operational agreement (PKS) under an active umbrella; answers with the new agreement. */
  async startOperationalAgreement(
    principal: Principal,
    umbrellaId: string,
    input: OperationalAgreementRequest,
    sending: Sending = {},
  ): Promise<AgreementView> {
    const umbrella = await this.access(principal, umbrellaId);
    const named = input.parties ?? (input.partyId ? [{ partyId: input.partyId, role: 'counterpart' as const }] : []);
    if (named.length === 0)
      throw new Refusal(400, 'invalid_input', 'partyId (satu OPD) atau parties wajib diisi.', 'partyId');
    const rows = await this.db
      .selectFrom('parties')
      .select(['id', 'kind', 'time_zone'])
      .where(
        'id',
        'in',
        named.map((p) => p.partyId),
      )
      .execute();
    const known = new Map(rows.map((r) => [r.id, r]));
    const parties = named.map((p, i) => {
      const row = known.get(p.partyId);
      if (!row)
        throw new Refusal(
          400,
          'unknown_party',
          `Pihak "${p.partyId}" tidak terdaftar.`,
          input.parties ? `parties[${i}].partyId` : 'partyId',
        );
      return { partyId: row.id, role: p.role, timeZone: row.time_zone, kind: row.kind };
    });
    // The OPD the PKS is with: the first OPD among its counterparts (or the one named).
    const counterparts = parties.filter((p) => p.role === 'counterpart');
    const party = input.parties
      ? (counterparts.find((p) => p.kind === 'opd') ?? counterparts[0] ?? parties[0]!)
      : parties[0]!;
    refuseReservedId(input.id);
    const childId = input.id ?? randomUUID();
    const taken = await this.db
      .selectFrom('agreements')
      .select('parent_id')
      .where('id', '=', childId)
      .executeTakeFirst();
    // A retried start of this umbrella's own PKS goes on: Temporal answers the same update id with the first result,
    // and the umbrella refuses a child id it already has under any other key.
    if (taken && !(sending.updateId && taken.parent_id === umbrella.id)) {
      throw new Refusal(409, 'id_taken', `Kesepakatan dengan id "${childId}" sudah ada.`, 'id');
    }
    await this.command(
      principal,
      umbrellaId,
      {
        type: 'startOperationalAgreement',
        childId,
        party: { partyId: party.partyId, timeZone: party.timeZone },
        ...(input.parties
          ? { parties: parties.map(({ partyId, role, timeZone }) => ({ partyId, role, timeZone })) }
          : {}),
        underUmbrella: await this.underUmbrella(umbrella.id),
        title: input.title,
        scope: input.scope,
        ...(input.dueBy ? { dueBy: input.dueBy } : {}),
      },
      sending,
    );
    return this.started(childId);
  }

  /** Sends a command as any actor (a contact acting from an e-mailed link included) and maps its refusals. */
  async send(actor: Actor, id: string, command: SentCommand, updateId?: string): Promise<AgreementView> {
    const update = commandUpdate(command.type);
    try {
      const view = await this.temporal.workflow.getHandle(workflowIdFor(id)).executeUpdate(update, {
        args: [{ command, actor }],
        ...(updateId ? { updateId } : {}),
      });
      this.log.info({ agreementId: id, command: command.type, version: view.version }, 'command accepted');
      return view;
    } catch (err) {
      const mapped = refusalOf(err);
      if (mapped instanceof Refusal)
        this.log.info({ agreementId: id, command: command.type, code: mapped.code }, 'command refused');
      throw mapped;
    }
  }

  /**
   * A command on an ended agreement: its workflow, while it still runs (sending its last e-mails), decides as
   * always; once it has closed, the same rules decide on the stored events.
   */
  private async afterEnd(actor: Actor, id: string, command: SentCommand, updateId?: string): Promise<AgreementView> {
    try {
      return await this.send(actor, id, command, updateId);
    } catch (err) {
      if (!(err instanceof Refusal && err.code === 'agreement_not_running')) throw err;
    }
    try {
      const view = await recordAfterEnd(this.db, actor, id, command);
      this.log.info(
        { agreementId: id, command: command.type, version: view.version },
        'command recorded after the end',
      );
      return view;
    } catch (err) {
      throw refusalOf(err);
    }
  }

  /**
   * Starts a PKS for each OPD that has none under this umbrella yet, one after another through the same path as a
   * single start; the OPDs that have one are named, not started again.
   */
  async startOperationalAgreements(
    principal: Principal,
    umbrellaId: string,
    batch: OperationalAgreementBatch,
  ): Promise<BatchResult> {
    const umbrella = await this.read(principal, umbrellaId);
    const initiator = umbrella.parties.find((p) => p.role === 'initiator')!.partyId;
    const implementer = batch.implementerId ?? initiator;
    const rows = await this.db
      .selectFrom('parties')
      .select(['id', 'name', 'kind', 'time_zone'])
      .where('id', 'in', [...batch.opdIds, implementer])
      .execute();
    const known = new Map(rows.map((r) => [r.id, r]));
    batch.opdIds.forEach((id, i) => {
      const row = known.get(id);
      if (!row) throw new Refusal(400, 'unknown_party', `Pihak "${id}" tidak terdaftar.`, `opdIds[${i}]`);
      if (row.kind !== 'opd') throw new Refusal(400, 'not_an_opd', `${row.name} bukan OPD.`, `opdIds[${i}]`);
    });
    const upt = known.get(implementer);
    if (!upt) throw new Refusal(400, 'unknown_party', `Pihak "${implementer}" tidak terdaftar.`, 'implementerId');
    const has = new Map(umbrella.children.map((c) => [c.partyId, c.id]));
    const opdIds = [...new Set(batch.opdIds)];
    const fresh = opdIds.filter((opdId) => !has.has(opdId));
    const items = fresh.map((opdId) => {
      const opd = known.get(opdId)!;
      return {
        childId: batchChildId(umbrellaId, opdId),
        party: { partyId: opdId, timeZone: opd.time_zone },
        parties: [
          { partyId: implementer, role: 'initiator' as const, timeZone: upt.time_zone },
          { partyId: opdId, role: 'counterpart' as const, timeZone: opd.time_zone },
        ],
        title: batch.title.replaceAll('{opd}', opd.name).slice(0, 200),
        scope: batch.scope,
        ...(batch.dueBy ? { dueBy: batch.dueBy } : {}),
      };
    });
    if (items.length > 0) {
      // One step on the umbrella; the same OPDs asked again are the same update, and its children exist once.
      const updateId = `batch:${umbrellaId}:${createHash('sha256')
        .update(items.map((x) => x.childId).join(','))
        .digest('base64url')}`;
      try {
        await this.command(
          principal,
          umbrellaId,
          { type: 'startOperationalAgreements', items, underUmbrella: await this.underUmbrella(umbrellaId) },
          { updateId },
        );
      } catch (err) {
        // The rules name an item (`items[3].partyId`); the caller sent it as `opdIds[i]`.
        const item = err instanceof Refusal ? /^items\[(\d+)\]/.exec(err.field ?? '') : null;
        if (!item || !(err instanceof Refusal)) throw err;
        const opdId = fresh[Number(item[1])]!;
        throw new Refusal(
          err.statusCode,
          err.code,
          `${known.get(opdId)!.name}: ${err.message}`,
          `opdIds[${batch.opdIds.indexOf(opdId)}]`,
        );
      }
      // Read-your-writes: each new PKS is listed once its own first step is stored.
      const limit = pLimit(BATCH_CONCURRENCY);
      await Promise.all(items.map((x) => limit(() => this.started(x.childId))));
    }
    const result: BatchResult = {
      started: items.map((x) => ({ id: x.childId, partyId: x.party.partyId })),
      existing: opdIds.filter((opdId) => has.has(opdId)).map((opdId) => ({ id: has.get(opdId)!, partyId: opdId })),
    };
    this.log.info(
      { agreementId: umbrellaId, started: result.started.length, existing: result.existing.length },
      'operational agreements started in a batch',
    );
    return result;
  }

  /**
   * Reminds every OPD whose PKS under this umbrella is not signed yet, one PKS at a time through the same path as
   * a single reminder; a PKS its rules refuse (reminded within the hour) is named with the reason.
   */
  async remindOperationalAgreements(principal: Principal, umbrellaId: string, note?: string): Promise<ReminderResult> {
    const umbrella = await this.read(principal, umbrellaId);
    const result: ReminderResult = { reminded: [], skipped: [] };
    const limit = pLimit(BATCH_CONCURRENCY);
    const unsigned = umbrella.children.filter((c) => c.stage !== 'active' && c.stage !== 'ended');
    const answers = await Promise.all(
      unsigned.map((child) =>
        limit(async () => {
          try {
            await this.command(principal, child.id, { type: 'remindToSign', ...(note ? { note } : {}) });
            return undefined;
          } catch (err) {
            if (!(err instanceof Refusal) || err.statusCode >= 500) throw err;
            return err.message;
          }
        }),
      ),
    );
    unsigned.forEach((child, i) => {
      const refused = answers[i];
      if (refused === undefined) result.reminded.push({ id: child.id, partyId: child.partyId });
      else result.skipped.push({ id: child.id, partyId: child.partyId, reason: refused });
    });
    this.log.info(
      { agreementId: umbrellaId, reminded: result.reminded.length, skipped: result.skipped.length },
      'operational agreements reminded',
    );
    return result;
  }

  /** Whether the agreement's workflow was started by the request with this digest of principal and key. */
  private async startedBy(id: string, request: string): Promise<boolean> {
    try {
      const { memo } = await this.temporal.workflow.getHandle(workflowIdFor(id)).describe();
      return memo?.[START_REQUEST_MEMO] === request;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** The agreement an earlier create with the same key started, if this caller may see it. */
  private async startedFor(principal: Principal, id: string): Promise<AgreementView> {
    const view = await this.started(id);
    await this.access(principal, id).catch((err: unknown) => {
      throw isNotFound(err) ? new Refusal(409, 'id_taken', `Kesepakatan dengan id "${id}" sudah ada.`, 'id') : err;
    });
    return view;
  }

  /** Waits until an agreement started by another one has stored its first event (read-your-writes). */
  private async started(id: string): Promise<AgreementView> {
    try {
      return await this.temporal.workflow.getHandle(workflowIdFor(id)).executeUpdate(startedUpdate);
    } catch (err) {
      throw refusalOf(err);
    }
  }

  /** The umbrella's parties and the parties under them in the directory: those a PKS may bind. */
  private async underUmbrella(umbrellaId: string): Promise<string[]> {
    const row = await this.db
      .selectFrom('agreements')
      .select('party_ids')
      .where('id', '=', umbrellaId)
      .executeTakeFirstOrThrow();
    const under = await this.db.selectFrom('parties').select('id').where('parent_id', 'in', row.party_ids).execute();
    return [...new Set([...row.party_ids, ...under.map((u) => u.id)])];
  }

  /**
   * A follow-up owned by an OPD under one of the agreement's parties carries that OPD's parent and zone. A named
   * owner must be one of the owning party's contacts: Sinergi e-mails only people in its directory.
   */
  /** Each step of an electronic round named as the directory names its contact (the e-mail must be one). */
  private async withSigners(command: SentCommand): Promise<SentCommand> {
    if (command.type !== 'scheduleSigning' || command.method !== 'electronic') return command;
    const rows = await this.db
      .selectFrom('parties')
      .select(['id', 'contacts'])
      .where('id', 'in', [...new Set(command.steps.map((s) => s.partyId))])
      .execute();
    const contacts = new Map(rows.map((r) => [r.id, r.contacts]));
    const steps = command.steps.map((step, i) => {
      const contact = contacts.get(step.partyId)?.find((c) => c.email.toLowerCase() === step.email.toLowerCase());
      if (!contact)
        throw new Refusal(
          400,
          'unknown_contact',
          `${step.email} bukan kontak pihak "${step.partyId}" di direktori.`,
          `order[${i}].email`,
        );
      return { ...step, email: contact.email, name: contact.name };
    });
    return { ...command, steps };
  }

  private async withOwners(agreement: AgreementAccess, command: SentCommand): Promise<SentCommand> {
    const inputs =
      command.type === 'openFollowUp' ? [command] : command.type === 'recordMinutes' ? (command.followUps ?? []) : [];
    if (inputs.length === 0) return command;
    const rows = await this.db
      .selectFrom('parties')
      .select(['id', 'parent_id', 'time_zone', 'contacts'])
      .where('id', 'in', [...new Set(inputs.map((f) => f.ownerPartyId))])
      .execute();
    const parties = new Map(rows.map((r) => [r.id, r]));
    const owner = (f: FollowUpInput, field: string): FollowUpInput => {
      const row = parties.get(f.ownerPartyId);
      const email = f.ownerEmail?.toLowerCase();
      if (email && !row?.contacts.some((c) => c.email.toLowerCase() === email)) {
        throw new Refusal(
          400,
          'unknown_contact',
          `${f.ownerEmail} bukan kontak pihak "${f.ownerPartyId}" di direktori.`,
          `${field}ownerEmail`,
        );
      }
      const placed =
        !agreement.partyIds.includes(f.ownerPartyId) && row?.parent_id && agreement.partyIds.includes(row.parent_id);
      return { ...f, ...(placed ? { ownerParentId: row.parent_id!, ownerTimeZone: row.time_zone } : {}) };
    };
    if (command.type === 'openFollowUp') return { ...command, ...owner(command, '') };
    if (command.type === 'recordMinutes' && command.followUps) {
      return { ...command, followUps: command.followUps.map((f, i) => owner(f, `followUps[${i}].`)) };
    }
    return command;
  }
}

const unknownAgreement = (id: string, field: string): Refusal =>
  new Refusal(400, 'unknown_agreement', `Kesepakatan "${id}" tidak ada.`, field);

const isNotFound = (err: unknown): boolean => err instanceof Refusal && err.statusCode === 404;

/** Ids derived from an Idempotency-Key live here; a client may not choose one (no pre-empting another's create). */
export const KEYED_ID_PREFIX = 'idem-';

/** Every id a caller may choose (an agreement's, a PKS's) stays out of the namespace of ids made from keys. */
function refuseReservedId(id: string | undefined): void {
  if (id?.startsWith(KEYED_ID_PREFIX)) {
    throw new Refusal(
      400,
      'reserved_id',
      `id yang diawali "${KEYED_ID_PREFIX}" disediakan untuk Idempotency-Key.`,
      'id',
    );
  }
}
/** The workflow memo that names the request (principal and Idempotency-Key, hashed) that started it. */
const START_REQUEST_MEMO = 'startRequest';

/** The agreement id a create with this key gets, so that concurrent copies collide on one workflow id. */
export function idFromKey(principalId: string, key: string): string {
  return `${KEYED_ID_PREFIX}${requestDigest(principalId, key).slice(0, 24)}`;
}

/** One request as its principal and Idempotency-Key name it, hashed. */
const requestDigest = (principalId: string, key: string): string => createHashHex(`${principalId}\n${key}`);

const createHashHex = (text: string): string => createHash('sha256').update(text).digest('hex');
