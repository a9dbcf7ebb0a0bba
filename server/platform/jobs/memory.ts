import type { Logger } from '../../observability/logger.ts';
import { backoffDelay, PermanentJobFailure, type JobHandler, type JobOptions, type JobQueues, type QueueName, type RetryPolicy } from './queue.ts';

interface Job {
  data: Record<string, string>;
  attempt: number;
  state: 'waiting' | 'active' | 'completed' | 'failed';
  reason?: string;
}

/** BullMQ's behaviour in one process, for `npm start` without Redis: nothing survives a restart. */
export class MemoryJobQueues implements JobQueues {
  private readonly jobs = new Map<QueueName, Map<string, Job>>();
  private readonly workers = new Map<QueueName, { handler: JobHandler; policy: RetryPolicy; active: number; backlog: string[] }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly log: Logger) {}

  async add(queue: QueueName, data: Record<string, string>, { jobId }: JobOptions): Promise<void> {
    const jobs = this.queue(queue);
    if (jobs.has(jobId)) return;
    jobs.set(jobId, { data, attempt: 0, state: 'waiting' });
    // Never inside the caller's step: BullMQ's worker picks a job up on its own connection, later.
    this.later(0, () => this.enqueue(queue, jobId));
  }

  work(queue: QueueName, handler: JobHandler, policy: RetryPolicy): void {
    this.workers.set(queue, { handler, policy, active: 0, backlog: [] });
    for (const [jobId, job] of this.queue(queue)) if (job.state === 'waiting') this.enqueue(queue, jobId);
  }

  async every(queue: QueueName, everyMs: number): Promise<void> {
    const tick = () => {
      this.queue(queue).delete('every');
      void this.add(queue, {}, { jobId: 'every' });
      this.later(everyMs, tick);
    };
    this.later(everyMs, tick);
  }

  async failed(queue: QueueName): Promise<Array<{ jobId: string; reason: string }>> {
    return [...this.queue(queue)].filter(([, j]) => j.state === 'failed').map(([jobId, j]) => ({ jobId, reason: j.reason ?? '' }));
  }

  /** Nothing outlives the process here, so no earlier version left jobs behind. */
  async adopt(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  private enqueue(queue: QueueName, jobId: string): void {
    const worker = this.workers.get(queue);
    if (!worker || this.closed) return;
    worker.backlog.push(jobId);
    this.drain(queue);
  }

  private drain(queue: QueueName): void {
    const worker = this.workers.get(queue)!;
    while (worker.active < worker.policy.concurrency && worker.backlog.length) {
      const jobId = worker.backlog.shift()!;
      const job = this.queue(queue).get(jobId)!;
      job.state = 'active';
      job.attempt++;
      worker.active++;
      worker.handler(job.data).then(
        () => (job.state = 'completed'),
        (err: Error) => {
          const final = err instanceof PermanentJobFailure || job.attempt >= worker.policy.attempts;
          job.state = final ? 'failed' : 'waiting';
          job.reason = err.message;
          if (final) this.log.warn({ queue, jobId, reason: err.message }, 'job failed for good');
          else this.later(backoffDelay(worker.policy, job.attempt, err), () => this.enqueue(queue, jobId));
        },
      ).finally(() => {
        worker.active--;
        this.drain(queue);
      });
    }
  }

  private later(ms: number, run: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private queue(queue: QueueName): Map<string, Job> {
    let jobs = this.jobs.get(queue);
    if (!jobs) this.jobs.set(queue, (jobs = new Map()));
    return jobs;
  }
}
