import type { IdempotencyStore } from '../../platform/engine.ts';
import type { Logger } from '../../observability/logger.ts';

/**
 * WeCom upkeep every `everyMs` (member counts re-read, welcome covers uploaded again before they
 * lapse), on one node per period: every node tries, the first to claim the period does it.
 * Returns a stop function.
 */
export function reconcileEvery(upkeep: () => Promise<void>, claims: IdempotencyStore, everyMs: number, log: Logger): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    const period = Math.floor(Date.now() / everyMs);
    running ??= claims.claimOnce(`wecom-reconcile:${period}`, everyMs * 2)
      .then((mine) => (mine ? upkeep() : undefined))
      .catch((err: unknown) => log.warn({ err }, 'wecom: reconcile failed'))
      .finally(() => (running = undefined));
  }, Math.min(everyMs, 10_000));
  return async () => {
    clearInterval(timer);
    await running;
  };
}
