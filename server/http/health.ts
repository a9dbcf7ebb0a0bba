import Router from '@koa/router';
import type { Engine } from '../platform/engine.ts';
import type { Metrics } from '../observability/metrics.ts';

/** Health for load balancers and orchestrators, metrics for Prometheus. */
export function opsRoutes(engine: Engine, metrics: Metrics, isDraining: () => boolean): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/readyz', async (ctx) => {
    if (isDraining()) {
      ctx.status = 503;
      ctx.body = { ok: false, reason: 'shutting down' };
      return;
    }
    try {
      await engine.ping();
      ctx.body = { ok: true, engine: engine.kind };
    } catch (err) {
      ctx.status = 503;
      ctx.body = { ok: false, engine: engine.kind, reason: (err as Error).message };
    }
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.text();
  });
  return router;
}
