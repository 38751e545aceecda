// What every process measures the same way: its own runtime, and Temporal's worker metrics from the SDK's exporter.
import { createHash, timingSafeEqual } from 'node:crypto';
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

/** What a scrape request shows of itself. */
export interface ScrapeRequest {
  authorization: string | undefined;
  /** The TCP peer, never a forwarded address. */
  peer: string | undefined;
  forwarded: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Who may read /metrics: with a scrape token, whoever sends it as a bearer token; without one, only this machine
 * (a loopback peer that no proxy forwarded).
 */
export function scrapeAllowed(token: string | undefined, request: ScrapeRequest): boolean {
  if (token) {
    const given = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '')?.[1] ?? '';
    return timingSafeEqual(digest(given), digest(token));
  }
  return !request.forwarded && LOOPBACK.has(request.peer ?? '');
}
