// decide(state, command) -> events: every rule about what a command may do lives here.
import type { CeremonyPlan, Command, CommandOf, ElectronicPlan, FollowUpInput, UnderUmbrella } from './commands.js';
import { addDays, addMonths, isCalendarDate, isInstant, localDate } from './dates.js';
import type { DomainEvent, FollowUpOpenedData } from './events.js';
import { CommandRejected, reject } from './rejection.js';
import {
  ceremonyOf,
  type AgreementParty,
  type AgreementState,
  type DocumentRef,
  type ElectronicSigning,
} from './types.js';
import { END_REASON_LABEL, STAGE_LABEL } from './labels.js';
import { formatDate, formatInstant } from './format.js';
import type { WorkingCalendar } from './calendar.js';
import { dueAlarms, initiatorZone, planFollowUp, planReview } from './deadlines.js';
import { MAX_PARTIES, requireRoom, requireWithinBudget } from './limits.js';
import { numberedParties } from './numbering.js';
import {
  PRECONDITIONS,
  draftToReview,
  followUpNamed,
  meetingToChange,
  closableFollowUp,
  openFollowUpNamed,
  requireParty,
  type PersonCommand,
} from './preconditions.js';

export interface DecideContext {
  /** The instant the command is decided (workflow time). */
  now: string;
  /** Deterministic ids from the workflow. */
  newId: () => string;
  /** Working days, from the holiday lists as last loaded. */
  calendar: WorkingCalendar;
  /**
   * Asked only when a command ends the agreement: whether to call off the meetings and ceremony still ahead.
   * The workflow answers from a patch marker, so runs recorded before this rule replay as they ran.
   */
  callsOffWhatIsAhead?: () => boolean;
  /**
   * Asked only when a date is one the date rules would refuse or re-plan (a past due date, minutes of a meeting
   * ahead): whether they apply. The workflow answers from a patch marker, so runs recorded before them replay.
   */
  checksDates?: () => boolean;
  /**
   * Asked only when changes are requested without a note: whether that is refused. The workflow answers from a
   * patch marker, so runs recorded before the rule replay as they ran.
   */
  checksChangeNotes?: () => boolean;
}

type Decider<T extends Command['type']> = (
  state: AgreementState,
  command: CommandOf<T>,
  ctx: DecideContext,
) => DomainEvent[];

function requireInstant(value: string, field: string): void {
  if (!isInstant(value))
    reject(
      'invalid_instant',
      `${field} harus berupa waktu ISO-8601 dengan zona (mis. 2026-02-06T09:00:00+07:00).`,
      field,
    );
}

function requireDate(value: string, field: string): void {
  if (!isCalendarDate(value)) reject('invalid_date', `${field} harus berupa tanggal yang ada (YYYY-MM-DD).`, field);
}

function followUpOpened(
  state: AgreementState,
  input: FollowUpInput,
  field: string,
  ctx: DecideContext,
  meetingId?: string,
): FollowUpOpenedData {
  const named = (name: string) => (field ? `${field}.${name}` : name);
  requireParty(state, input.ownerParentId ?? input.ownerPartyId, named('ownerPartyId'));
  requireDate(input.due, named('due'));
  const today = localDate(ctx.now, initiatorZone(state));
  const checked = input.due < today ? (ctx.checksDates?.() ?? true) : true;
  // A date already past would escalate at once; it is taken only when the sender says the item is late.
  if (checked && input.due < today && !input.late) {
    reject(
      'due_in_past',
      `Batas waktu ${formatDate(input.due)} sudah lewat. Pilih hari ini atau sesudahnya, atau tandai ` +
        'tindak lanjut ini sebagai sudah terlambat.',
      named('due'),
    );
  }
  return {
    followUpId: ctx.newId(),
    title: input.title,
    kind: input.kind ?? 'follow_up',
    ownerPartyId: input.ownerPartyId,
    ...(input.ownerEmail ? { ownerEmail: input.ownerEmail } : {}),
    ...(input.ownerParentId && input.ownerTimeZone ? { ownerTimeZone: input.ownerTimeZone } : {}),
    due: input.due,
    ...(meetingId ? { meetingId } : {}),
    ...planFollowUp(input.due, state.policy, ctx.calendar, checked ? today : undefined),
  };
}

