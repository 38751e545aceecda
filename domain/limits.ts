// How large one agreement may grow. Temporal refuses a payload over 2 MB and every append carries the whole view,
// so an agreement that outgrew it would fail its workflow task forever. These limits keep it well inside.
import type { Command } from './commands.js';
import type { DomainEvent, EventMeta, RecordedEvent } from './events.js';
import { evolve } from './evolve.js';
import { reject } from './rejection.js';
import type { AgreementState } from './types.js';
import { toView } from './view.js';

/** Counts a real agreement stays far below (a Nota Kesepakatan with 21 OPD, five years of monev). */
export const MAX_PER_AGREEMENT = {
  meetings: 100,
  followUps: 500,
  drafts: 100,
  // A batch takes up to 200 OPDs at once (a Pemda has some 30); each entry is a few hundred bytes of the view.
  operationalAgreements: 250,
  reports: 200,
} as const;

/** Parties to one agreement: every meeting e-mails each party's liaisons, so the list stays a real table's size. */
export const MAX_PARTIES = 12;

/** The view after a command must fit this: a quarter of Temporal's 2 MB payload limit (it warns at 512 KB). */
export const VIEW_BUDGET_BYTES = 512 * 1024;

type Counted = keyof typeof MAX_PER_AGREEMENT;
const LABEL: Record<Counted, string> = {
  meetings: 'pertemuan',
  followUps: 'tindak lanjut',
  drafts: 'versi draf',
  operationalAgreements: 'perjanjian kerja sama operasional',
  reports: 'laporan monev',
};

/** Refuses a command that would take one agreement past the count it allows. */
export function requireRoom(state: AgreementState, what: Counted, adding: number): void {
  const max = MAX_PER_AGREEMENT[what];
  const current = state[what].length;
  if (adding > 0 && current + adding > max) {
    reject(
      'limit_reached',
      `Satu kesepakatan memuat paling banyak ${max} ${LABEL[what]} (sudah ${current}); ` +
        'mulai kesepakatan atau perjanjian baru bila memang diperlukan.',
    );
  }
}

/** Bytes of a string in UTF-8, without the platform's encoder (domain code stays free of globals). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The size of the view a state shows, as stored and sent. */
export const viewBytes = (state: AgreementState): number => utf8Length(JSON.stringify(toView(state)));

/** The engine's own commands are never refused for size: escalations must not stop. */
const EXEMPT = new Set<Command['type']>(['fireDeadlines', 'endWithUmbrella']);

/** Refuses events that would grow the agreement's view past the budget (409 with the reason). */
export function requireWithinBudget(state: AgreementState, command: Command, events: DomainEvent[], now: string): void {
  if (EXEMPT.has(command.type) || events.length === 0) return;
  const meta: EventMeta = { actor: { kind: 'system', id: 'budget' }, occurredAt: now };
  const next = events.reduce((s, e) => evolve(s, { ...e, id: 'budget', meta } as RecordedEvent), state);
  const bytes = viewBytes(next);
  if (bytes > VIEW_BUDGET_BYTES) {
    reject(
      'agreement_too_large',
      `Kesepakatan ini akan menjadi ${Math.ceil(bytes / 1024)} KB, melebihi batas ` +
        `${VIEW_BUDGET_BYTES / 1024} KB untuk satu kesepakatan; persingkat isian atau catat rinciannya dalam dokumen.`,
    );
  }
}
