import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { flags } from '../lib/flags.ts';
import { gitState } from '../fanout/report.ts';
import { onInterrupt } from '../lib/proc.ts';
import { sleep } from '../lib/pacer.ts';
import { nowMs } from '../lib/stats.ts';
import { TIMELINE_BUCKET_MS, type Target } from './messages.ts';
import { BuyerPool, type PoolReport } from './pool.ts';
import { randomPrefix, redisCeiling, RedisAdmin, type Ceiling } from '../lib/redis.ts';
import { PrivateCluster } from '../../server/testing/redis-cluster.ts';
import { ceilingLine, headline, judge, markdown, warnings, writeJson, type StormResult } from './report.ts';
import { CAMPAIGN, JWT_SECRET, ROOM, startBaseline, startRoomcast, type ServerSample, type ServerUnderTest } from './servers.ts';
import { pin } from '../lib/proc.ts';

/**
 * `npm run bench:storm`: a tap storm. N viewers join one room and every one of them taps "buy" on
 * a sale of S units (or "claim" on a popped coupon of S, `--op claim`) within `--spread` seconds
 * (open loop), first on Roomcast (Redis engine, native msgpack WebSocket; one process, or each
 * count of `--workers`), then on a naive socket.io server that does GET + DECR on Redis. Each on
 * its own random Redis key prefix, deleted at the end. `--pin`: the server on CPU 0, this process
 * and the load generator on CPU 1 (Redis where the kernel puts it), so the server's CPU figure has
 * no generator in it. Prints the table, one headline per server (`storm <decisions/s>/s exact`, or
 * OVERSOLD) and writes load/results/storm-<time>.json.
 *
 *   npm run bench:storm -- --viewers 500 --stock 50
 *   npm run bench:storm -- --viewers 10000 --stock 1000 --spread 0.5 --workers 1,2 --pin
 */

const { values } = parseArgs({
  options: {
    viewers: { type: 'string', default: '5000' },
    stock: { type: 'string', default: '500' },
    spread: { type: 'string', default: '1' },
    procs: { type: 'string', default: '2' },
    drain: { type: 'string', default: '20' },
    targets: { type: 'string', default: 'roomcast,baseline' },
    'ceiling-requests': { type: 'string', default: '200000' },
    /** Write a V8 CPU profile of the Roomcast server to this directory (open it in Chrome DevTools). */
    profile: { type: 'string' },
    /**
     * Roomcast's engine: redis (REDIS_URL), cluster (a three-master Redis Cluster this bench starts
     * from redis-server, REDIS_CLUSTER) or memory (the embedded store, one process).
     */
    engine: { type: 'string', default: 'redis' },
    /** A checkout of an earlier commit (with its node_modules): its Roomcast runs first, as target `before`. */
    before: { type: 'string' },
    /** Roomcast as this many processes (WORKERS=N), each count one run: "1", "1,2". */
    workers: { type: 'string', default: '1' },
    /** taskset: the server on CPU 0, the load generator and this process on CPU 1. */
    pin: { type: 'boolean', default: false },
    /** What every viewer taps: buy (the flash sale) or claim (the popped coupon). */
    op: { type: 'string', default: 'buy' },
  },
});

const { number, integer, targets, usage } = flags('bench:storm', '--viewers N --stock S --spread SECONDS --procs N --drain SECONDS --targets roomcast,baseline --workers 1,2 --pin --op buy|claim --ceiling-requests N (0: skip) --profile DIR --engine redis|cluster|memory --before DIR; env REDIS_URL (default redis://127.0.0.1:6379)');
const options = {
  viewers: integer('viewers', values.viewers, 1, 20_000),
  stock: integer('stock', values.stock, 1, 1_000_000),
  spreadSec: number('spread', values.spread, 0.01, 30),
  procs: integer('procs', values.procs, 1, 8),
  drainSec: number('drain', values.drain, 1, 120),
  targets: [...(values.before ? ['before' as const] : []), ...targets(values.targets)],
  engine: values.engine === 'memory' || values.engine === 'redis' || values.engine === 'cluster' ? (values.engine as 'memory' | 'redis' | 'cluster') : usage('--engine must be redis, cluster or memory'),
  ceilingRequests: integer('ceiling-requests', values['ceiling-requests'], 0, 10_000_000),
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  workers: values.workers!.split(',').map((w) => integer('workers', w, 1, 16)),
  pin: values.pin!,
  op: values.op === 'buy' ? 'flash.buy' as const : values.op === 'claim' ? 'coupon.claim' as const : usage('--op must be buy or claim'),
};
if (options.workers.some((w) => w > 1) && options.engine === 'memory') usage('--workers above 1 needs the redis engine');
if (options.pin) pin(process.pid, '1');