/**
 * An operational agreement binds only the umbrella's parties and the OPD under them. Commands recorded before
 * the directory was consulted carry no list and are taken as they were.
 */
function requireUnderUmbrella(c: UnderUmbrella, partyId: string, field: string): void {
  if (c.underUmbrella && !c.underUmbrella.includes(partyId)) {
    reject('party_outside_umbrella', `Pihak "${partyId}" tidak berada di bawah para pihak kesepakatan induk.`, field);
  }
}

/** An agreement's parties: two to MAX_PARTIES, exactly one initiator, none twice, each under the umbrella. */
function requireParties(c: UnderUmbrella & { parties: Pick<AgreementParty, 'partyId' | 'role'>[] }): void {
  if (c.parties.length < 2) reject('too_few_parties', 'Kesepakatan memerlukan sedikitnya dua pihak.', 'parties');
  if (c.parties.length > MAX_PARTIES)
    reject('too_many_parties', `Satu kesepakatan memuat paling banyak ${MAX_PARTIES} pihak.`, 'parties');
  c.parties.forEach((p, i) => requireUnderUmbrella(c, p.partyId, `parties[${i}].partyId`));
  const initiators = c.parties.filter((p) => p.role === 'initiator').length;
  if (initiators !== 1)
    reject('one_initiator', `Tepat satu pihak harus berperan initiator (ada ${initiators}).`, 'parties');
  const seen = new Set<string>();
  c.parties.forEach((p, i) => {
    if (seen.has(p.partyId))
      reject('duplicate_party', `Pihak "${p.partyId}" disebut lebih dari sekali.`, `parties[${i}].partyId`);
    seen.add(p.partyId);
  });
}

const startAgreement: Decider<'startAgreement'> = (state, c, ctx) => {
  if (state.version > 0) reject('already_started', `Kesepakatan "${state.id}" sudah ada.`);
  requireParties(c);
  if (!Number.isInteger(c.termMonths) || c.termMonths < 1)
    reject('invalid_term', 'termMonths harus bilangan bulat positif.', 'termMonths');
  if (c.dueBy) requireDate(c.dueBy, 'dueBy');
  const events: DomainEvent[] = [
    {
      type: 'AgreementStarted',
      data: {
        agreementId: state.id,
        title: c.title,
        instrument: c.instrument,
        parties: c.parties,
        scope: c.scope,
        termMonths: c.termMonths,
        policy: c.policy,
        ...(c.parentId ? { parentId: c.parentId } : {}),
        ...(c.renewalOf ? { renewalOf: c.renewalOf } : {}),
        ...(c.dueBy ? { dueBy: c.dueBy } : {}),
      },
    },
  ];
  const counterpart = c.parties.find((p) => p.role === 'counterpart');
  if (c.dueBy && counterpart) {
    // The signing deadline is a follow-up owned by the OPD: it reminds and escalates like any other.
    const started = { ...state, parties: c.parties, policy: c.policy, version: 1 };
    const data = followUpOpened(
      started,
      { title: 'Penandatanganan perjanjian kerja sama', ownerPartyId: counterpart.partyId, due: c.dueBy, late: true },
      'dueBy',
      ctx,
    );
    events.push({ type: 'FollowUpOpened', data: { ...data, purpose: 'signing' } });
  }
  if (c.startInDrafting) events.push({ type: 'StageChanged', data: { from: 'exploration', to: 'drafting' } });
  return events;
};

const scheduleMeeting: Decider<'scheduleMeeting'> = (state, c, ctx) => {
  requireRoom(state, 'meetings', 1);
  requireInstant(c.at, 'at');
  const invitees = c.invitees ?? state.parties.map((p) => p.partyId);
  invitees.forEach((id, i) => requireParty(state, id, `invitees[${i}]`));
  return [
    {
      type: 'MeetingScheduled',
      data: {
        meetingId: ctx.newId(),
        kind: c.kind,
        at: c.at,
        venue: c.venue,
        ...(c.agenda ? { agenda: c.agenda } : {}),
        invitees: [...new Set(invitees)],
      },
    },
  ];
};

