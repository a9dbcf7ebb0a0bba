import { paced, sleep } from '../lib/pacer.ts';
import { nowMs } from '../lib/stats.ts';
import type { Hosts } from './hosts.ts';
import type { Target } from './messages.ts';
import type { PoolReport, ViewerPool } from './pool.ts';
import type { ServerUnderTest } from './servers.ts';

const POLL_MS = 250;

export interface StepLoad {
  server: ServerUnderTest;
  pool: ViewerPool;
  hosts: Hosts;
  commentsPerSec: number;
  likesPerSec: number;
  /** Longest wait after the last pin for the deliveries still in flight. */
  drainSec: number;
  /** Rooms the viewers are spread over evenly; each pin goes to one of them. */
  rooms: number;
  /** Viewers that stopped reading: nothing is expected for them. */
  slow: number;
}

export interface StepResult {
  target: Target;
  step: number;
  rate: number;
  viewers: number;
  pinsSent: number;
  /** Pins answered with an error, or not answered within 5 s. */
  pinsFailed: number;
  /** Host sockets that closed under the bench and were replaced. */
  hostReconnects: number;
  pinError?: string;
  offeredPerSec: number;
  /** Of the viewers, those that stopped reading (--slow); `expected` and the latencies are the others'. */
  slowViewers: number;
  expected: number;
  delivered: number;
  /** Delivered / (first pin sent -> end of the nominal window, or the last delivery if later). */
  achievedPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  serverCpuSeconds: number;
  /** 'server': its own report (/metrics, /stats); 'proc': /proc, because the server did not answer. */
  cpuSource: 'server' | 'proc';
  procCpuSeconds: number;
  /** Share of the server's CPU spent in the kernel (from /proc). */
  serverKernelShare: number;
  serverCpuPct: number;
  cpuUsPerDelivery: number;
  rssMB: number;
  serverLoopLagP99Ms: number;
  serverCloses: number;
  loadgenCpuPct: number;
  /** Busiest viewer process's event-loop utilization over the step (1 = saturated). */
  loadgenEluMax: number;
  framesPerViewerPerSec: number;
  commentsSent: number;
  commentsRefused: number;
  likesSent: number;
  duplicates: number;
  viewerSocketsClosed: number;
  pacerMaxLagMs: number;
  drainMs: number;
  /** Everything delivered, no pin unanswered and no frame arriving any more before the drain ran out. */
  settled: boolean;
  viewerErrors: string[];
  /** Viewers of this server whose first connect failed (retried once), and the first reason. */
  connectRetries: number;
  connectError?: string;
  /** Set by the bench: this rate ran on a restarted server, because the previous one left a backlog. */
  freshServer?: boolean;
}

/**
 * One offered rate: chatter on, pins at `rate`/s for `seconds`, chatter off, then wait until every
 * viewer has every pin (or `drainSec` passes) and the servers' frames stop. The server's CPU is
 * read before and after the whole of it, so a backlog worked off while draining is counted.
 */
export async function runStep(load: StepLoad, step: number, rate: number, seconds: number): Promise<StepResult> {
  const { server, pool, hosts } = load;
  const before = { server: await server.sample(), viewers: await pool.report(step), loadgen: loadgenCpu(pool), hosts: { ...hosts.counts }, at: nowMs() };

  pool.chatter(load.commentsPerSec, load.likesPerSec);
  const sendStart = nowMs();
  const pace = await paced(rate, seconds, () => hosts.publish(step));
  const sendEnd = nowMs();
  const sending = await server.sample();
  pool.chatter(0, 0);

  const readers = pool.connected - load.slow;
  const expected = (pace.sent * readers) / load.rooms;
  const deadline = sendEnd + load.drainSec * 1000;
  let viewers = await pool.report(step);
  let settled = false;
  while (!settled && nowMs() < deadline) {
    const frames = viewers.frames;
    await sleep(POLL_MS);
    viewers = await pool.report(step);
    settled = viewers.delivered >= expected && viewers.frames === frames && hosts.counts.pending === 0;
  }
  const after = { server: await server.sample(), loadgen: loadgenCpu(pool), at: nowMs() };

  const elapsedSec = (after.at - before.at) / 1000;
  const ownCpu = after.server.cpuSeconds - before.server.cpuSeconds;
  const procCpu = after.server.procCpuSeconds - before.server.procCpuSeconds;
  const serverCpuSeconds = Number.isFinite(ownCpu) ? ownCpu : procCpu;
  const spanSec = (Math.max(viewers.lastAt, sendStart + seconds * 1000) - sendStart) / 1000;
  const delta = (key: 'frames' | 'commentsSent' | 'commentsRefused' | 'likesSent' | 'duplicates' | 'closed') => viewers[key] - before.viewers[key];
  return {
    target: server.target,
    step,
    rate,
    viewers: pool.connected,
    pinsSent: pace.sent,
    pinsFailed: hosts.counts.failed - before.hosts.failed,
    hostReconnects: hosts.counts.reconnects - before.hosts.reconnects,
    ...(hosts.counts.error ? { pinError: hosts.counts.error } : {}),
    offeredPerSec: (rate * readers) / load.rooms,
    slowViewers: load.slow,
    expected,
    delivered: viewers.delivered,
    achievedPerSec: viewers.delivered / spanSec,
    p50Ms: viewers.latency.percentile(50),
    p95Ms: viewers.latency.percentile(95),
    p99Ms: viewers.latency.percentile(99),
    maxMs: viewers.latency.max,
    serverCpuSeconds,
    cpuSource: Number.isFinite(ownCpu) ? 'server' : 'proc',
    procCpuSeconds: procCpu,
    serverKernelShare: (after.server.procSystemSeconds - before.server.procSystemSeconds) / procCpu,
    serverCpuPct: (100 * serverCpuSeconds) / elapsedSec,
    cpuUsPerDelivery: (serverCpuSeconds * 1e6) / viewers.delivered,
    rssMB: Math.max(sending.rssBytes, after.server.rssBytes) / 2 ** 20,
    serverLoopLagP99Ms: sending.loopLagP99Ms,
    serverCloses: after.server.closes - before.server.closes,
    loadgenCpuPct: (100 * (after.loadgen - before.loadgen)) / elapsedSec,
    loadgenEluMax: maxUtilization(before.viewers, viewers),
    framesPerViewerPerSec: delta('frames') / readers / spanSec,
    commentsSent: delta('commentsSent'),
    commentsRefused: delta('commentsRefused'),
    likesSent: delta('likesSent'),
    duplicates: delta('duplicates'),
    viewerSocketsClosed: delta('closed'),
    pacerMaxLagMs: pace.maxLagMs,
    drainMs: after.at - sendEnd,
    settled,
    viewerErrors: viewers.errors,
    connectRetries: pool.connectRetries,
    ...(pool.connectErrors[0] ? { connectError: pool.connectErrors[0] } : {}),
  };
}

/** The viewer processes plus this one (hosts, pacing, polling). */
function loadgenCpu(pool: ViewerPool): number {
  const self = process.cpuUsage();
  return pool.cpuSeconds() + (self.user + self.system) / 1e6;
}

function maxUtilization(before: PoolReport, after: PoolReport): number {
  return Math.max(0, ...after.loops.map((loop, i) => {
    const active = loop.active - (before.loops[i]?.active ?? 0);
    const idle = loop.idle - (before.loops[i]?.idle ?? 0);
    return active / (active + idle || 1);
  }));
}