const POLL_MS = 100;
/** Lead time between telling the buyer processes to fire and the first send. */
const FIRE_LEAD_MS = 100;
/** After connecting: joins answered, the first presence report and the join burst's frames out of the way. */
const SETTLE_MS = 1500;

const admin = new RedisAdmin(options.redisUrl);
/** `--engine cluster`: started once for the run, removed at its end. */
const cluster = options.engine === 'cluster' ? await PrivateCluster.start() : undefined;
/** Every run's own key prefix (a run of each target and worker count); all deleted at the end. */
const prefixes: string[] = [];
const prefixFor = (target: Target): string => {
  const prefix = randomPrefix(target === 'roomcast' ? 'rc' : target === 'before' ? 'rc-before' : 'naive');
  prefixes.push(prefix);
  return prefix;
};
const runId = randomBytes(4).toString('hex');

/** Every key of this run, whatever happened; answers what was deleted, and anything still there. */
async function cleanUp(): Promise<{ deleted: Record<string, number>; left: number }> {
  const deleted: Record<string, number> = {};
  let left = 0;
  for (const prefix of prefixes) {
    deleted[prefix] = await admin.deleteAll(prefix);
    left += await admin.count(prefix);
  }
  return { deleted, left };
}

/** Buyer processes plus this one. */
function loadgenCpuSeconds(pool: BuyerPool): number {
  const self = process.cpuUsage();
  return pool.cpuSeconds() + (self.user + self.system) / 1e6;
}

async function runTarget(target: Target, workers: number): Promise<StormResult> {
  const prefix = prefixFor(target);
  console.error(`${target}${workers > 1 ? ` (${workers} workers)` : ''}: starting the server (Redis prefix ${prefix})`);
  const server: ServerUnderTest = target === 'baseline'
    ? await startBaseline(admin, prefix, options.stock, options.viewers)
    : await startRoomcast(admin, prefix, options.stock, options.viewers, { profileDir: values.profile, engine: options.engine, workers, op: options.op, ...(cluster ? { cluster: cluster.nodes } : {}), ...(target === 'before' ? { dir: values.before } : {}) });
  try {
    if (options.pin) pin(server.child.pid, '0');
    console.error(`${target}: connecting ${options.viewers} viewers from ${options.procs} processes`);
    const connectStart = Date.now();
    const pool = await BuyerPool.start(
      { target, url: server.url, room: ROOM, op: options.op, campaign: CAMPAIGN, jwtSecret: JWT_SECRET, runId },
      options.viewers,
      options.procs,
    );
    try {
      console.error(`${target}: ${pool.connected} connected and joined in ${((Date.now() - connectStart) / 1000).toFixed(1)} s; storm: ${pool.connected} buys in ${options.spreadSec} s on ${options.stock} units`);
      await sleep(SETTLE_MS);
      return await storm(server, pool, workers);
    } finally {
      await pool.stop();
    }
  } finally {
    await server.stop();
  }
}

