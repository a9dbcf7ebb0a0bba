import { fileURLToPath } from 'node:url';
import { procCpuSeconds, startNode, stop, type Child } from '../lib/proc.ts';
import { Histogram } from '../lib/stats.ts';
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

interface Entry {
  child: Child;
  share: number;
  waiting: Array<(m: FromBuyers) => void>;
}

/** The buyer processes (buyers.ts), like load/fanout/pool.ts: one IPC request at a time per process. */
export class BuyerPool {
  connected = 0;
  connectRetries = 0;
  readonly connectErrors: string[] = [];

  private constructor(private readonly entries: Entry[]) {
    for (const entry of entries) {
      entry.child.process.on('message', (message: FromBuyers) => entry.waiting.shift()?.(message));
    }
  }

  /** Forks `procs` processes and connects `viewers` buyers split between them. */
  static async start(config: Omit<BuyerConfig, 'first' | 'count'>, viewers: number, procs: number): Promise<BuyerPool> {
    const shares = Array.from({ length: procs }, (_, i) => Math.floor(viewers / procs) + (i < viewers % procs ? 1 : 0)).filter(Boolean);
    const pool = new BuyerPool(shares.map((share, i) => ({ child: startNode(`buyers${i}`, SCRIPT, { cwd: ROOT, ipc: true, fds: share + 256 }), share, waiting: [] })));
    try {
      let first = 0;
      const replies = await Promise.all(pool.entries.map((entry) => {
        const reply = pool.ask(entry, { type: 'connect', config: { ...config, first, count: entry.share } }, CONNECT_TIMEOUT_MS);
        first += entry.share;
        return reply;
      }));
      for (const reply of replies) {
        if (reply.type !== 'connected') continue;
        pool.connected += reply.connected;
        pool.connectRetries += reply.retried;
        if (reply.error) pool.connectErrors.push(reply.error);
      }
    } catch (err) {
      await pool.stop();
      throw err;
    }
    if (pool.connectErrors.length) {
      console.error(`  buyers: ${pool.connectRetries} retried, ${viewers - pool.connected} failed to connect; first error: ${pool.connectErrors[0]}`);
    }
    if (!pool.connected) {
      await pool.stop();
      throw new Error(`no buyer could connect: ${pool.connectErrors[0] ?? 'unknown'}`);
    }
    return pool;
  }

  /**
   * Every buyer sends its buy within [startAt, startAt + spreadMs): each process spreads its own
   * evenly, the processes staggered so that together they send one every spreadMs / viewers.
   */
  fire(startAt: number, spreadMs: number): void {
    const total = this.entries.reduce((n, e) => n + e.share, 0);
    this.entries.forEach((entry, i) => {
      entry.child.process.send({ type: 'fire', startAt, spreadMs, offsetMs: (i * spreadMs) / total } satisfies ToBuyers);
    });
  }

  async report(): Promise<PoolReport> {
    const replies = await Promise.all(this.entries.map((entry) => this.ask(entry, { type: 'report' })));
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
    return this.entries.reduce((sum, e) => sum + procCpuSeconds(e.child.pid), 0);
  }

  async stop(): Promise<void> {
    await Promise.all(this.entries.map(async (entry) => {
      if (entry.child.process.connected) entry.child.process.send({ type: 'exit' } satisfies ToBuyers);
      await Promise.race([entry.child.exited, new Promise((r) => setTimeout(r, 3000))]);
      await stop(entry.child);
    }));
  }

  private ask(entry: Entry, message: ToBuyers, timeoutMs = 10_000): Promise<FromBuyers> {
    return new Promise((resolve, reject) => {
      const answer = (reply: FromBuyers) => {
        clearTimeout(timer);
        resolve(reply);
      };
      const timer = setTimeout(() => {
        entry.waiting.splice(entry.waiting.indexOf(answer), 1);
        reject(new Error(`${entry.child.name} did not answer "${message.type}" in ${timeoutMs} ms:\n${entry.child.tail()}`));
      }, timeoutMs);
      entry.waiting.push(answer);
      entry.child.process.send(message);
    });
  }
}