const sameInstant = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);

const rescheduleMeeting: Decider<'rescheduleMeeting'> = (state, c) => {
  const meeting = meetingToChange(state, c.meetingId);
  if (c.at) requireInstant(c.at, 'at');
  const at = c.at ?? meeting.at;
  const venue = c.venue ?? meeting.venue;
  if (sameInstant(at, meeting.at) && venue === meeting.venue)
    reject('nothing_changed', 'Waktu dan tempat pertemuan tidak berubah.', 'at');
  return [
    {
      type: 'MeetingRescheduled',
      data: { meetingId: meeting.id, at, venue, previousAt: meeting.at, sequence: (meeting.sequence ?? 0) + 1 },
    },
  ];
};

const cancelMeeting: Decider<'cancelMeeting'> = (state, c) => {
  const meeting = meetingToChange(state, c.meetingId);
  if (c.reason.trim() === '') reject('reason_required', 'Alasan pembatalan wajib diisi.', 'reason');
  return [
    {
      type: 'MeetingCancelled',
      data: { meetingId: meeting.id, reason: c.reason, sequence: (meeting.sequence ?? 0) + 1 },
    },
  ];
};

/** When an agreement ends, what was still to come is called off, so every invitee's calendar drops it. */
function callOffWhatIsAhead(state: AgreementState, now: string, reason: string): DomainEvent[] {
  const ahead = (at: string) => Date.parse(at) > Date.parse(now);
  const meetings = state.meetings.filter((m) => !m.minutes && !m.cancelled && ahead(m.at));
  const events: DomainEvent[] = meetings.map((m) => ({
    type: 'MeetingCancelled',
    data: { meetingId: m.id, reason, sequence: (m.sequence ?? 0) + 1 },
  }));
  const signing = ceremonyOf(state.signing);
  if (signing && !signing.signedAt && !signing.cancelled && ahead(signing.at)) {
    events.push({ type: 'SigningCancelled', data: { reason, sequence: signing.rescheduled + 1 } });
  }
  return events;
}

const recordMinutes: Decider<'recordMinutes'> = (state, c, ctx) => {
  const meeting = state.meetings.find((m) => m.id === c.meetingId);
  if (!meeting) reject('unknown_meeting', `Pertemuan "${c.meetingId}" tidak ada dalam kesepakatan ini.`);
  if (meeting.minutes) reject('minutes_recorded', 'Notulen pertemuan ini sudah dicatat.');
  // Minutes are of a meeting that took place: one still ahead has none yet.
  if (Date.parse(meeting.at) > Date.parse(ctx.now) + CLOCK_SKEW_MS && (ctx.checksDates?.() ?? true)) {
    reject(
      'minutes_before_meeting',
      `Pertemuan ini dijadwalkan ${formatInstant(meeting.at, initiatorZone(state))} dan belum ` +
        'berlangsung; catat notulen setelah pertemuan.',
      'meetingId',
    );
  }
  if (c.outcome && state.stage !== 'exploration') {
    reject(
      'outcome_outside_exploration',
      `Hasil audiensi hanya berlaku pada tahap penjajakan; kesepakatan ini berada pada ` +
        `tahap ${STAGE_LABEL[state.stage]}.`,
    );
  }
  c.attendees.forEach((a, i) => requireParty(state, a.partyId, `attendees[${i}].partyId`));
  requireRoom(state, 'followUps', c.followUps?.length ?? 0);
  const followUps = (c.followUps ?? []).map((f, i) => followUpOpened(state, f, `followUps[${i}]`, ctx, meeting.id));
  const events: DomainEvent[] = [
    {
      type: 'MinutesRecorded',
      data: {
        meetingId: meeting.id,
        attendees: c.attendees,
        summary: c.summary,
        agreedScope: c.agreedScope ?? [],
        ...(c.outcome ? { outcome: c.outcome } : {}),
        ...(c.documents?.length ? { documents: c.documents } : {}),
      },
    },
    ...followUps.map((data): DomainEvent => ({ type: 'FollowUpOpened', data })),
  ];
  if (c.outcome === 'proceed_to_drafting')
    events.push({ type: 'StageChanged', data: { from: state.stage, to: 'drafting' } });
  if (c.outcome === 'withdrawn')
    events.push({ type: 'AgreementEnded', data: { reason: 'withdrawn', note: c.summary } });
  return events;
};