async function storm(server: ServerUnderTest, pool: BuyerPool, workers: number): Promise<StormResult> {
  const died = server.child.exited.then((code): never => {
    throw new Error(`${server.target} server exited (${code}) during the storm:\n${server.child.tail()}`);
  });
  died.catch(() => {});
  const before = { server: await server.sample(), redisCpu: await admin.cpuSeconds(), redisCommands: await admin.commandsProcessed(), loadgen: loadgenCpuSeconds(pool), buyers: await pool.report(), at: nowMs() };
  const spreadMs = options.spreadSec * 1000;
  const startAt = nowMs() + FIRE_LEAD_MS;
  pool.fire(startAt, spreadMs);

  // Drain: until every buy has its answer, or the drain runs out after the last scheduled send.
  const deadline = startAt + spreadMs + options.drainSec * 1000;
  let buyers: PoolReport = before.buyers;
  while (nowMs() < deadline) {
    await Promise.race([sleep(POLL_MS), died]);
    buyers = await pool.report();
    if (buyers.sent >= pool.connected && buyers.replied >= buyers.sent) break;
  }
  const after = { server: await server.sample(), redisCpu: await admin.cpuSeconds(), redisCommands: await admin.commandsProcessed(), loadgen: loadgenCpuSeconds(pool), at: nowMs() };
  const audit = await server.audit(buyers.orders.map(([, id]) => id));

  const ownCpu = after.server.cpuSeconds - before.server.cpuSeconds;
  const serverCpuSeconds = Number.isFinite(ownCpu) ? ownCpu : after.server.procCpuSeconds - before.server.procCpuSeconds;
  const windowMs = buyers.lastReplyAt - buyers.firstSentAt;
  const measuredSec = (after.at - before.at) / 1000;
  const ok = buyers.codes.ok ?? 0;
  const soldOut = buyers.codes.sold_out ?? 0;
  const redisCpuSeconds = after.redisCpu - before.redisCpu;
  const partial = {
    target: server.target,
    label: server.label,
    op: options.op,
    workers,
    pinned: options.pin,
    prefix: server.prefix,
    viewers: options.viewers,
    connected: pool.connected,
    stock: options.stock,
    spreadMs,
    sent: buyers.sent,
    replied: buyers.replied,
    unanswered: buyers.sent - buyers.replied,
    extraReplies: buyers.extraReplies,
    offeredPerSec: pool.connected / options.spreadSec,
    decisionsPerSec: windowMs > 0 ? buyers.replied / (windowMs / 1000) : NaN,
    windowMs,
    p50Ms: buyers.latency.percentile(50),
    p99Ms: buyers.latency.percentile(99),
    maxMs: buyers.latency.max,
    meanMs: buyers.latency.mean,
    okP50Ms: buyers.latencyOk.percentile(50),
    okP99Ms: buyers.latencyOk.percentile(99),
    refusedP50Ms: buyers.latencyRefused.percentile(50),
    refusedP99Ms: buyers.latencyRefused.percentile(99),
    ...serverBuyTimes(before.server, after.server),
    codes: buyers.codes,
    timeline: { bucketMs: TIMELINE_BUCKET_MS, ...buyers.timeline },
    ok,
    soldOut,
    other: buyers.replied - ok - soldOut,
    oversold: Math.max(0, ok - options.stock),
    okUsers: new Set(buyers.orders.map(([user]) => user)).size,
    audit,
    serverCpuSeconds,
    cpuSource: Number.isFinite(ownCpu) ? 'server' as const : 'proc' as const,
    serverCpuPct: (100 * serverCpuSeconds) / measuredSec,
    cpuUsPerDecision: (serverCpuSeconds * 1e6) / buyers.replied,
    userUsPerDecision: ((after.server.procUserSeconds - before.server.procUserSeconds) * 1e6) / buyers.replied,
    systemUsPerDecision: ((after.server.procSystemSeconds - before.server.procSystemSeconds) * 1e6) / buyers.replied,
    redisCpuSeconds,
    redisCpuUsPerDecision: (redisCpuSeconds * 1e6) / buyers.replied,
    ...batchFigures(before.server, after.server),
    storeCommandsPer100: ((after.server.storeCommands ?? NaN) - (before.server.storeCommands ?? NaN)) * 100 / buyers.replied,
    redisCommandsPer100: (after.redisCommands - before.redisCommands) * 100 / buyers.replied,
    rssMB: after.server.rssBytes / 2 ** 20,
    loadgenCpuPct: (100 * (after.loadgen - before.loadgen)) / measuredSec,
    loadgenEluMax: maxUtilization(before.buyers, buyers),
    framesReceived: buyers.frames - before.buyers.frames,
    socketsClosed: buyers.closed,
    pacerMaxLagMs: buyers.pacerMaxLagMs,
    connectRetries: pool.connectRetries,
    connectFailed: options.viewers - pool.connected,
    errors: [...pool.connectErrors.map((e) => `connect: ${e}`), ...buyers.errors],
  };
  const result: StormResult = { ...partial, ...judge(partial) };
  console.error(`  ${headline(result)}; p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms`);
  return result;
}

/** Batches over the storm: how many taps one script call decided, and how long a call took. */
function batchFigures(before: ServerSample, after: ServerSample): { batches?: number; tapsPerBatch?: number; batchMeanMs?: number } {
  if (!before.batches || !after.batches) return {};
  const count = after.batches.count - before.batches.count;
  return { batches: count, tapsPerBatch: (after.batches.taps - before.batches.taps) / count, batchMeanMs: (1000 * (after.batches.seconds - before.batches.seconds)) / count };
}

