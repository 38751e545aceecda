// Prometheus metrics at GET /metrics: requests per route and status, their latency, and whatever else the
// process counts (the engine's counters, Temporal's worker metrics when the worker runs in this process).
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import type { MetricsSource } from '../infra/metrics.js';

export function installMetrics(app: FastifyInstance, source: MetricsSource): void {
  const { registry } = source;
  const requests = new Counter({ name: 'sinergi_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'sinergi_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids would explode the label set.
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const extra = source.extra ? await source.extra().catch(() => '') : '';
    return reply.type(registry.contentType).send(`${await registry.metrics()}\n${extra}`);
  });
}