const submitDraft: Decider<'submitDraft'> = (state, c, ctx) => {
  requireRoom(state, 'drafts', 1);
  return [
    {
      type: 'DraftSubmitted',
      data: {
        version: state.drafts.length + 1,
        documentUrl: c.documentUrl,
        ...(c.sha256 ? { sha256: c.sha256.toLowerCase() } : {}),
        ...(c.note ? { note: c.note } : {}),
        ...(c.documentId ? { documentId: c.documentId } : {}),
        ...(c.changes ? { changes: c.changes } : {}),
        ...planReview(localDate(ctx.now, initiatorZone(state)), state.policy, ctx.calendar),
      },
    },
  ];
};

const reviewDraft: Decider<'reviewDraft'> = (state, c, ctx) => {
  const draft = draftToReview(state, c.version, c.partyId);
  // The drafter must know what to change: a request for changes says what.
  if (c.decision === 'request_changes' && !c.comments?.trim() && (ctx.checksChangeNotes?.() ?? true)) {
    reject('note_required', 'Tuliskan perubahan yang diminta pada catatan.', 'comments');
  }
  const events: DomainEvent[] = [
    {
      type: 'DraftReviewed',
      data: {
        version: c.version,
        partyId: c.partyId,
        decision: c.decision,
        ...(c.comments ? { comments: c.comments } : {}),
      },
    },
  ];
  const approvedBy = new Set(draft.reviews.filter((r) => r.decision === 'approve').map((r) => r.partyId));
  if (c.decision === 'approve') approvedBy.add(c.partyId);
  if (state.parties.every((p) => approvedBy.has(p.partyId))) {
    events.push({ type: 'StageChanged', data: { from: 'drafting', to: 'signing' } });
  }
  return events;
};

/** The numbers a signing carries: those written now, those taken before, and the parties to number next. */
function numbersFor(state: AgreementState, given: Record<string, string>) {
  for (const partyId of Object.keys(given)) requireParty(state, partyId, `documentNumbers.${partyId}`);
  // A number stands once taken: a new date keeps it unless another is written.
  const documentNumbers = { ...state.signing?.documentNumbers, ...given };
  const numbersToTake = numberedParties(state.parties)
    .map((p) => p.partyId)
    .filter((id) => !documentNumbers[id]);
  return {
    ...(Object.keys(documentNumbers).length ? { documentNumbers } : {}),
    ...(numbersToTake.length ? { numbersToTake } : {}),
  };
}

const scheduleSigning: Decider<'scheduleSigning'> = (state, c, ctx) =>
  c.method === 'electronic' ? startElectronicRound(state, c, ctx) : scheduleCeremony(state, c);

function scheduleCeremony(state: AgreementState, c: CeremonyPlan): DomainEvent[] {
  requireInstant(c.at, 'at');
  c.signatories.forEach((s, i) => requireParty(state, s.partyId, `signatories[${i}].partyId`));
  const data = {
    at: c.at,
    venue: c.venue,
    signatories: c.signatories,
    guests: c.guests ?? [],
    ...numbersFor(state, c.documentNumbers ?? {}),
  };
  const held = ceremonyOf(state.signing);
  if (!held) return [{ type: 'SigningScheduled', data }];
  return [
    {
      type: 'SigningRescheduled',
      data: { ...data, previousAt: held.at, sequence: held.rescheduled + 1 },
    },
  ];
}

/** The round in progress, if the agreement is being signed electronically and is not signed yet. */
const roundOf = (state: AgreementState): ElectronicSigning | undefined =>
  state.signing?.method === 'electronic' && !state.signing.signedAt && !state.signing.cancelled
    ? state.signing
    : undefined;