/** Mean in-server time per buy over the storm, from Roomcast's op histogram (nothing for the baseline). */
function serverBuyTimes(before: ServerSample, after: ServerSample): { serverOkMeanMs?: number; serverRefusedMeanMs?: number } {
  if (!before.buys || !after.buys) return {};
  const mean = (k: 'ok' | 'refused') => (1000 * (after.buys![k].sumSeconds - before.buys![k].sumSeconds)) / (after.buys![k].count - before.buys![k].count);
  return { serverOkMeanMs: mean('ok'), serverRefusedMeanMs: mean('refused') };
}

function maxUtilization(before: PoolReport, after: PoolReport): number {
  return Math.max(0, ...after.loops.map((loop, i) => {
    const active = loop.active - (before.loops[i]?.active ?? 0);
    const idle = loop.idle - (before.loops[i]?.idle ?? 0);
    return active / (active + idle || 1);
  }));
}

/** fetch() says only "fetch failed"; the cause says why. */
function describe(err: unknown): string {
  const { message, cause } = err as Error & { cause?: Error & { code?: string } };
  return cause ? `${message} (${cause.code ?? cause.message})` : message;
}

async function main(): Promise<void> {
  const started = Date.now();
  const git = gitState();
  await admin.connect();
  // SIGINT/SIGTERM: children are killed first (load/lib/proc.ts), then this deletes the run's keys.
  onInterrupt(async () => {
    const { deleted } = await cleanUp();
    process.stderr.write(`deleted ${Object.values(deleted).reduce((a, b) => a + b, 0)} Redis keys of this run\n`);
  });

  const results: StormResult[] = [];
  const errors: Record<string, string> = {};
  let ceiling: Ceiling | undefined;
  let cleanup: Awaited<ReturnType<typeof cleanUp>> | undefined;
  try {
    for (const target of options.targets) {
      for (const workers of target === 'roomcast' ? options.workers : [1]) {
        const name = workers > 1 ? `${target}-w${workers}` : target;
        try {
          results.push(await runTarget(target, workers));
        } catch (err) {
          errors[name] = describe(err);
          console.error(`${name}: FAILED: ${errors[name]}`);
        }
      }
    }
    if (options.ceilingRequests) {
      console.error(`redis-benchmark: ${options.ceilingRequests} EVALs from 50 connections`);
      ceiling = await redisCeiling(options.redisUrl, prefixFor('roomcast'), options.ceilingRequests);
    }
  } finally {
    cleanup = await cleanUp().catch((err: Error) => {
      errors.cleanup = err.message;
      return undefined;
    });
    await admin.quit();
    await cluster?.remove();
  }
  if (cleanup?.left) errors.cleanup = `${cleanup.left} keys of this run still in Redis after clean-up`;

  const file = writeJson({ options, git, prefixes, results, ceiling, cleanup, errors });
  const tree = `${git.commit}${git.serverDirty ? ' + uncommitted server/config changes' : ''}`;
  const what = options.op === 'flash.buy' ? `tap buy within ${options.spreadSec} s on ${options.stock} units` : `claim within ${options.spreadSec} s a coupon of ${options.stock}`;
  console.log(`\n## Tap storm: ${options.viewers} viewers ${what}, one per user${options.pin ? ', server pinned to CPU 0, load generator to CPU 1' : ''} (${tree})\n`);
  if (results.length) console.log(markdown(results));
  console.log('');
  for (const r of results) console.log(headline(r));
  console.log(ceilingLine(ceiling, results.find((r) => r.target === 'roomcast')));
  const notes = [...warnings(results), ...Object.entries(errors).map(([t, e]) => `${t}: failed: ${e.split('\n')[0]}`)];
  if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
  const deleted = cleanup ? Object.values(cleanup.deleted).reduce((a, b) => a + b, 0) : NaN;
  console.log(`\nRedis: deleted ${deleted} keys under ${prefixes.join(', ')}; results: ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  // The baseline overselling is the expected outcome; Roomcast not being exact is a failure.
  const roomcastWrong = results.some((r) => r.target !== 'baseline' && r.verdict !== 'exact');
  process.exit(Object.keys(errors).length || roomcastWrong ? 1 : 0);
}

main().catch(async (err) => {
  console.error(err);
  await cleanUp().catch(() => {});
  process.exit(1);
});
