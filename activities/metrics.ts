// Counters of what the engine did, for Prometheus. One set per registry (a process, or a test).
import { Counter, Gauge, type Registry } from 'prom-client';

export interface EngineMetrics {
  eventsAppended: Counter<'type'>;
  emailsSent: Counter<'template'>;
  emailsFailed: Counter<'template'>;
  escalationsFired: Counter<'kind'>;
  /** Agreements (or e-mails) whose activity has failed past the stuck threshold and not yet succeeded. */
  stuckActivities: Gauge<'activity'>;
  /** Where the gauge reads its counts when scraped (set by the activities' StuckWatch). */
  stuckSource: { count?: (activity: string) => number };
}

const WATCHED_ACTIVITIES = ['appendEvents', 'deliverNotification'];

const ESCALATIONS: Record<string, string> = {
  FollowUpEscalated: 'follow_up',
  DraftReviewOverdue: 'review',
  SigningOverdue: 'signing',
  ReportOverdue: 'monev',
};

export function createEngineMetrics(registry: Registry): EngineMetrics {
  const stuckSource: EngineMetrics['stuckSource'] = {};
  return {
    stuckSource,
    eventsAppended: new Counter({
      name: 'sinergi_events_appended_total',
      help: 'Events stored in the event store',
      labelNames: ['type'],
      registers: [registry],
    }),
    emailsSent: new Counter({
      name: 'sinergi_emails_sent_total',
      help: 'E-mails accepted by the SMTP server',
      labelNames: ['template'],
      registers: [registry],
    }),
    emailsFailed: new Counter({
      name: 'sinergi_emails_failed_total',
      help: 'E-mail attempts the SMTP server did not accept (retried)',
      labelNames: ['template'],
      registers: [registry],
    }),
    escalationsFired: new Counter({
      name: 'sinergi_escalations_fired_total',
      help: 'Escalations recorded, by what was overdue',
      labelNames: ['kind'],
      registers: [registry],
    }),
    stuckActivities: new Gauge({
      name: 'sinergi_activities_stuck',
      help:
        'Agreements (appendEvents) or e-mails (deliverNotification) whose activity keeps failing past the ' +
        'threshold',
      labelNames: ['activity'],
      registers: [registry],
      collect() {
        for (const activity of WATCHED_ACTIVITIES) this.set({ activity }, stuckSource.count?.(activity) ?? 0);
      },
    }),
  };
}

export function countAppended(metrics: EngineMetrics | undefined, types: string[]): void {
  if (!metrics) return;
  for (const type of types) {
    metrics.eventsAppended.inc({ type });
    const kind = ESCALATIONS[type];
    if (kind) metrics.escalationsFired.inc({ kind });
  }
}
