// Every read model written inline with an append, in the append's own transaction.
import type { RecordedEvent } from '../../domain/events.js';
import type { AgreementView } from '../../domain/view.js';
import type { InlineWrite } from '../event-store/append.js';
import { projectAgreement, projectAgreementParties } from './agreements.js';
import { projectOverview } from './overview.js';

export function inlineProjections(view: AgreementView, events: RecordedEvent[]): InlineWrite[] {
  return [projectAgreement(view), ...projectAgreementParties(view, events), ...projectOverview(view, events)];
}
