// Which commands a viewer may send to an agreement in its current state: the preconditions `decide` runs, and who
// may send what. The dashboard shows a form for exactly these; the service refuses the rest before the workflow.
import { PERSON_COMMANDS, PRECONDITIONS, type Conditions, type PersonCommand } from './preconditions.js';
import { reject } from './rejection.js';
import type { AgreementState } from './types.js';

export interface Viewer {
  role: 'admin' | 'party' | 'viewer';
  partyId?: string;
}

type Who = Pick<AgreementState, 'parties'>;

/** Who may send a command at all, beyond taking part in the agreement (throws a 403-kind refusal). */
export function requireMayAct(state: Who, viewer: Viewer, command: PersonCommand): void {
  if (viewer.role === 'viewer') reject('forbidden', 'Peninjau hanya boleh membaca.');
  // Recording the signing enters every party's document number: the initiator's staff (or an admin) do it.
  if (command === 'recordSigning' && viewer.role === 'party') {
    const initiator = state.parties.find((p) => p.role === 'initiator');
    if (initiator?.partyId !== viewer.partyId) reject('forbidden', 'Penandatanganan dicatat oleh pihak pemrakarsa atau admin.');
  }
}

export function allowedCommands(state: Conditions & Who, viewer: Viewer): Set<PersonCommand> {
  const allowed = new Set<PersonCommand>();
  for (const command of PERSON_COMMANDS) {
    try {
      requireMayAct(state, viewer, command);
      PRECONDITIONS[command](state);
      allowed.add(command);
    } catch {
      // refused: not offered
    }
  }
  return allowed;
}
