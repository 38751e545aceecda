// The agreement workflow on the time-skipping test server, with its real activities (PostgreSQL, SMTP on loopback).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { addDays, addMonths } from '../../domain/dates.js';
import { DEFAULT_POLICY } from '../../domain/types.js';
import {
  TASK_QUEUE,
  commandUpdates,
  viewQuery,
  workflowIdFor,
  type AgreementWorkflowInput,
} from '../../workflows/messages.js';
import { agreementWorkflow } from '../../workflows/agreement.js';
import { INSTRUMENT, PARTIES, STAGE } from '../../workflows/search-attributes.js';
import { eventually, startStack, type Stack } from '../support/stack.js';
import { insertParties, lapasGarut, pemkabGarut } from '../support/scenario.js';
import { datesFrom, type TestDates } from '../support/test-dates.js';

let stack: Stack;
/** Dates from the time-skipping server's clock, read when it starts. */
let d: TestDates;
beforeAll(async () => {
  stack = await startStack({ timeSkipping: true });
  d = datesFrom(await stack.env.currentTimeMs());
  await insertParties(stack.database.db, [lapasGarut, pemkabGarut]);
});
afterAll(async () => stack?.stop());

const actor = { kind: 'token' as const, id: 'test', role: 'admin' };
let seq = 0;

async function startAgreement() {
  const agreementId = `wf-${++seq}`;
  const input: AgreementWorkflowInput = {
    agreementId,
    actor,
    start: {
      type: 'startAgreement',
      title: 'MoU Garut',
      instrument: 'nota_kesepahaman',
      scope: [],
      termMonths: 60,
      policy: DEFAULT_POLICY,
      parties: [
        { partyId: 'lapas-garut', role: 'initiator', timeZone: 'Asia/Jakarta' },
        { partyId: 'pemkab-garut', role: 'counterpart', timeZone: 'Asia/Jakarta' },
      ],
    },
  };
  const handle = await stack.env.client.workflow.start(agreementWorkflow, {
    workflowId: workflowIdFor(agreementId),
    taskQueue: TASK_QUEUE,
    args: [input],
  });
  return { agreementId, handle };
}

async function toDrafting(handle: Awaited<ReturnType<typeof startAgreement>>['handle']) {
  const view = await handle.executeUpdate(commandUpdates.scheduleMeeting, {
    args: [
      {
        actor,
        command: { type: 'scheduleMeeting', kind: 'audiensi', at: d.at(d.workingDays(-5)), venue: 'Setda Garut' },
      },
    ],
  });
  return handle.executeUpdate(commandUpdates.recordMinutes, {
    args: [
      {
        actor,
        command: {
          type: 'recordMinutes',
          meetingId: view.meetings[0]!.id,
          attendees: [{ name: 'Widi', position: 'Kabag', partyId: 'pemkab-garut' }],
          summary: 'ok',
          outcome: 'proceed_to_drafting',
        },
      },
    ],
  });
}

const storedVersions = async (id: string) =>
  (
    await stack.database.db
      .selectFrom('events')
      .select('version')
      .where('stream_id', '=', id)
      .orderBy('version')
      .execute()
  ).map((r) => r.version);
/** The stream's events but the e-mail receipts, which arrive on their own schedule. */
const commandEvents = async (id: string) =>
  await stack.database.db
    .selectFrom('events')
    .select(['version', 'type'])
    .where('stream_id', '=', id)
    .where('type', '!=', 'NotificationSent')
    .orderBy('version')
    .execute();

