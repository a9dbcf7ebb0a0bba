import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import type { Config } from '../../config/schema.ts';
import { clusterNodes } from '../store/redis/store.ts';
import type { Logger } from '../../observability/logger.ts';
import { backoffDelay, PermanentJobFailure, type AdoptJob, type JobHandler, type JobOptions, type JobQueues, type QueueName, type RetryPolicy } from './queue.ts';

/** Completed jobs are kept this long, so re-adding a settled order's job stays a no-op. */
const KEEP_COMPLETED_SEC = 7 * 24 * 3600;
/**
 * A job held by a node that died is handed on once its lock lapses (checked every STALLED_CHECK_MS):
 * 15 s rather than BullMQ's 30 s so a killed node's orders wait less. A node merely stalled that long
 * may see its job run twice, which the jobs' idempotency by order id absorbs; a job stalls at most
 * MAX_STALLS times (one per dead node) before it is failed for an operator.
 */
const LOCK_MS = 15_000;
const STALLED_CHECK_MS = 5_000;
const MAX_STALLS = 5;
/** A backoff type BullMQ does not know, so the worker's own strategy (doubling, capped) decides. */
const CAPPED_EXPONENTIAL = 'capped-exponential';

/**
 * BullMQ's connections and key prefix for the redis engine. On a cluster its keys carry one hash tag
 * (`{<prefix>:bull}`), as BullMQ requires there: each queue's keys in one slot.
 */
export function jobsRedis(config: Config): { open: () => Redis | Cluster; prefix: string } {
  const { url, cluster, prefix } = config.redis;
  return cluster
    ? { open: () => new Cluster(clusterNodes(cluster), { redisOptions: { maxRetriesPerRequest: null } }), prefix: `{${prefix}:bull}` }
    : { open: () => new Redis(url!, { maxRetriesPerRequest: null }), prefix: `${prefix}:bull` };
}

/** The redis engine's queues: BullMQ (jobId = order id), retries with exponential backoff, failed jobs kept. */
export class BullJobQueues implements JobQueues {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly policies = new Map<QueueName, RetryPolicy>();
  /** BullMQ leaves connections it was given open on close; these are ours to close. */
  private readonly connections: Array<Redis | Cluster> = [];
  private readonly connection: Redis | Cluster;

  /** `open` makes a connection (to one Redis, or to a cluster: then `prefix` carries a hash tag). */
  constructor(private readonly open: () => Redis | Cluster, private readonly prefix: string, private readonly log: Logger) {
    this.connection = this.connect();
  }

  private connect(): Redis | Cluster {
    const connection = this.open();
    this.connections.push(connection);
    return connection;
  }

  async add(queue: QueueName, data: Record<string, string>, { jobId }: JobOptions): Promise<void> {
    const policy = this.policies.get(queue);
    if (!policy) throw new Error(`no worker policy for queue ${queue}: call work() first`);
    await this.queue(queue).add(queue, data, {
      jobId,
      attempts: policy.attempts,
      backoff: { type: CAPPED_EXPONENTIAL },
      removeOnComplete: { age: KEEP_COMPLETED_SEC },
      removeOnFail: false,
    });
  }

  work(queue: QueueName, handler: JobHandler, policy: RetryPolicy): void {
    this.policies.set(queue, policy);
    const worker = new Worker(
      queue,
      async (job) => {
        try {
          await handler(job.data as Record<string, string>);
        } catch (err) {
          if (err instanceof PermanentJobFailure) throw new UnrecoverableError(err.message);
          throw err;
        }
      },
      {
        connection: this.connect(),
        prefix: this.prefix,
        concurrency: policy.concurrency,
        lockDuration: LOCK_MS,
        stalledInterval: STALLED_CHECK_MS,
        maxStalledCount: MAX_STALLS,
        settings: { backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) => backoffDelay(policy, attemptsMade, err) },
      },
    );
    worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) this.log.warn({ queue, jobId: job.id, reason: err.message }, 'job failed for good');
    });
    worker.on('error', (err) => this.log.warn({ err, queue }, 'queue worker error'));
    this.workers.push(worker);
  }

  async every(queue: QueueName, everyMs: number): Promise<void> {
    await this.queue(queue).upsertJobScheduler(queue, { every: everyMs }, { name: queue, opts: { removeOnComplete: true, removeOnFail: true } });
  }

  async failed(queue: QueueName): Promise<Array<{ jobId: string; reason: string }>> {
    const jobs = await this.queue(queue).getFailed();
    return jobs.map((j) => ({ jobId: String(j.id), reason: j.failedReason }));
  }

  async adopt(name: QueueName, take: AdoptJob): Promise<number> {
    const queue = this.queue(name);
    let taken = 0;
    for (const job of await queue.getJobs(['delayed', 'waiting', 'prioritized'])) {
      if (!job) continue;
      await take(job.data as Record<string, string>, job.timestamp + (job.opts.delay ?? 0));
      // Another node starting at the same time may have removed it first.
      await job.remove().catch(() => undefined);
      taken++;
    }
    const left = await queue.getJobCounts('active', 'failed');
    if (left.active || left.failed) {
      this.log.warn({ queue: name, ...left }, 'jobs of a retired queue left: active ones are held by an older node, failed ones wait for an operator');
    }
    return taken;
  }

  /** Every queue with a worker on this node, for the dashboard. */
  all(): Queue[] {
    return [...this.policies.keys()].map((name) => this.queue(name));
  }

  /**
   * Shutdown does not wait for jobs in flight: their locks lapse and BullMQ hands them to another
   * worker (they are idempotent by job id), so a hung mall cannot hold a node's exit.
   */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close(true)));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    for (const connection of this.connections) connection.disconnect();
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) this.queues.set(name, (queue = new Queue(name, { connection: this.connection, prefix: this.prefix })));
    return queue;
  }
}
