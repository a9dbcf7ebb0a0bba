import Koa, { type Middleware } from 'koa';
import type { Config } from '../config/schema.ts';
import type { Engine } from '../platform/engine.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type Router from '@koa/router';
import { requireApiKey } from './api-key.ts';
import { errorBody } from './errors.ts';
import { healthRoutes, metricsRoutes } from './health.ts';

export interface HttpDeps {
  config: Config;
  engine: Engine;
  metrics: Metrics;
  log: Logger;
  isDraining: () => boolean;
  /** Domain routes (rooms, commerce, orders, WeCom, games), behind the API key. */
  routes: Router[];
  /** Routes that authenticate themselves (signed webhooks), mounted before the API-key check. */
  signedRoutes: Router[];
  /** Operator pages under `/admin/` (the queue dashboard) for the admin app, behind the API key as a browser sends it. */
  admin?: Middleware;
}

/** The public Koa app: health open, signed webhooks, `/v1` behind API keys. Nothing of an operator's. */
export function createHttpApp(deps: HttpDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  app.use(errorBody(deps.log));
  app.use(healthRoutes(deps.engine, deps.isDraining).routes());
  for (const router of deps.signedRoutes) app.use(router.routes());
  const apiKey = requireApiKey(deps.config.auth.apiKeys);
  app.use(async (ctx, next) => (ctx.path.startsWith('/v1/') ? apiKey(ctx, next) : next()));
  for (const router of deps.routes) app.use(router.routes());
  return app;
}

/**
 * The operator app, on its own listener (`adminPort` on `adminHost`, loopback by default): health,
 * /metrics, and the queue dashboard under `/admin/` behind the API key as a browser sends it.
 */
export function createAdminApp(deps: Pick<HttpDeps, 'config' | 'engine' | 'metrics' | 'log' | 'isDraining' | 'admin'>): Koa {
  const app = new Koa();
  app.use(errorBody(deps.log));
  app.use(healthRoutes(deps.engine, deps.isDraining).routes());
  app.use(metricsRoutes(deps.metrics).routes());
  const adminKey = requireApiKey(deps.config.auth.apiKeys, { browser: true });
  const admin = deps.admin;
  if (admin) app.use(async (ctx, next) => (ctx.path.startsWith('/admin/') ? adminKey(ctx, () => admin(ctx, next)) : next()));
  return app;
}
