// Which commands a viewer may send to an agreement in its current state: the preconditions `decide` runs, and who
// may send what. The dashboard shows a form for exactly these; the service refuses the rest before the workflow.
import { PERSON_COMMANDS, PRECONDITIONS, type Conditions, type PersonCommand } from './preconditions.js';
import { reject } from './rejection.js';
import type { Command } from './commands.js';
import type { AgreementState, Contact } from './types.js';

export interface Viewer {
  role: 'admin' | 'party' | 'viewer';
  partyId?: string;
  /** Set when the viewer takes part only as the owner of follow-ups (an OPD): the parties whose follow-ups they are. */
  followUpsOnly?: string[];
}

/** What the owner of a follow-up may do in an agreement it is not a party to. */
const OWNER_COMMANDS: ReadonlySet<Command['type']> = new Set(['completeFollowUp', 'commentOnFollowUp']);

/**
 * An OPD that owns a follow-up in an agreement it is not a party to may close it or comment on it: nothing else,
 * and no one else's follow-up.
 */
export function requireOwnFollowUp(state: Pick<AgreementState, 'followUps'>, viewer: Viewer, command: Command): void {
  const owners = viewer.followUpsOnly;
  if (!owners) return;
  const followUpId = 'followUpId' in command ? command.followUpId : undefined;
  const own = state.followUps.some((f) => f.id === followUpId && owners.includes(f.ownerPartyId));
  if (!OWNER_COMMANDS.has(command.type) || !own) {
    reject(
      'forbidden',
      'Pihak Anda pada kesepakatan ini hanya pemilik tindak lanjut: Anda dapat menandai selesai atau ' +
        'memberi catatan pada tindak lanjut milik pihak Anda.',
    );
  }
}

/** Whether this viewer may close this follow-up from the agreement page (the domain still decides the rest). */
export const mayCloseFollowUp = (viewer: Viewer, ownerPartyId: string): boolean =>
  viewer.role !== 'viewer' && (!viewer.followUpsOnly || viewer.followUpsOnly.includes(ownerPartyId));

/** A party's people act for their own party only (reviews, signing); an admin acts for any. */
export const mayActFor = (viewer: Pick<Viewer, 'role' | 'partyId'>, partyId: string): boolean =>
  viewer.role !== 'party' || viewer.partyId === partyId;

/** What a viewer (a person or a token) is told when it tries to change anything. */
export const READ_ONLY = 'Peninjau hanya boleh membaca, tidak mengubah.';

/** Who may send a command at all, beyond taking part in the agreement (a `forbidden` refusal otherwise). */
export function requireMayAct(initiatorId: string | undefined, viewer: Viewer, command: Command['type']): void {
  if (viewer.role === 'viewer') reject('forbidden', READ_ONLY);
  // Recording the signing enters every party's document number: the initiator's staff (or an admin) do it.
  if (command === 'recordSigning' && viewer.role === 'party' && initiatorId !== viewer.partyId) {
    reject('forbidden', 'Penandatanganan dicatat oleh pihak pemrakarsa atau admin.');
  }
  // What the public may read is the initiator's to decide.
  if (command === 'setPublication' && viewer.role === 'party' && initiatorId !== viewer.partyId) {
    reject('forbidden', 'Hanya pihak pemrakarsa atau admin yang boleh mengumumkan kesepakatan.');
  }
}

export function allowedCommands(
  state: Conditions & Pick<AgreementState, 'parties'>,
  viewer: Viewer,
): Set<PersonCommand> {
  const initiatorId = state.parties.find((p) => p.role === 'initiator')?.partyId;
  const allowed = new Set<PersonCommand>();
  if (viewer.followUpsOnly) return allowed; // an owner closes its follow-ups where they are listed, nothing else
  for (const command of PERSON_COMMANDS) {
    try {
      requireMayAct(initiatorId, viewer, command);
      PRECONDITIONS[command](state);
      allowed.add(command);
    } catch {
      // refused: not offered
    }
  }
  return allowed;
}

/** A party as the directory lists it now, with the party above it (an OPD's Pemkab), if any. */
export interface ListedParty {
  contacts: Pick<Contact, 'email'>[];
  above?: { contacts: Pick<Contact, 'email'>[] };
}

/**
 * Who may act for a party from an e-mailed link: a contact of that party, or of the party above it, as the
 * directory lists them now. A removed contact's link stops working; nobody else's address gets one.
 */
export function mayActByLink(email: string, party: ListedParty | undefined): boolean {
  const wanted = email.toLowerCase();
  const listed = [...(party?.contacts ?? []), ...(party?.above?.contacts ?? [])];
  return listed.some((c) => c.email.toLowerCase() === wanted);
}
