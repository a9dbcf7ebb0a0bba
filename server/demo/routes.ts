import Router from '@koa/router';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { issueToken } from '../auth/token.ts';
import type { Config } from '../config/schema.ts';
import { servedBundle } from '../http/bundle.ts';
import { validated } from '../protocol/validate.ts';

const widget = fileURLToPath(new URL('../../client-widget/', import.meta.url));
const pages: Record<string, string> = { '/demo/': 'demo/viewer.html', '/demo/host.html': 'demo/host.html', '/demo/manager.html': 'demo/manager.html', '/demo/group.html': 'demo/group.html' };

const sessionQuery = z.object({
  sub: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  name: z.string().max(32).optional(),
  role: z.enum(['viewer', 'host', 'manager']).default('viewer'),
  tags: z.string().max(200).optional(),
  /** WeCom groups the demo user is in (or, as a manager, runs), comma-separated. */
  chats: z.string().max(400).optional(),
  /** The rooms a demo host runs, comma-separated. */
  rooms: z.string().max(400).optional(),
});

/**
 * Development only (config `demo`, off with NODE_ENV=production): the viewer page, the host console,
 * a group's member page and its manager console,
 * the widget bundled on first request (esbuild, a dev dependency), and `/demo/session`, which hands
 * anyone a token and the host console the API key. That is what makes it a demo.
 */
export function demoRoutes(config: Config, jwtKey: Uint8Array, realtimePort: () => number): Router {
  const router = new Router();
  const bundle = servedBundle(`${widget}src/widget.ts`);
  for (const [path, file] of Object.entries(pages)) {
    router.get(path, async (ctx) => {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = await readFile(widget + file, 'utf8');
    });
  }
  router.get('/demo/roomcast.mjs', async (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = await bundle();
  });
  router.get('/demo/session', async (ctx) => {
    const { sub, name, role, tags, chats, rooms } = validated(sessionQuery, ctx.query);
    const list = (csv?: string) => (csv ? csv.split(',').filter(Boolean) : []);
    const token = await issueToken({ sub, name: name ?? sub, role, tags: list(tags), chats: list(chats), rooms: list(rooms) }, jwtKey);
    ctx.body = { token, wsUrl: `ws://${ctx.hostname}:${realtimePort()}/v1/ws`, ...(role === 'host' ? { apiKey: config.auth.apiKeys[0] } : {}) };
  });
  return router;
}
