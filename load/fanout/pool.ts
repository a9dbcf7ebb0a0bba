import { fileURLToPath } from 'node:url';
import { Histogram } from '../lib/stats.ts';
import { Workers } from '../lib/workers.ts';
import type { FromViewers, ToViewers, ViewerConfig, ViewerReport } from './messages.ts';

const SCRIPT = fileURLToPath(new URL('./viewers.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONNECT_TIMEOUT_MS = 60_000;

/** Every viewer process's report for one step, added up. */
export interface PoolReport extends Omit<ViewerReport, 'latency' | 'loop' | 'error'> {
  latency: Histogram;
  /** Per process. */
  loops: Array<{ idle: number; active: number }>;
  errors: string[];
}

/** The viewer processes (viewers.ts). */
export class ViewerPool {
  connected = 0;
  /** Viewers whose first connect failed, and why (see viewers.ts connectAll). */
  connectRetries = 0;
  readonly connectErrors: string[] = [];

  private constructor(private readonly workers: Workers<ToViewers, FromViewers>) {}

  /**
   * Forks `procs` processes and connects `viewers` sockets split between them; with several `urls`
   * (several nodes), process i connects to urls[i % urls.length].
   */
  static async start(config: Omit<ViewerConfig, 'first' | 'count'>, viewers: number, procs: number, urls = [config.url]): Promise<ViewerPool> {
    const pool = new ViewerPool(Workers.fork('viewers', SCRIPT, ROOT, viewers, procs));
    const outcome = await pool.workers.connect((i, first, count) => ({ type: 'connect', config: { ...config, url: urls[i % urls.length]!, first, count } }), CONNECT_TIMEOUT_MS, 'viewer');
    pool.connected = outcome.connected;
    pool.connectRetries = outcome.retried;
    pool.connectErrors.push(...outcome.errors);
    return pool;
  }

  /** Total rates, split by each process's share of the viewers. */
  chatter(commentsPerSec: number, likesPerSec: number): void {
    const { total } = this.workers;
    this.workers.entries.forEach(({ share }, i) => {
      const part = share / total;
      this.workers.send(i, { type: 'chatter', commentsPerSec: commentsPerSec * part, likesPerSec: likesPerSec * part });
    });
  }

  async report(step: number): Promise<PoolReport> {
    const replies = await this.workers.askAll(() => ({ type: 'report', step }));
    const total: PoolReport = {
      step, delivered: 0, lastAt: 0, latency: new Histogram(), duplicates: 0, frames: 0, bytes: 0,
      commentsSent: 0, likesSent: 0, commentsRefused: 0, closed: 0, loops: [], errors: [],
    };
    for (const reply of replies) {
      if (reply.type !== 'report') continue;
      const { latency, loop, error, lastAt, ...counts } = reply.report;
      for (const key of ['delivered', 'duplicates', 'frames', 'bytes', 'commentsSent', 'likesSent', 'commentsRefused', 'closed'] as const) {
        total[key] += counts[key];
      }
      total.lastAt = Math.max(total.lastAt, lastAt);
      total.latency.merge(latency);
      total.loops.push(loop);
      if (error) total.errors.push(error);
    }
    return total;
  }

  /** CPU seconds of the viewer processes, from /proc. */
  cpuSeconds(): number {
    return this.workers.cpuSeconds();
  }

  stop(): Promise<void> {
    return this.workers.stop();
  }
}
