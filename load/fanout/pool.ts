import { fileURLToPath } from 'node:url';
import { procCpuSeconds, startNode, stop, type Child } from '../lib/proc.ts';
import { Histogram } from '../lib/stats.ts';
import type { FromViewers, ToViewers, ViewerConfig, ViewerReport } from './messages.ts';

const SCRIPT = fileURLToPath(new URL('./viewers.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONNECT_TIMEOUT_MS = 60_000;
/** Open files a viewer process needs beyond its sockets (IPC, stdio, libuv). */
const FD_HEADROOM = 256;

/** Every viewer process's report for one step, added up. */
export interface PoolReport extends Omit<ViewerReport, 'latency' | 'loop' | 'error'> {
  latency: Histogram;
  /** Per process. */
  loops: Array<{ idle: number; active: number }>;
  errors: string[];
}

/** The viewer processes (viewers.ts): one IPC request at a time per process. */
export class ViewerPool {
  connected = 0;
  /** Viewers whose first connect failed, and why (see viewers.ts connectAll). */
  connectRetries = 0;
  readonly connectErrors: string[] = [];

  private constructor(private readonly children: Array<{ child: Child; share: number; waiting: Array<(m: FromViewers) => void> }>) {
    for (const entry of children) {
      entry.child.process.on('message', (message: FromViewers) => entry.waiting.shift()?.(message));
    }
  }

  /**
   * Forks `procs` processes and connects `viewers` sockets split between them; with several `urls`
   * (several nodes), process i connects to urls[i % urls.length].
   */
  static async start(config: Omit<ViewerConfig, 'first' | 'count'>, viewers: number, procs: number, urls = [config.url]): Promise<ViewerPool> {
    const shares = Array.from({ length: procs }, (_, i) => Math.floor(viewers / procs) + (i < viewers % procs ? 1 : 0)).filter(Boolean);
    const pool = new ViewerPool(shares.map((share, i) => ({
      child: startNode(`viewers${i}`, SCRIPT, { cwd: ROOT, ipc: true, fds: share + FD_HEADROOM }),
      share,
      waiting: [],
    })));
    let first = 0;
    const replies = await Promise.all(pool.children.map((entry) => {
      const url = urls[pool.children.indexOf(entry) % urls.length]!;
      const reply = pool.ask(entry, { type: 'connect', config: { ...config, url, first, count: entry.share } }, CONNECT_TIMEOUT_MS);
      first += entry.share;
      return reply;
    }));
    for (const reply of replies) {
      if (reply.type !== 'connected') continue;
      pool.connected += reply.connected;
      pool.connectRetries += reply.retried;
      if (reply.error) pool.connectErrors.push(reply.error);
    }
    if (pool.connectErrors.length) {
      console.error(`  viewers: ${pool.connectRetries} retried, ${viewers - pool.connected} failed to connect; first error: ${pool.connectErrors[0]}`);
    }
    if (!pool.connected) {
      await pool.stop();
      throw new Error(`no viewer could connect: ${pool.connectErrors[0] ?? 'unknown'}`);
    }
    return pool;
  }

  /** Total rates, split by each process's share of the viewers. */
  chatter(commentsPerSec: number, likesPerSec: number): void {
    const total = this.children.reduce((n, e) => n + e.share, 0);
    for (const entry of this.children) {
      const part = entry.share / total;
      entry.child.process.send({ type: 'chatter', commentsPerSec: commentsPerSec * part, likesPerSec: likesPerSec * part } satisfies ToViewers);
    }
  }

  async report(step: number): Promise<PoolReport> {
    const replies = await Promise.all(this.children.map((entry) => this.ask(entry, { type: 'report', step })));
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
    return this.children.reduce((sum, e) => sum + procCpuSeconds(e.child.pid), 0);
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map(async (entry) => {
      if (entry.child.process.connected) entry.child.process.send({ type: 'exit' } satisfies ToViewers);
      await Promise.race([entry.child.exited, new Promise((r) => setTimeout(r, 3000))]);
      await stop(entry.child);
    }));
  }

  private ask(entry: { child: Child; waiting: Array<(m: FromViewers) => void> }, message: ToViewers, timeoutMs = 10_000): Promise<FromViewers> {
    return new Promise((resolve, reject) => {
      const answer = (reply: FromViewers) => {
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