function startElectronicRound(state: AgreementState, c: ElectronicPlan, ctx: DecideContext): DomainEvent[] {
  requireDate(c.dueBy, 'dueBy');
  if (c.dueBy < localDate(ctx.now, initiatorZone(state)))
    reject('date_in_past', `Batas waktu ${c.dueBy} sudah lewat; pilih tanggal hari ini atau sesudahnya.`, 'dueBy');
  c.steps.forEach((step, i) => requireParty(state, step.partyId, `order[${i}].partyId`));
  const firstSign = c.steps.findIndex((step) => step.act === 'sign');
  const lateParaf = c.steps.findIndex((step, i) => step.act === 'paraf' && i > firstSign);
  if (firstSign >= 0 && lateParaf >= 0)
    reject(
      'paraf_after_sign',
      'Paraf didahulukan sebelum tanda tangan; pindahkan paraf ke awal urutan.',
      `order[${lateParaf}].act`,
    );
  const unsigned = state.parties.filter(
    (p) => !c.steps.some((step) => step.partyId === p.partyId && step.act === 'sign'),
  );
  if (unsigned.length > 0)
    reject(
      'sign_step_missing',
      `Setiap pihak menandatangani: belum ada penanda tangan untuk ${unsigned.map((p) => p.partyId).join(', ')}.`,
      'order',
    );
  if (c.textDiffers && !c.confirmTextDiffers)
    reject(
      'text_differs',
      `Teks berkas final berbeda dari draf versi ${c.approvedVersion} yang disetujui ` +
        `(${c.textDiffers.added} kata ditambah, ${c.textDiffers.removed} kata dihapus); ` +
        'periksa perbedaannya, lalu konfirmasi.',
      'confirmTextDiffers',
    );
  const started: DomainEvent = {
    type: 'ElectronicSigningStarted',
    data: {
      dueBy: c.dueBy,
      approvedVersion: c.approvedVersion,
      document: c.document,
      steps: c.steps,
      ...(c.textDiffers ? { textDiffers: c.textDiffers } : {}),
      ...numbersFor(state, c.documentNumbers ?? {}),
    },
  };
  // Each step is a follow-up owned by its person: it reminds and escalates as any other, by working days.
  return [started, stepFollowUp(state, c.steps[0]!, c.dueBy, ctx)];
}

/** The follow-up of one step of an electronic round, owned by the person whose turn it is. */
function stepFollowUp(state: AgreementState, step: ElectronicPlan['steps'][number], dueBy: string, ctx: DecideContext) {
  const title = `${step.act === 'paraf' ? 'Paraf' : 'Tanda tangan'} elektronik: ${step.name}`;
  const input = { title, ownerPartyId: step.partyId, ownerEmail: step.email, due: dueBy, late: true };
  const data = followUpOpened(state, input, 'dueBy', ctx);
  return { type: 'FollowUpOpened', data: { ...data, purpose: 'signing' } } satisfies DomainEvent;
}

/** The term, the closed signing follow-ups and the new stage that every signing ends with. */
function signed(
  state: AgreementState,
  data: { signedAt: string; documentNumbers: Record<string, string>; documents?: DocumentRef[] },
  method?: 'electronic',
): DomainEvent[] {
  const initiator = state.parties.find((p) => p.role === 'initiator')!;
  const termStart = isCalendarDate(data.signedAt) ? data.signedAt : localDate(data.signedAt, initiator.timeZone);
  const termEnd = addDays(addMonths(termStart, state.termMonths), -1);
  const signingFollowUps = state.followUps.filter((f) => f.purpose === 'signing' && f.status === 'open');
  return [
    {
      type: 'SigningRecorded',
      data: {
        signedAt: data.signedAt,
        documentNumbers: data.documentNumbers,
        termStart,
        termEnd,
        ...(data.documents?.length ? { documents: data.documents } : {}),
        ...(method ? { method } : {}),
      },
    },
    ...signingFollowUps.map(
      (f): DomainEvent => ({
        type: 'FollowUpCompleted',
        data: { followUpId: f.id, note: 'Penandatanganan tercatat.' },
      }),
    ),
    { type: 'StageChanged', data: { from: 'signing', to: 'active' } },
  ];
}