describe('agreement workflow', () => {
  it('goes from audiensi to an active agreement through updates', async () => {
    const { agreementId, handle } = await startAgreement();
    expect((await toDrafting(handle)).stage).toBe('drafting');
    await handle.executeUpdate(commandUpdates.submitDraft, {
      args: [{ actor, command: { type: 'submitDraft', documentUrl: 'https://docs.test/v1.pdf' } }],
    });
    await handle.executeUpdate(commandUpdates.reviewDraft, {
      args: [{ actor, command: { type: 'reviewDraft', version: 1, partyId: 'lapas-garut', decision: 'approve' } }],
    });
    const signing = await handle.executeUpdate(commandUpdates.reviewDraft, {
      args: [{ actor, command: { type: 'reviewDraft', version: 1, partyId: 'pemkab-garut', decision: 'approve' } }],
    });
    expect(signing.stage).toBe('signing');
    await handle.executeUpdate(commandUpdates.scheduleSigning, {
      args: [
        {
          actor,
          command: {
            type: 'scheduleSigning',
            at: d.at(d.workingDays(-1), '10:00'),
            venue: 'Lapas Garut',
            signatories: [{ partyId: 'lapas-garut', name: 'Rusdedy', position: 'Kalapas' }],
          },
        },
      ],
    });
    const active = await handle.executeUpdate(commandUpdates.recordSigning, {
      args: [
        {
          actor,
          command: {
            type: 'recordSigning',
            signedAt: d.workingDays(-1),
            documentNumbers: { 'lapas-garut': 'A/1', 'pemkab-garut': 'B/2' },
          },
        },
      ],
    });
    expect(active.stage).toBe('active');
    expect(active.term).toEqual({ start: d.workingDays(-1), end: addDays(addMonths(d.workingDays(-1), 60), -1) });
    // The live view may already hold the e-mail receipts recorded since (NotificationSent), never less.
    const live = await handle.query(viewQuery);
    expect(live.stage).toBe('active');
    expect(live.version).toBeGreaterThanOrEqual(active.version);
    // Operators find it in the Temporal UI by stage, instrument and party.
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(STAGE)).toBe('active');
    expect(attributes.get(INSTRUMENT)).toBe('nota_kesepahaman');
    expect(attributes.get(PARTIES)).toEqual(['lapas-garut', 'pemkab-garut']);
    // Every e-mail the workflow queued is delivered and recorded as an event.
    const sent = await eventually('all e-mails sent', async () => {
      const rows = await stack.database.db
        .selectFrom('notifications')
        .select(['status', 'template'])
        .where('agreement_id', '=', agreementId)
        .execute();
      return rows.length === 5 && rows.every((r) => r.status === 'sent') && rows;
    });
    // One review request per party, each with a link that acts for that party only.
    expect(sent.map((r) => r.template).sort()).toEqual([
      'meeting_invitation',
      'review_request',
      'review_request',
      'signing_confirmation',
      'signing_invitation',
    ]);
    const receipts = await eventually('each e-mail recorded as an event', async () => {
      const rows = await stack.database.db
        .selectFrom('events')
        .select('data')
        .where('stream_id', '=', agreementId)
        .where('type', '=', 'NotificationSent')
        .execute();
      return rows.length === 5 && rows;
    });
    expect(new Set(receipts.map((r) => (r.data as { messageId: string }).messageId)).size).toBe(5);
    const versions = await storedVersions(agreementId);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('refuses a command the state forbids in the validator, recording nothing', async () => {
    const { agreementId, handle } = await startAgreement();
    await toDrafting(handle);
    await handle.executeUpdate(commandUpdates.submitDraft, {
      args: [{ actor, command: { type: 'submitDraft', documentUrl: 'https://docs.test/v1.pdf' } }],
    });
    await handle.executeUpdate(commandUpdates.submitDraft, {
      args: [{ actor, command: { type: 'submitDraft', documentUrl: 'https://docs.test/v2.pdf' } }],
    });
    const before = await commandEvents(agreementId);
    const refused = handle.executeUpdate(commandUpdates.reviewDraft, {
      args: [{ actor, command: { type: 'reviewDraft', version: 1, partyId: 'pemkab-garut', decision: 'approve' } }],
    });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({
      cause: { type: 'CommandRejected', message: expect.stringContaining('versi 2') },
    });
    const recordSigning = handle.executeUpdate(commandUpdates.recordSigning, {
      args: [{ actor, command: { type: 'recordSigning', signedAt: d.today, documentNumbers: {} } }],
    });
    await expect(recordSigning).rejects.toMatchObject({ cause: { type: 'CommandRejected' } });
    const history = await handle.fetchHistory();
    const rejectedInHistory =
      history.events?.filter(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'reviewDraft',
      ) ?? [];
    expect(rejectedInHistory).toHaveLength(0);
    expect(await commandEvents(agreementId)).toEqual(before);
    expect((await handle.query(viewQuery)).drafts.flatMap((d) => d.reviews)).toEqual([]);
  });

  it('handles concurrent updates one at a time, with contiguous versions', async () => {
    const { agreementId, handle } = await startAgreement();
    await toDrafting(handle);
    await handle.executeUpdate(commandUpdates.submitDraft, {
      args: [{ actor, command: { type: 'submitDraft', documentUrl: 'https://docs.test/v1.pdf' } }],
    });
    const views = await Promise.all(
      ['lapas-garut', 'pemkab-garut'].map((partyId) =>
        handle.executeUpdate(commandUpdates.reviewDraft, {
          args: [{ actor, command: { type: 'reviewDraft', version: 1, partyId, decision: 'approve' } }],
        }),
      ),
    );
    expect(views.map((v) => v.stage).sort()).toEqual(['drafting', 'signing']);
    const versions = await storedVersions(agreementId);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    const types = (
      await stack.database.db.selectFrom('events').select('type').where('stream_id', '=', agreementId).execute()
    ).map((r) => r.type);
    expect(types.filter((t) => t === 'DraftReviewed')).toHaveLength(2);
  });

  it('completes once cancelled and its notice is sent', async () => {
    const { handle } = await startAgreement();
    const view = await handle.executeUpdate(commandUpdates.cancelAgreement, {
      args: [{ actor, command: { type: 'cancelAgreement', reason: 'Ditunda' } }],
    });
    expect(view).toMatchObject({ stage: 'ended', endReason: 'cancelled', endNote: 'Ditunda' });
    await handle.result();
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });
});
