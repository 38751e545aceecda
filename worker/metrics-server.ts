// The worker has no API: it serves its own /metrics for Prometheus (and the container health check).
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { scrapeAllowed } from '../infra/metrics.js';

export interface MetricsServing {
  port: number;
  /** 127.0.0.1 unless a scraper elsewhere must reach it (then set a scrape token). */
  host: string;
  scrapeToken?: string;
}

export function serveMetrics(
  registry: Registry,
  serving: MetricsServing,
  extra?: () => Promise<string>,
): Promise<Server> {
  const server = createServer((req, res) => {
    const seen = {
      authorization: req.headers.authorization,
      peer: req.socket.remoteAddress,
      forwarded: req.headers['x-forwarded-for'] !== undefined,
    };
    if (req.url !== '/metrics' || !scrapeAllowed(serving.scrapeToken, seen)) {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      const text = `${await registry.metrics()}\n${extra ? await extra().catch(() => '') : ''}`;
      res.writeHead(200, { 'content-type': registry.contentType }).end(text);
    })();
  });
  return new Promise((resolve) => server.listen(serving.port, serving.host, () => resolve(server)));
}
