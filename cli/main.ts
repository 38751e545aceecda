// `sinergi`: the operator's command line (tokens, migrations, projections, exports).
import { Command, InvalidArgumentError } from 'commander';
import { rebuildNumberRegister } from '../activities/numbering/register.js';
import { rebuildAgreementsInThreads } from '../activities/projections/rebuild/in-threads.js';
import { backfillOverview, rebuildOverview } from '../activities/projections/overview.js';
import { loadConfig } from '../config/env.js';
import { migrateToLatest } from '../schema/migrate.js';
import { createDb } from '../infra/connections.js';
import { writeFileSync } from 'node:fs';
import { exportAgreement } from './export.js';
import { exportWithDocuments, verifyDocuments } from './documents.js';
import { reverifySignatures } from '../services/documents/signatures/reverify.js';
import { pendingActivities, releaseStuckCommand } from './release.js';
import type { Client } from '@temporalio/client';
import { connectTemporal } from '../infra/temporal.js';
import { openAgreements, recoverAgreement, type Recovery } from '../services/recover.js';
import { createToken, listTokens, revokeToken, ROLES } from './tokens.js';
import { createOperator, disableOperator, listOperators } from '../services/people.js';
import type { Role } from '../services/access.js';

function date(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError('expected a date (YYYY-MM-DD) or an ISO instant');
  return d;
}

async function withDb<T>(run: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const db = createDb(loadConfig().databaseUrl, 2);
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

async function withTemporal<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const temporal = await connectTemporal(config);
  try {
    return await run(temporal.client);
  } finally {
    await temporal.close();
  }
}

const program = new Command('sinergi').description('Sinergi operations').showHelpAfterError();

const user = program
  .command('user')
  .description('operators (admins and viewers) who sign in to the dashboard by e-mail');
user
  .command('create')
  .requiredOption('--email <address>', 'their e-mail address')
  .requiredOption('--role <role>', 'admin or viewer')
  .option('--name <name>', 'their name, as the audit trail shows it')
  .description('create an operator (or bring a disabled one back)')
  .action(async (o: { email: string; role: string; name?: string }) => {
    if (o.role !== 'admin' && o.role !== 'viewer') throw new InvalidArgumentError('--role must be admin or viewer');
    if (!/^[^\s@]+@[^\s@]+$/.test(o.email)) throw new InvalidArgumentError('--email must be an e-mail address');
    await withDb((db) =>
      createOperator(db, { email: o.email, name: o.name ?? o.email, role: o.role as 'admin' | 'viewer' }),
    );
    console.log(`${o.email.toLowerCase()}\t${o.role}\tmay sign in by e-mail`);
  });
user
  .command('list')
  .description('list operators')
  .action(async () => {
    for (const r of await withDb(listOperators))
      console.log([r.email, r.role, r.name, r.disabled_at ? 'disabled' : 'active'].join('\t'));
  });
user
  .command('disable <email>')
  .description('disable an operator and end every session of theirs')
  .action(async (email: string) => {
    const done = await withDb((db) => disableOperator(db, email));
    console.log(done ? `${email} disabled; their sessions ended` : `no active operator ${email}`);
    if (!done) process.exitCode = 1;
  });

const token = program.command('token').description('bearer tokens for the API');
token
  .command('create')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .option('--party <partyId>', 'the party a party token acts for')
  .option('--expires <date>', 'when the token stops working', date)
  .option('--label <text>', 'a note to recognise it by')
  .description('create a token and print it once')
  .action(async (o: { role: Role; party?: string; expires?: Date; label?: string }) => {
    const created = await withDb((db) =>
      createToken(db, {
        role: o.role,
        ...(o.party ? { partyId: o.party } : {}),
        ...(o.expires ? { expiresAt: o.expires } : {}),
        ...(o.label ? { label: o.label } : {}),
      }),
    );
    console.log(`id     ${created.id}\ntoken  ${created.token}\n(the token is shown only now; it is stored as a hash)`);
  });
token
  .command('list')
  .description('list tokens (never the tokens themselves)')
  .action(async () => {
    const rows = await withDb(listTokens);
    for (const r of rows) {
      const state = r.revoked_at ? 'revoked' : r.expires_at && r.expires_at < new Date() ? 'expired' : 'active';
      console.log(
        [r.id, r.role, r.party_id ?? '-', state, r.expires_at?.toISOString() ?? '-', r.label ?? ''].join('\t'),
      );
    }
  });
token
  .command('revoke <id>')
  .description('revoke a token by its id')
  .action(async (id: string) => {
    if (!(await withDb((db) => revokeToken(db, id)))) {
      console.error(`no active token with id ${id}`);
      process.exitCode = 1;
    } else console.log(`revoked ${id}`);
  });

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const [result, filled] = await withDb(
      async (db) => [await migrateToLatest(db), await backfillOverview(db)] as const,
    );
    console.log(
      result.results?.length
        ? result.results.map((r) => `${r.status} ${r.migrationName}`).join('\n')
        : 'schema up to date',
    );
    if (filled) console.log(`overview filled in for ${filled} agreements`);
  });

