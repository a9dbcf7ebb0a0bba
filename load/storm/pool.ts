import { fileURLToPath } from 'node:url';
import { Histogram } from '../lib/stats.ts';
import { Workers } from '../lib/workers.ts';
import type { BuyerConfig, BuyerReport, FromBuyers, ToBuyers } from './messages.ts';

const SCRIPT = fileURLToPath(new URL('./buyers.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONNECT_TIMEOUT_MS = 90_000;

/** Every buyer process's report, added up. */
export interface PoolReport extends Omit<BuyerReport, 'latency' | 'latencyOk' | 'latencyRefused' | 'loop' | 'error'> {
  latency: Histogram;
  latencyOk: Histogram;
  latencyRefused: Histogram;
  /** Per process. */
  loops: Array<{ idle: number; active: number }>;
  errors: string[];
}

/** The buyer processes (buyers.ts). */
export class BuyerPool {
  connected = 0;
  connectRetries = 0;
  readonly connectErrors: string[] = [];

  private constructor(private readonly workers: Workers<ToBuyers, FromBuyers>) {}

  /** Forks `procs` processes and connects `viewers` buyers split between them. */
  static async start(config: Omit<BuyerConfig, 'first' | 'count'>, viewers: number, procs: number): Promise<BuyerPool> {
    const pool = new BuyerPool(Workers.fork('buyers', SCRIPT, ROOT, viewers, procs));
    const outcome = await pool.workers.connect((_, first, count) => ({ type: 'connect', config: { ...config, first, count } }), CONNECT_TIMEOUT_MS, 'buyer');
    pool.connected = outcome.connected;
    pool.connectRetries = outcome.retried;
    pool.connectErrors.push(...outcome.errors);
    return pool;
  }

  /**
   * Every buyer sends its buy within [startAt, startAt + spreadMs): each process spreads its own
   * evenly, the processes staggered so that together they send one every spreadMs / viewers.
   */
  fire(startAt: number, spreadMs: number): void {
    const { total } = this.workers;
    this.workers.entries.forEach((_, i) => this.workers.send(i, { type: 'fire', startAt, spreadMs, offsetMs: (i * spreadMs) / total }));
  }

  async report(): Promise<PoolReport> {
    const replies = await this.workers.askAll(() => ({ type: 'report' }));
    const total: PoolReport = {
      sent: 0, replied: 0, firstSentAt: 0, lastReplyAt: 0, latency: new Histogram(), latencyOk: new Histogram(), latencyRefused: new Histogram(), codes: {}, timeline: { sent: [], ok: [], refused: [] }, orders: [],
      extraReplies: 0, frames: 0, closed: 0, pacerMaxLagMs: 0, loops: [], errors: [],
    };
    for (const reply of replies) {
      if (reply.type !== 'report') continue;
      const r = reply.report;
      for (const key of ['sent', 'replied', 'extraReplies', 'frames', 'closed'] as const) total[key] += r[key];
      if (r.firstSentAt) total.firstSentAt = total.firstSentAt ? Math.min(total.firstSentAt, r.firstSentAt) : r.firstSentAt;
      total.lastReplyAt = Math.max(total.lastReplyAt, r.lastReplyAt);
      total.pacerMaxLagMs = Math.max(total.pacerMaxLagMs, r.pacerMaxLagMs);
      total.latency.merge(r.latency);
      total.latencyOk.merge(r.latencyOk);
      total.latencyRefused.merge(r.latencyRefused);
      for (const [code, n] of Object.entries(r.codes)) total.codes[code] = (total.codes[code] ?? 0) + n;
      total.orders.push(...r.orders);
      for (const key of ['sent', 'ok', 'refused'] as const) {
        r.timeline[key].forEach((n, i) => (total.timeline[key][i] = (total.timeline[key][i] ?? 0) + n));
      }
      total.loops.push(r.loop);
      if (r.error) total.errors.push(r.error);
    }
    return total;
  }

  /** CPU seconds of the buyer processes, from /proc. */
  cpuSeconds(): number {
    return this.workers.cpuSeconds();
  }

  stop(): Promise<void> {
    return this.workers.stop();
  }
}
