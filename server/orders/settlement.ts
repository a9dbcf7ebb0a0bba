import type { Order } from '../commerce/model.ts';
import { orderView } from '../commerce/orders.ts';
import type { Engine } from '../engine/engine.ts';
import type { Logger } from '../observability/logger.ts';
import { MallRejected, type MallAdapter } from './mall/adapter.ts';
import { PermanentJobFailure, type JobQueues, type RetryPolicy } from './queue/queue.ts';


/**
 * Reserved orders reach the brand's mall: one `settle` job per order (job id = order id, so a
 * second add makes no second job; a retried push after a lost answer is safe because the mall keys
 * on the order id), the mall's answer moves the order to `submitted` and tells the buyer where to
 * pay (`payPath`).
 */
export class Settlement {
  constructor(
    private readonly engine: Engine,
    private readonly queues: JobQueues,
    private readonly mall: MallAdapter,
    /** Pushes failing on 5xx or timeouts retry after retryBaseMs, doubling, then wait in the failed set. */
    private readonly policy: RetryPolicy,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.queues.work('settle', ({ orderId }) => this.settle(orderId!), this.policy);
  }

  /** Called right after a reservation; failures here are caught up by the job's own retries. */
  placed(order: Order): void {
    this.queues.add('settle', { orderId: order.id }, { jobId: order.id }).catch((err) => this.log.warn({ err, order: order.id }, 'settle job not added'));
  }

  private async settle(orderId: string): Promise<void> {
    const order = await this.engine.commerce.orders.get(orderId);
    if (!order || order.state !== 'reserved') return;
    let receipt;
    try {
      receipt = await this.mall.push(order);
    } catch (err) {
      if (err instanceof MallRejected) throw new PermanentJobFailure(err.message);
      throw err;
    }
    const submitted = await this.engine.commerce.orders.transition(orderId, ['reserved'], 'submitted', receipt);
    if (submitted) await this.engine.broker.publishToUser(submitted.user, { type: 'order.update', data: orderView(submitted) });
  }
}
