// The worker has no API: it serves its own /metrics for Prometheus (and the container health check).
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export function serveMetrics(registry: Registry, port: number, extra?: () => Promise<string>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      const text = `${await registry.metrics()}\n${extra ? await extra().catch(() => '') : ''}`;
      res.writeHead(200, { 'content-type': registry.contentType }).end(text);
    })();
  });
  return new Promise((resolve) => server.listen(port, '0.0.0.0', () => resolve(server)));
}