const recordSignedCopy: Decider<'recordSignedCopy'> = (state, c, ctx) => {
  const round = roundOf(state);
  if (!round) reject('no_electronic_round', 'Tidak ada penandatanganan elektronik yang sedang berjalan.');
  const current = round.steps.findIndex((step) => step.status === 'current');
  if (c.step !== current)
    reject('out_of_order', 'Salinan ini bukan untuk giliran sekarang; unduh berkas terkini dan tanda tangani.', 'file');
  const accepted: DomainEvent = {
    type: 'SignedCopyAccepted',
    data: { step: c.step, document: c.document, signature: c.signature },
  };
  if (current < round.steps.length - 1) {
    const done = state.followUps.filter(
      (f) => f.purpose === 'signing' && f.status === 'open' && f.ownerEmail === round.steps[current]!.email,
    );
    return [
      accepted,
      ...done.map(
        (f): DomainEvent => ({ type: 'FollowUpCompleted', data: { followUpId: f.id, note: 'Salinan diterima.' } }),
      ),
      stepFollowUp(state, round.steps[current + 1]!, round.dueBy, ctx),
    ];
  }
  // The last signature: the agreement is signed on the day it was made, with the copy that holds every signature.
  return [
    accepted,
    ...signed(
      state,
      { signedAt: c.signature.signedAt, documentNumbers: round.documentNumbers ?? {}, documents: [c.document] },
      'electronic',
    ),
  ];
};

/** A clock a few minutes behind the server's still records "now" (a laptop's clock, a form filled slowly). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const recordSigning: Decider<'recordSigning'> = (state, c, ctx) => {
  const signedAtIsDate = isCalendarDate(c.signedAt);
  if (!signedAtIsDate && !isInstant(c.signedAt)) {
    reject(
      'invalid_instant',
      'signedAt harus berupa tanggal (YYYY-MM-DD) atau waktu ISO-8601 dengan zona.',
      'signedAt',
    );
  }
  // A signing is recorded once it happened: a date ahead would start the term, e-mail "signed" and publish it.
  const today = localDate(ctx.now, initiatorZone(state));
  const ahead = signedAtIsDate ? c.signedAt > today : Date.parse(c.signedAt) > Date.parse(ctx.now) + CLOCK_SKEW_MS;
  if (ahead) {
    reject(
      'signed_in_future',
      `Tanggal penandatanganan ${c.signedAt} belum terjadi; catat penandatanganan setelah dilakukan.`,
      'signedAt',
    );
  }
  for (const partyId of Object.keys(c.documentNumbers)) requireParty(state, partyId, `documentNumbers.${partyId}`);
  // The numbers taken when the signing was scheduled stand unless the record writes others.
  const documentNumbers = { ...state.signing?.documentNumbers, ...c.documentNumbers };
  const missing = numberedParties(state.parties).filter((p) => !documentNumbers[p.partyId]);
  if (missing.length > 0) {
    reject(
      'missing_document_number',
      `Nomor dokumen belum diisi untuk: ${missing.map((p) => p.partyId).join(', ')}.`,
      'documentNumbers',
    );
  }
  return signed(state, {
    signedAt: c.signedAt,
    documentNumbers,
    ...(c.documents?.length ? { documents: c.documents } : {}),
  });
};

const startOperationalAgreement: Decider<'startOperationalAgreement'> = (state, c) => {
  const initiator = state.parties.find((p) => p.role === 'initiator')!;
  // Its own parties (the implementing UPT, the OPDs, a witness), or by default the umbrella's initiator and one OPD.
  if (c.parties) requireParties({ ...c, parties: c.parties });
  else if (c.party.partyId === initiator.partyId)
    reject('opd_is_initiator', 'Mitra PKS harus berbeda dari pihak pemrakarsa.', 'partyId');
  requireUnderUmbrella(c, c.party.partyId, 'partyId');
  if (state.operationalAgreements.some((o) => o.id === c.childId))
    reject('id_taken', `Perjanjian "${c.childId}" sudah ada.`, 'id');
  if (c.dueBy) requireDate(c.dueBy, 'dueBy');
  requireRoom(state, 'operationalAgreements', 1);
  return [
    {
      type: 'OperationalAgreementStarted',
      data: {
        childId: c.childId,
        partyId: c.party.partyId,
        title: c.title,
        scope: c.scope,
        ...(c.dueBy ? { dueBy: c.dueBy } : {}),
        ...(c.parties ? { parties: c.parties.map((p) => ({ partyId: p.partyId, role: p.role })) } : {}),
      },
    },
  ];
};

/** Each item decided as a single start would be; a refusal names the item (`items[3].partyId`), and none starts. */
const startOperationalAgreements: Decider<'startOperationalAgreements'> = (state, c, ctx) => {
  const fresh = c.items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => !state.operationalAgreements.some((o) => o.id === item.childId));
  requireRoom(state, 'operationalAgreements', fresh.length);
  return fresh.flatMap(({ item, index }) => {
    try {
      return startOperationalAgreement(
        state,
        { type: 'startOperationalAgreement', ...item, ...(c.underUmbrella ? { underUmbrella: c.underUmbrella } : {}) },
        ctx,
      );
    } catch (err) {
      if (err instanceof CommandRejected)
        throw new CommandRejected(err.code, err.message, `items[${index}]${err.field ? `.${err.field}` : ''}`);
      throw err;
    }
  });
};

