import type { IdempotencyStore } from '../../platform/engine.ts';
import type { Logger } from '../../observability/logger.ts';
import type { WeComRouting } from './service.ts';

/**
 * Re-reads member counts from WeCom every `everyMs`, on one node per period: every node tries, the
 * first to claim the period does it. Returns a stop function.
 */
export function reconcileEvery(routing: WeComRouting, claims: IdempotencyStore, everyMs: number, log: Logger): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    const period = Math.floor(Date.now() / everyMs);
    running ??= claims.claimOnce(`wecom-reconcile:${period}`, everyMs * 2)
      .then((mine) => (mine ? routing.reconcile() : undefined))
      .catch((err: unknown) => log.warn({ err }, 'wecom: reconcile failed'))
      .finally(() => (running = undefined));
  }, Math.min(everyMs, 10_000));
  return async () => {
    clearInterval(timer);
    await running;
  };
}
