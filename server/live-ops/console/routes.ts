import Router from '@koa/router';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/schema.ts';
import { servedBundle } from '../../http/bundle.ts';

const widget = fileURLToPath(new URL('../../../client-widget/', import.meta.url));

/** The page may talk to its own origin and to the realtime port, nothing else; no framing, no referrer. */
const headers = {
  'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/**
 * The host console at /console/ (config `console`): a static page and its bundle. It holds no
 * secret: the host signs in with a host token from the brand's backend, and everything it does goes
 * over the socket as that host's ops (`rooms` claim). `config.json` tells it where the socket is.
 */
export function consoleRoutes(config: Config, realtimePort: () => number): Router {
  const router = new Router();
  const bundle = servedBundle(`${widget}src/console/main.ts`, `${widget}dist/console/console.js`);
  router.get('/console/', async (ctx) => {
    ctx.set(headers);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = await readFile(`${widget}console/index.html`, 'utf8');
  });
  router.get('/console/console.js', async (ctx) => {
    ctx.set(headers);
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = await bundle();
  });
  router.get('/console/config.json', (ctx) => {
    ctx.set('cache-control', 'no-store');
    // `now`: the page sends times (a draw's drawAt) on the server's clock, not a phone's.
    ctx.body = { wsUrl: config.consoleWsUrl ?? `${ctx.protocol === 'https' ? 'wss' : 'ws'}://${ctx.hostname}:${realtimePort()}/v1/ws`, now: Date.now() };
  });
  return router;
}