const recordReport: Decider<'recordReport'> = (state, c, ctx) => {
  requireRoom(state, 'reports', 1);
  return [
    {
      type: 'ReportRecorded',
      data: {
        reportId: ctx.newId(),
        period: c.period,
        summary: c.summary,
        ...(c.documentUrl ? { documentUrl: c.documentUrl } : {}),
        ...(c.documentId ? { documentId: c.documentId } : {}),
      },
    },
  ];
};

const decideRenewal: Decider<'decideRenewal'> = (state, c, ctx) => {
  if (c.decision === 'end') return [{ type: 'RenewalDecided', data: { decision: 'end' } }];
  const termMonths = c.termMonths ?? state.termMonths;
  return [{ type: 'RenewalDecided', data: { decision: 'renew', successorId: ctx.newId(), termMonths } }];
};

const endWithUmbrella: Decider<'endWithUmbrella'> = (state, c) => {
  if (state.stage === 'ended') return [];
  // A signed PKS ends with its umbrella; one not yet signed is cancelled.
  const signed = state.stage === 'active';
  const reason = !signed
    ? 'cancelled'
    : c.umbrellaReason === 'expired' || c.umbrellaReason === 'renewed'
      ? 'expired'
      : 'terminated';
  return [
    {
      type: 'AgreementEnded',
      data: { reason, note: `Kesepakatan induk "${c.umbrellaId}" berakhir (${END_REASON_LABEL[c.umbrellaReason]}).` },
    },
  ];
};

const openFollowUp: Decider<'openFollowUp'> = (state, c, ctx) => {
  requireRoom(state, 'followUps', 1);
  const { type: _type, ...input } = c;
  return [{ type: 'FollowUpOpened', data: followUpOpened(state, input, '', ctx) }];
};

const completeFollowUp: Decider<'completeFollowUp'> = (state, c) => {
  const followUp = closableFollowUp(state, c.followUpId);
  return [{ type: 'FollowUpCompleted', data: { followUpId: followUp.id, ...(c.note ? { note: c.note } : {}) } }];
};

const cancelFollowUp: Decider<'cancelFollowUp'> = (state, c) => {
  const followUp = closableFollowUp(state, c.followUpId);
  return [{ type: 'FollowUpCancelled', data: { followUpId: followUp.id, ...(c.reason ? { reason: c.reason } : {}) } }];
};

const commentOnFollowUp: Decider<'commentOnFollowUp'> = (state, c) => {
  const followUp = followUpNamed(state, c.followUpId);
  return [{ type: 'FollowUpCommented', data: { followUpId: followUp.id, comment: c.comment } }];
};

