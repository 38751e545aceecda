// Search attributes let operators find agreements in the Temporal UI by stage, instrument and party.
// Added after the first histories were recorded: the worked example of a safe change (see the README).
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { AgreementState } from '../domain/types.js';

export const STAGE = defineSearchAttributeKey('SinergiStage', SearchAttributeType.KEYWORD);
export const INSTRUMENT = defineSearchAttributeKey('SinergiInstrument', SearchAttributeType.KEYWORD);
export const PARTIES = defineSearchAttributeKey('SinergiParties', SearchAttributeType.KEYWORD_LIST);

/** Runs recorded before this change never call it, so they replay with the commands they produced. */
export const SEARCH_ATTRIBUTES_PATCH = 'search-attributes';

/** Publishes the stage (and who takes part) when it differs from what was published; returns what is published now. */
export function publishSearchAttributes(state: AgreementState, published: string | undefined): string | undefined {
  if (state.version === 0 || published === state.stage) return published;
  if (!patched(SEARCH_ATTRIBUTES_PATCH)) return published;
  upsertSearchAttributes([
    { key: STAGE, value: state.stage },
    { key: INSTRUMENT, value: state.instrument },
    { key: PARTIES, value: state.parties.map((p) => p.partyId) },
  ]);
  return state.stage;
}
