import type { Order } from './model.ts';
import { NO_METER, orderView, type OrderMeter, type OrderPipeline } from './pipeline.ts';
import type { Engine } from '../platform/engine.ts';
import { OrderStore } from './store.ts';
import type { Logger } from '../observability/logger.ts';
import { MallRejected, MallUnavailable, type MallAdapter } from './mall/adapter.ts';
import { PermanentJobFailure, RetryLater, type JobQueues, type RetryPolicy } from '../platform/jobs/queue.ts';

export interface SettlementOptions {
  /** Pushes and refunds failing on 5xx or timeouts retry after backoffMs, doubling, then wait in the failed set. */
  policy: RetryPolicy;
  /** How often the sweep looks for reservations that have no settle job. */
  sweepEveryMs: number;
  /** A reservation younger than this is left to its own job. */
  sweepGraceMs: number;
}

const SWEEP_BATCH = 500;

/**
 * Reserved orders reach the brand's mall and failed groups' payments go back: one `settle` job per
 * order (job id = order id, so a second add makes no second job; a retried push after a lost answer
 * is safe because the mall keys on the order id) and one `refund` job per refunded order. A
 * repeatable `sweep` re-adds settle jobs for reservations older than the grace that are still
 * `reserved`: the node that made them may have died before adding their job.
 */
export class Settlement implements OrderPipeline {
  private readonly orders: OrderStore;

  constructor(
    private readonly engine: Engine,
    private readonly queues: JobQueues,
    private readonly mall: MallAdapter,
    private readonly options: SettlementOptions,
    private readonly log: Logger,
    meter: OrderMeter = NO_METER,
  ) {
    this.orders = new OrderStore(engine, meter);
  }

  async start(): Promise<void> {
    const { policy, sweepEveryMs } = this.options;
    this.queues.work('settle', ({ orderId }) => this.settle(orderId!), policy);
    this.queues.work('refund', ({ orderId, reason }) => this.refundNow(orderId!, reason!), policy);
    this.queues.work('sweep', async () => void (await this.sweep()), { attempts: 1, backoffMs: sweepEveryMs, maxBackoffMs: sweepEveryMs, concurrency: 1 });
    await this.queues.every('sweep', sweepEveryMs);
  }

  reserved(orderId: string): void {
    this.add('settle', { orderId }, orderId);
  }

  refund(orderId: string, reason: string): void {
    this.add('refund', { orderId, reason }, `refund-${orderId}`);
  }

  /** Settle jobs for reservations the sweep found without one; returns how many it looked at. */
  async sweep(now = Date.now()): Promise<number> {
    const stale = await this.orders.unsettled(now - this.options.sweepGraceMs, SWEEP_BATCH);
    await Promise.all(stale.map((order) => this.queues.add('settle', { orderId: order.id }, { jobId: order.id })));
    if (stale.length) this.log.info({ orders: stale.length }, 'sweep: settle jobs ensured for old reservations');
    return stale.length;
  }

  /** Failures here are caught up by the sweep (settle) or the group's expiry re-run (refund). */
  private add(queue: 'settle' | 'refund', data: Record<string, string>, jobId: string): void {
    this.queues.add(queue, data, { jobId }).catch((err) => this.log.warn({ err, queue, jobId }, 'job not added'));
  }

  private async settle(orderId: string): Promise<void> {
    const order = await this.orders.get(orderId);
    if (!order || order.state !== 'reserved') return;
    const receipt = await mallCall(this.mall.push(order));
    await this.told(await this.orders.transition(orderId, ['reserved'], 'submitted', receipt));
  }

  private async refundNow(orderId: string, reason: string): Promise<void> {
    const order = await this.orders.get(orderId);
    // `refunding`: a failed group's paid seat; `paid_late`: paid after its reservation ended.
    if (!order || (order.state !== 'refunding' && order.state !== 'paid_late')) return;
    await mallCall(this.mall.refund(order, reason));
    await this.told(await this.orders.transition(orderId, ['refunding', 'paid_late'], 'refunded'));
  }

  private async told(order: Order | null): Promise<void> {
    if (order) await this.engine.broker.publishToUser(order.user, { type: 'order.update', data: orderView(order) });
  }
}

/**
 * The mall refusing the order itself (4xx) ends the job: retrying cannot help. A mall that said when
 * to come back (`Retry-After`) is not retried sooner.
 */
async function mallCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof MallRejected) throw new PermanentJobFailure(err.message);
    if (err instanceof MallUnavailable && err.retryAfterMs !== undefined) throw new RetryLater(err.message, err.retryAfterMs);
    throw err;
  }
}
