// An umbrella's PKS page: coverage per OPD, many PKS started in one step, every unsigned OPD reminded at once.
// The rules are the agreement's and the service's; this page reads the form and shows what they answered.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { allowedCommands } from '../../domain/allowed.js';
import { refusalOf as serviceRefusal, type OperationalAgreementBatch } from '../../services/agreements.js';
import { listParties } from '../../services/directory.js';
import { Refusal } from '../../services/errors.js';
import type { Principal } from '../auth.js';
import { OperationalAgreementBatchInput } from '../schemas/agreements.js';
import { Line } from '../schemas/common.js';
import { attempt, hidden, type PageKit, type Refused } from './kit.js';
import { today } from './forms.js';
import { html } from './html.js';
import { coverageOf, coveragePage, type CoverageData } from './pages/coverage.js';
import { partyName, type Directory } from './pages/format.js';
import { AgreementParams, FormBody } from './schemas.js';
import { validated } from './validate.js';

const CoverageQuery = Type.Object({ cari: Type.Optional(Line(200, 0)) }, { additionalProperties: false });

const lines = (s: string | undefined): string[] =>
  (s ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** A refusal a page can show; anything else is a fault and goes on to the error handler. */
/** The service's refusal (its Temporal errors mapped too) as a page shows it; anything else is a fault. */
function shown(err: unknown): Refused {
  const refused = serviceRefusal(err);
  if (!(refused instanceof Refusal)) throw refused;
  return { status: refused.statusCode, message: refused.message, ...(refused.field ? { field: refused.field } : {}) };
}

export function pksRoutes(kit: PageKit): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { send, sessionOf, guarded } = kit;

    async function render(
      reply: FastifyReply,
      principal: Principal,
      id: string,
      extra: Pick<CoverageData, 'search' | 'outcome' | 'error'> = {},
      status = 200,
    ) {
      const read = await attempt(() => app.agreements.read(principal, id), shown);
      if (!read.ok) {
        const status = read.refused.status === 400 ? 404 : read.refused.status;
        return send(reply, status, 'Tidak ditemukan', html`<h1>Tidak ditemukan</h1>`, principal);
      }
      const view = read.value;
      const parties = await listParties(app.db);
      const directory: Directory = new Map(parties.map((p) => [p.id, p]));
      const viewer = { role: principal.role, ...(principal.partyId ? { partyId: principal.partyId } : {}) };
      const initiator = directory.get(view.parties.find((p) => p.role === 'initiator')!.partyId);
      const implementers = parties.filter(
        (p) =>
          p.id === initiator?.id ||
          (p.kind === 'upt' && initiator?.parentId !== undefined && p.parentId === initiator.parentId),
      );
      const data: CoverageData = {
        view,
        directory,
        rows: coverageOf(view, directory, today()),
        implementers,
        mayStart: allowedCommands(view, viewer).has('startOperationalAgreements'),
        mayRemind: principal.role !== 'viewer',
        ...extra,
      };
      return send(reply, status, `PKS: ${view.title}`, coveragePage(data), principal);
    }

    app.get(
      '/kesepakatan/:id/pks',
      { ...guarded, schema: { ...hidden, params: AgreementParams, querystring: CoverageQuery } },
      async (request, reply) =>
        render(
          reply,
          sessionOf(request).principal,
          request.params.id,
          request.query.cari ? { search: request.query.cari } : {},
        ),
    );

    app.post(
      '/kesepakatan/:id/pks',
      { ...guarded, schema: { ...hidden, params: AgreementParams, body: FormBody } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const { id } = request.params;
        const form = request.body;
        const opdIds = Object.keys(form)
          .filter((k) => k.startsWith('opd-') && form[k] === '1')
          .map((k) => k.slice(4));
        const started = await attempt(async () => {
          if (opdIds.length === 0) throw new Refusal(400, 'no_opd', 'Pilih sedikitnya satu OPD.', 'opdIds');
          const body = validated<OperationalAgreementBatch>(request, OperationalAgreementBatchInput, {
            opdIds,
            title: form['title'] ?? '',
            scope: lines(form['scope']),
            ...(form['implementerId'] ? { implementerId: form['implementerId'] } : {}),
            ...(form['dueBy'] ? { dueBy: form['dueBy'] } : {}),
          });
          const result = await app.agreements.startOperationalAgreements(principal, id, body);
          const directory: Directory = new Map((await listParties(app.db)).map((p) => [p.id, p]));
          const names = result.existing.map((e) => partyName(directory, e.partyId)).join(', ');
          const existing = result.existing.length ? ` ${result.existing.length} OPD sudah punya PKS: ${names}.` : '';
          return html`${result.started.length} PKS dimulai.${existing}`;
        }, shown);
        if (!started.ok) {
          const { message, field, status } = started.refused;
          return render(reply, principal, id, { error: { message, ...(field ? { field } : {}) } }, status);
        }
        const outcome = started.value;
        return render(reply, principal, id, { outcome });
      },
    );

    app.post(
      '/kesepakatan/:id/pks/ingatkan',
      { ...guarded, schema: { ...hidden, params: AgreementParams, body: FormBody } },
      async (request, reply) => {
        const { principal } = sessionOf(request);
        const { id } = request.params;
        const note = request.body['note']?.trim();
        const reminded = await attempt(async () => {
          const result = await app.agreements.remindOperationalAgreements(principal, id, note || undefined);
          const skipped = result.skipped.length
            ? html` ${result.skipped.length} dilewati: ${result.skipped.map((s) => s.reason).join(' ')}`
            : '';
          return html`Pengingat dikirim ke ${result.reminded.length} OPD.${skipped}`;
        }, shown);
        if (!reminded.ok) {
          return render(
            reply,
            principal,
            id,
            { error: { message: reminded.refused.message } },
            reminded.refused.status,
          );
        }
        const outcome = reminded.value;
        return render(reply, principal, id, { outcome });
      },
    );
  };
}
