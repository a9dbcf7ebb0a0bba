import Router from '@koa/router';
import type { Engine } from '../platform/engine.ts';
import type { Metrics } from '../observability/metrics.ts';

/** Health for load balancers and orchestrators. */
export function healthRoutes(engine: Engine, isDraining: () => boolean): Router {
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
  return router;
}

/** Metrics for Prometheus (the admin listener only). */
export function metricsRoutes(metrics: Metrics): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.text();
  });
  return router;
}
