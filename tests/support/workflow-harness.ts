// Shared helpers for workflow tests: parties in the directory, agreements driven by updates, mail and event reads.
import { simpleParser } from 'mailparser';
import { localDate } from '../../domain/dates.js';
import { DEFAULT_POLICY, type Policy, type TimeZone } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import { agreementWorkflow } from '../../workflows/agreement.js';
import {
  TASK_QUEUE,
  commandUpdates,
  workflowIdFor,
  type AgreementWorkflowInput,
  type UpdateCommandType,
} from '../../workflows/messages.js';
import { eventually, type Stack } from './stack.js';

export const actor = { kind: 'token' as const, id: 'test', role: 'admin' };
const contacts = (slug: string) => [
  { name: 'L', position: 'Kasubag', email: `penghubung@${slug}.test`, role: 'liaison' },
  { name: 'K', position: 'Kepala', email: `kepala@${slug}.test`, role: 'signatory' },
  { name: 'A', position: 'Sekretaris', email: `atasan@${slug}.test`, role: 'supervisor' },
];

export function harness(stack: () => Stack) {
  const db = () => stack().database.db;
  let seq = 0;

  return {
    async party(id: string, timeZone: TimeZone = 'Asia/Jakarta', parentId: string | null = null) {
      await db()
        .insertInto('parties')
        .values({
          id,
          name: id,
          kind: 'upt',
          parent_id: parentId,
          time_zone: timeZone,
          contacts: JSON.stringify(contacts(id)),
          updated_at: new Date(),
        })
        .execute();
    },
    serverNow: () => stack().env.currentTimeMs(),
    async today(tz: TimeZone = 'Asia/Jakarta') {
      return localDate(await stack().env.currentTimeMs(), tz);
    },
    async sleepUntil(instant: string) {
      const ms = Date.parse(instant) - (await stack().env.currentTimeMs());
      if (ms > 0) await stack().env.sleep(ms);
    },
    async start(opts: { policy?: Partial<Policy>; historyLimit?: number; parties?: [string, string] } = {}) {
      const [a, b] = opts.parties ?? ['upt-a', 'pemda-b'];
      const agreementId = `wf-${Date.now().toString(36)}-${++seq}`;
      const input: AgreementWorkflowInput = {
        agreementId,
        actor,
        ...(opts.historyLimit ? { historyLimit: opts.historyLimit } : {}),
        start: {
          type: 'startAgreement',
          title: `Uji ${seq}`,
          instrument: 'nota_kesepahaman',
          scope: ['uji'],
          termMonths: 60,
          policy: { ...DEFAULT_POLICY, ...opts.policy },
          parties: [
            { partyId: a, role: 'initiator', timeZone: 'Asia/Jakarta' },
            { partyId: b, role: 'counterpart', timeZone: 'Asia/Jakarta' },
          ],
        },
      };
      const handle = await stack().env.client.workflow.start(agreementWorkflow, {
        workflowId: workflowIdFor(agreementId),
        taskQueue: TASK_QUEUE,
        args: [input],
      });
      const run = (name: UpdateCommandType, command: Record<string, unknown> = {}, id = agreementId) =>
        stack()
          .env.client.workflow.getHandle(workflowIdFor(id))
          .executeUpdate(
            commandUpdates[name] as never,
            { args: [{ actor, command: { type: name, ...command } }] } as never,
          ) as Promise<AgreementView>;
      return { agreementId, handle, run, parties: [a, b] as const };
    },
    async events(id: string) {
      return db()
        .selectFrom('events')
        .select(['version', 'type', 'data', 'event_id'])
        .where('stream_id', '=', id)
        .orderBy('version')
        .execute();
    },
    async view(id: string) {
      return (await db().selectFrom('agreements').select('view').where('id', '=', id).executeTakeFirstOrThrow())
        .view as AgreementView;
    },
    async mails(id: string) {
      const rows = await db()
        .selectFrom('notifications')
        .select(['message_id', 'template'])
        .where('agreement_id', '=', id)
        .execute();
      const templateOf = new Map(rows.map((r) => [r.message_id, r.template]));
      const parsed = await Promise.all(stack().sink.received.map((m) => simpleParser(m.raw)));
      return parsed
        .filter((m) => m.messageId && templateOf.has(m.messageId))
        .map((m) => ({
          template: templateOf.get(m.messageId!)!,
          messageId: m.messageId!,
          to: (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((x) => x.value.map((v) => v.address!)).sort(),
          cc: (Array.isArray(m.cc) ? m.cc : m.cc ? [m.cc] : []).flatMap((x) => x.value.map((v) => v.address!)).sort(),
          subject: m.subject ?? '',
          text: m.text ?? '',
          mail: m,
        }));
    },
    async settled(id: string) {
      return eventually(`e-mails of ${id} sent and recorded`, async () => {
        const rows = await db().selectFrom('notifications').select('status').where('agreement_id', '=', id).execute();
        const recorded = (
          await db()
            .selectFrom('events')
            .select('version')
            .where('stream_id', '=', id)
            .where('type', '=', 'NotificationSent')
            .execute()
        ).length;
        return rows.every((r) => r.status === 'sent') && recorded === rows.length;
      });
    },
  };
}
