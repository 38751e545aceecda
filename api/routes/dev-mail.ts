// The local stack's mailbox, listed for a person trying the product (only registered by the local stack).
import type { FastifyPluginAsync } from 'fastify';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const devMailRoutes =
  (dir: string): FastifyPluginAsync =>
  async (app) => {
    app.get('/dev/mail', { schema: { hide: true } }, async () => {
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .reverse();
      return {
        dir,
        items: files.slice(0, 200).map((f) => ({ file: join(dir, f), bytes: statSync(join(dir, f)).size })),
      };
    });
  };
