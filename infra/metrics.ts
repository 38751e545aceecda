// What every process measures the same way: its own runtime, and Temporal's worker metrics from the SDK's exporter.
import { collectDefaultMetrics, type Registry } from 'prom-client';

export interface MetricsSource {
  registry: Registry;
  /** More exposition text to append, e.g. Temporal's own metrics scraped from its exporter. */
  extra?: () => Promise<string>;
}

export function processMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: 'sinergi_' });
}

/** Temporal's worker metrics, from the SDK's Prometheus exporter on loopback. */
export function temporalMetricsFrom(port: number): (() => Promise<string>) | undefined {
  if (!port) return undefined;
  return async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? res.text() : '';
  };
}
