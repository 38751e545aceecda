// A first draft written by Sinergi from the agreement's own data, kept as a document and submitted as the next
// draft version through the same command as any other draft.
import type { Kysely } from 'kysely';
import { localDate } from '../../domain/dates.js';
import { INSTRUMENT_LABEL } from '../../domain/labels.js';
import { ceremonyOf } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import type { Database } from '../../schema/database.js';
import { loadVisibleAgreement, type Principal } from '../access.js';
import { readView } from '../agreement-reads.js';
import type { SentCommand } from '../agreements.js';
import { listParties } from '../directory.js';
import { notFound } from '../errors.js';
import { draftDocx } from './draft/generate.js';
import { readTemplate } from './draft/template.js';
import type { DocumentService } from './service.js';
import { initiatorZone } from '../../domain/deadlines.js';

/** The one call of the agreement service a generated draft needs. */
export interface CommandSender {
  command(principal: Principal, id: string, command: SentCommand): Promise<AgreementView>;
}

export class DraftService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly agreements: CommandSender,
    private readonly documents: DocumentService,
    private readonly templatePath: string,
  ) {}

  async generate(principal: Principal, id: string, now = Date.now()): Promise<AgreementView> {
    await loadVisibleAgreement(this.db, principal, id);
    const view = await readView(this.db, id);
    if (!view) throw notFound(`Kesepakatan "${id}"`);
    const zone = initiatorZone(view);
    // The opening names the ceremony's day when one is planned, else today.
    const ceremony = ceremonyOf(view.signing);
    const date = ceremony ? localDate(ceremony.at, zone) : localDate(now, zone);
    const directory = new Map((await listParties(this.db)).map((p) => [p.id, p]));
    const bytes = await draftDocx(await readTemplate(this.templatePath), view, directory, date);
    const filename = `Draf ${INSTRUMENT_LABEL[view.instrument]} - ${view.title}.docx`
      .replace(/[\\/:*?"<>|]/g, '-')
      .slice(0, 180);
    const doc = await this.documents.upload(principal, id, { kind: 'draft', filename, bytes });
    try {
      return await this.agreements.command(principal, id, {
        type: 'submitDraft',
        documentUrl: '',
        documentId: doc.id,
        note: 'Draf pertama dibuat Sinergi dari data kesepakatan.',
      });
    } catch (err) {
      // A refused draft leaves nothing behind: the upload goes too (its bytes stay only if another document has them).
      await this.documents.forget(doc.id);
      throw err;
    }
  }
}
