import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { Middleware } from 'koa';
import type { BullJobQueues } from './bullmq.ts';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board over the job queues (the orders' settle, refund and sweep): an operator sees their
 * jobs and retries a job that ran out of attempts (the dead-letter set) from the browser. Mounted
 * behind the API key. It shows the queues that have a worker, as they get one (domains start
 * theirs after the HTTP app is made).
 */
export function queueDashboard(queues: BullJobQueues): Middleware {
  const adapter = new KoaAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  const board = createBullBoard({ queues: [], serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Roomcast jobs' } } });
  const plugin = adapter.registerPlugin() as Middleware;
  let shown = 0;
  return (ctx, next) => {
    const all = queues.all();
    if (all.length !== shown) {
      board.replaceQueues(all.map((q) => new BullMQAdapter(q)));
      shown = all.length;
    }
    return plugin(ctx, next);
  };
}