program
  .command('projections')
  .command('rebuild')
  .description('rewrite the read models (agreements, overview, number registers) from the events alone')
  .action(async () => {
    const [n, facts, numbers] = await withDb(async (db) => [
      await rebuildAgreementsInThreads(db, loadConfig().databaseUrl),
      await rebuildOverview(db),
      await rebuildNumberRegister(db),
    ]);
    console.log(`rebuilt ${n} agreements, the overview of ${facts} and ${numbers} document numbers`);
  });

const recoveryLine = (r: Recovery): string =>
  r.outcome === 'running'
    ? `${r.agreementId}: running at its events' version, left alone`
    : `${r.agreementId}: ${
        r.staleVersion
          ? `stale (workflow at version ${r.staleVersion.workflow}, events at ${r.staleVersion.events}), replaced`
          : 'started again'
      } from its events; ${r.mailQueued} e-mail(s) queued`;

program
  .command('recover')
  .description(
    'start again from the events every agreement not ended whose workflow this Temporal cluster lacks or holds at ' +
      "another version (after losing Temporal's database, restoring either database from a backup, or moving from " +
      'a pilot to a new cluster)',
  )
  .action(async () => {
    const done = await withDb((db) =>
      withTemporal(async (client) => {
        const all = [];
        for (const { id } of await openAgreements(db)) {
          const r = await recoverAgreement(db, client, id);
          console.log(recoveryLine(r));
          all.push(r);
        }
        return all;
      }),
    );
    const recovered = done.filter((r) => r.outcome !== 'running').length;
    console.log(`${recovered} recovered, ${done.length} not ended`);
  });

const agreements = program.command('agreements').description('one agreement at a time');
agreements
  .command('export <id>')
  .description("print an agreement's full event history and documents as JSON")
  .option('--with-documents <zip>', 'write a zip instead: agreement.json and each kept file under documents/<sha256>')
  .action(async (id: string, opts: { withDocuments?: string }) => {
    if (opts.withDocuments) {
      const zip = await withDb((db) => exportWithDocuments(db, id));
      if (!zip) {
        console.error(`no agreement ${id}`);
        process.exitCode = 1;
      } else {
        writeFileSync(opts.withDocuments, zip);
        console.log(`wrote ${opts.withDocuments} (${zip.length} bytes)`);
      }
      return;
    }
    const exported = await withDb((db) => exportAgreement(db, id));
    if (!exported) {
      console.error(`no agreement ${id}`);
      process.exitCode = 1;
    } else console.log(JSON.stringify(exported, null, 2));
  });

agreements
  .command('release <id>')
  .description('free an agreement whose command keeps failing to store: the command is refused, nothing is stored')
  .action(async (id: string) => {
    await withTemporal(async (client) => {
      const before = await pendingActivities(client, id);
      for (const a of before)
        console.log(`waiting on ${a.activity}, attempt ${a.attempt}${a.lastFailure ? `: ${a.lastFailure}` : ''}`);
      if (!before.some((a) => a.activity === 'appendEvents'))
        console.log('no append under way; sending the release anyway');
      const left = await releaseStuckCommand(client, id);
      if (left.length > 0) {
        console.error(
          `still waiting on appendEvents (attempt ${left[0]!.attempt}, state ${left[0]!.state}); try again`,
        );
        process.exitCode = 1;
      } else console.log(`released ${id}: the command was refused and the agreement takes commands again`);
    });
  });

const documents = program.command('documents').description('check the kept documents and their signatures');
documents
  .command('verify')
  .description('hash every stored document again and list any whose bytes no longer match')
  .action(async () => {
    const { checked, mismatches } = await withDb(verifyDocuments);
    for (const m of mismatches) {
      const what = m.actual ? `stored bytes hash to ${m.actual}` : 'stored bytes are missing';
      console.log(
        `MISMATCH ${m.sha256}: ${what}; ${m.documents
          .map((d) => `${d.id} (${d.filename}, ` + `agreement ${d.agreementId})`)
          .join(', ')}`,
      );
    }
    console.log(`${checked} stored files checked, ${mismatches.length} mismatched`);
    if (mismatches.length) process.exitCode = 1;
  });

documents
  .command('verify-signatures [agreementId]')
  .description('check every signed copy of the electronic rounds again, with the trust anchors as they are now')
  .action(async (agreementId: string | undefined) => {
    const verdicts = await withDb((db) => reverifySignatures(db, loadConfig().tteTrustDir, agreementId));
    const failed = verdicts.filter((v) => !v.ok);
    for (const v of failed)
      console.log(`NOT VERIFIED ${v.agreementId} step ${v.step} (${v.name}): ${v.reason}: ${v.detail}`);
    const agreements = new Set(verdicts.map((v) => v.agreementId)).size;
    console.log(`${verdicts.length} signed copies of ${agreements} agreements checked, ${failed.length} not verified`);
    if (failed.length) process.exitCode = 1;
  });

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