const rescheduleFollowUp: Decider<'rescheduleFollowUp'> = (state, c, ctx) => {
  const followUp = openFollowUpNamed(state, c.followUpId);
  requireDate(c.due, 'due');
  if (c.due === followUp.due) reject('same_due_date', `Batas waktu tindak lanjut sudah ${formatDate(c.due)}.`, 'due');
  const today = localDate(ctx.now, initiatorZone(state));
  const checked = c.due < today ? (ctx.checksDates?.() ?? true) : true;
  // Moving a due date gives more time; a date already past is no new due date.
  if (checked && c.due < today)
    reject('due_in_past', `Batas waktu baru ${formatDate(c.due)} sudah lewat; pilih hari ini atau sesudahnya.`, 'due');
  const plan = planFollowUp(c.due, state.policy, ctx.calendar, checked ? today : undefined);
  return [
    { type: 'FollowUpRescheduled', data: { followUpId: followUp.id, due: c.due, previousDue: followUp.due, ...plan } },
  ];
};

const fireDeadlines: Decider<'fireDeadlines'> = (state, _c, ctx) => dueAlarms(state, ctx.now);

const cancelAgreement: Decider<'cancelAgreement'> = (state, c) => {
  if (c.reason.trim() === '') reject('reason_required', 'Alasan pembatalan wajib diisi.', 'reason');
  return [{ type: 'AgreementEnded', data: { reason: 'cancelled', note: c.reason } }];
};

/** Publishing again what is already public (or hiding what is hidden) records nothing new. */
const setPublication: Decider<'setPublication'> = (state, c) =>
  (state.published ?? false) === c.public ? [] : [{ type: 'PublicationChanged', data: { public: c.public } }];

/** One reminder an hour at most: a second click, or a second person, does not e-mail everyone again. */
const REMIND_AGAIN_AFTER_MS = 60 * 60 * 1000;

const remindToSign: Decider<'remindToSign'> = (state, c, ctx) => {
  if (state.remindedToSignAt && Date.parse(ctx.now) - Date.parse(state.remindedToSignAt) < REMIND_AGAIN_AFTER_MS) {
    reject(
      'reminded_recently',
      'Pengingat untuk kesepakatan ini baru saja dikirim; kirim lagi paling cepat satu jam kemudian.',
    );
  }
  const partyIds = state.parties.filter((p) => p.role !== 'initiator' && p.role !== 'witness').map((p) => p.partyId);
  return [{ type: 'SigningReminderSent', data: { partyIds, stage: state.stage, ...(c.note ? { note: c.note } : {}) } }];
};

const deciders: { [T in Command['type']]: Decider<T> } = {
  remindToSign,
  setPublication,
  startAgreement,
  scheduleMeeting,
  rescheduleMeeting,
  cancelMeeting,
  recordMinutes,
  submitDraft,
  reviewDraft,
  scheduleSigning,
  recordSignedCopy,
  recordSigning,
  openFollowUp,
  completeFollowUp,
  cancelFollowUp,
  commentOnFollowUp,
  rescheduleFollowUp,
  fireDeadlines,
  startOperationalAgreement,
  startOperationalAgreements,
  recordReport,
  decideRenewal,
  endWithUmbrella,
  cancelAgreement,
};

/** The events a command produces, or a CommandRejected saying why not. Pure: same input, same output. */
export function decide(state: AgreementState, command: Command, ctx: DecideContext): DomainEvent[] {
  if (command.type !== 'startAgreement' && state.version === 0)
    reject('unknown_agreement', 'Kesepakatan ini belum dimulai.');
  if (command.type in PRECONDITIONS) PRECONDITIONS[command.type as PersonCommand](state);
  const events = (deciders[command.type] as Decider<Command['type']>)(state, command, ctx);
  const ended = events.find((e) => e.type === 'AgreementEnded');
  if (ended && (ctx.callsOffWhatIsAhead?.() ?? true)) {
    events.push(
      ...callOffWhatIsAhead(state, ctx.now, `Kesepakatan berakhir (${END_REASON_LABEL[ended.data.reason]}).`),
    );
  }
  requireWithinBudget(state, command, events, ctx.now);
  return events;
}
