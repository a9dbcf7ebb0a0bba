/**
 * The seam for background work with retries (settling orders into the mall, refunds): BullMQ on the
 * redis engine, an in-process twin on the memory engine (which keeps nothing across restarts). A
 * job id names the work, so adding the same job twice (a retry, a sweep) never runs it twice while
 * it exists. Work due at a time is the scheduler's (platform/scheduler), not a delayed job.
 */
/** A queue's name, the domain's own (orders: `settle`, `refund`, `sweep`). */
export type QueueName = string;

export interface JobOptions {
  jobId: string;
}

export interface RetryPolicy {
  /** Attempts before the job lands in the failed (dead-letter) set an operator retries from. */
  attempts: number;
  /** First backoff ceiling; each retry doubles it, up to maxBackoffMs; the wait is drawn below it (full jitter). */
  backoffMs: number;
  /** So a job that failed through a long outage is retried soon after it ends. */
  maxBackoffMs: number;
  concurrency: number;
}

/**
 * The wait before retry number `attempt` (1 after the first failure): full jitter (uniform below the
 * doubling ceiling), so jobs that failed together in a storm do not retry together; and never sooner
 * than a failure that says when (RetryLater: the other side's `Retry-After`), capped at maxBackoffMs.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, err?: unknown, random = Math.random): number {
  const ceiling = Math.min(policy.backoffMs * 2 ** (attempt - 1), policy.maxBackoffMs);
  const jittered = Math.floor(random() * ceiling);
  const asked = err instanceof RetryLater ? Math.min(err.afterMs, policy.maxBackoffMs) : 0;
  return Math.max(jittered, asked);
}

/** Throw this from a handler when the other side said when to come back. */
export class RetryLater extends Error {
  override name = 'RetryLater';
  constructor(message: string, readonly afterMs: number) {
    super(message);
  }
}

export type JobHandler = (data: Record<string, string>) => Promise<void>;

export type AdoptJob = (data: Record<string, string>, dueAt: number) => Promise<void>;

/** Throw this from a handler when retrying cannot help (the mall refused the order itself). */
export class PermanentJobFailure extends Error {
  override name = 'PermanentJobFailure';
}

export interface JobQueues {
  add(queue: QueueName, data: Record<string, string>, options: JobOptions): Promise<void>;
  work(queue: QueueName, handler: JobHandler, policy: RetryPolicy): void;
  /** Runs the queue's job every `everyMs` on one node of all (a repeatable job), until close. */
  every(queue: QueueName, everyMs: number): Promise<void>;
  /** Jobs that used up their attempts, for operators. */
  failed(queue: QueueName): Promise<Array<{ jobId: string; reason: string }>>;
  /**
   * Takes over the jobs left waiting in a queue no worker of this version reads (an upgrade moved
   * that work elsewhere): hands each one's data and the time it was due to `take`, then removes it.
   * Answers how many it took. Safe on every node at once: a job two nodes take is taken twice, and
   * `take` is idempotent.
   */
  adopt(queue: QueueName, take: AdoptJob): Promise<number>;
  close(): Promise<void>;
}
