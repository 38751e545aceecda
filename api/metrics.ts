// Prometheus metrics at GET /metrics: requests per route and status, their latency, and whatever else the
// process counts (the engine's counters, Temporal's worker metrics when the worker runs in this process).
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import { scrapeAllowed, type MetricsSource } from '../infra/metrics.js';

/** Without `scrapeToken`, /metrics answers only on loopback; elsewhere it is a 404, as if it were not there. */
export function installMetrics(app: FastifyInstance, source: MetricsSource, scrapeToken?: string): void {
  const { registry } = source;
  const requests = new Counter({
    name: 'sinergi_http_requests_total',
    help: 'HTTP requests',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'sinergi_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids would explode the label set.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const seen = {
      authorization: request.headers.authorization,
      peer: request.socket.remoteAddress,
      forwarded: request.headers['x-forwarded-for'] !== undefined,
    };
    if (!scrapeAllowed(scrapeToken, seen))
      return reply.status(404).send({ error: { code: 'not_found', message: 'Tidak ditemukan.' } });
    const extra = source.extra ? await source.extra().catch(() => '') : '';
    return reply.type(registry.contentType).send(`${await registry.metrics()}\n${extra}`);
  });
}
