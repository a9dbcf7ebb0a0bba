import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { Middleware } from 'koa';
import type { BullJobQueues } from './bullmq.ts';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board over the order queues: an operator sees settle, refund and sweep jobs and retries a
 * job that ran out of attempts (the dead-letter set) from the browser. Mounted behind the API key.
 */
export function queueDashboard(queues: BullJobQueues): Middleware {
  const adapter = new KoaAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.all().map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Roomcast orders' } } });
  return adapter.registerPlugin() as Middleware;
}
