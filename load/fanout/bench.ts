import { parseArgs } from 'node:util';
import { flags } from '../lib/flags.ts';
import { Hosts } from './hosts.ts';
import type { Target } from './messages.ts';
import { ViewerPool } from './pool.ts';
import { gitState, markdown, warnings, writeJson } from './report.ts';
import { randomPrefix, RedisAdmin } from '../lib/redis.ts';
import { cluster, JWT_SECRET, startBaseline, startRoomcast, type ServerUnderTest, type StartOptions } from './servers.ts';
import { runStep, type StepLoad, type StepResult } from './step.ts';

/**
 * `npm run bench:fanout`: the same room job on Roomcast (memory engine) and on a plain socket.io
 * server, each in its own process, one after the other; viewers in separate processes; a host
 * pins products at stepped, open-loop rates while viewers comment and like. Prints the tables and
 * writes load/results/fanout-<time>.json.
 *
 *   npm run bench:fanout -- --viewers 200 --rate 20,50 --seconds 5
 */

const ROOM = 'bench';

const { values } = parseArgs({
  options: {
    viewers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '20,50,100' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    comments: { type: 'string', default: '200' },
    likes: { type: 'string', default: '50' },
    procs: { type: 'string', default: '2' },
    drain: { type: 'string', default: '10' },
    targets: { type: 'string', default: 'roomcast,baseline' },
    /** Write a V8 CPU profile of the Roomcast server to this directory (open it in Chrome DevTools). */
    profile: { type: 'string' },
    /** Nodes per server on one Redis (REDIS_URL): Roomcast's redis engine, socket.io's Redis adapter. */
    nodes: { type: 'string', default: '1' },
    /** On Redis even with one node (the yardstick for --nodes 2). */
    redis: { type: 'boolean', default: false },
    /** Rooms the viewers are spread over evenly (viewers must divide by it); each pin goes to one. */
    rooms: { type: 'string', default: '1' },
    /** Viewers that stop reading once joined (one room only): what a server does with sockets it cannot write to. */
    slow: { type: 'string', default: '0' },
    /** Bytes of image URL on each pinned product: frames as large as real product cards. */
    pad: { type: 'string', default: '0' },
    /** --max-old-space-size for both servers, in MB (the overload scenario's memory budget). */
    heap: { type: 'string' },
    /** A checkout of an earlier commit (with its node_modules): its Roomcast runs first, as target `before`, in the same run. */
    before: { type: 'string' },
  },
});

const { number, integer, targets, usage } = flags('bench:fanout', '--viewers N --rate 20,50,100 --seconds S --warmup S --comments PER_SEC --likes PER_SEC --procs N --drain S --targets roomcast,baseline --nodes N --redis (on REDIS_URL) --rooms N --slow N --pad BYTES --heap MB --profile DIR --before DIR');
const options = {
  viewers: integer('viewers', values.viewers, 1, 20_000),
  rates: values.rate.split(',').map((r) => number('rate', r, 0.001, 2000)),
  seconds: number('seconds', values.seconds, 0.001, 60),
  warmup: number('warmup', values.warmup, 0, 30),
  comments: number('comments', values.comments, 0, 2000),
  likes: number('likes', values.likes, 0, 5000),
  procs: integer('procs', values.procs, 1, 4),
  nodes: integer('nodes', values.nodes, 1, 4),
  // A host token lists the rooms it runs (at most 200).
  rooms: integer('rooms', values.rooms, 1, 200),
  slow: integer('slow', values.slow, 0, 20_000),
  pad: integer('pad', values.pad, 0, 16_384),
  heapMB: values.heap === undefined ? undefined : integer('heap', values.heap, 1, 16_384),
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  drain: number('drain', values.drain, 0.001, 60),
  targets: [...(values.before ? ['before' as const] : []), ...targets(values.targets)],
};
if (options.viewers % options.rooms) usage('--viewers must divide evenly into --rooms');
if (options.slow && (options.rooms > 1 || options.slow >= options.viewers)) usage('--slow needs one room and fewer slow viewers than viewers');

/** A server under test with its viewers and hosts, warmed up. */
interface Rig {
  load: StepLoad;
  /** Rejects if the server process exits before `tearDown`. */
  died: Promise<never>;
}

/** Redis key prefixes of this run's multi-node servers, deleted when it ends. */
const prefixes: string[] = [];

/** One server, or `--nodes` of them sharing one Redis under a prefix of this run (deleted at the end). */
async function startServer(target: Target): Promise<ServerUnderTest & { urls: string[] }> {
  const start = (shared?: StartOptions['shared']) => {
    const how = { profileDir: values.profile, shared, rooms: options.rooms, heapMB: options.heapMB, ...(target === 'before' ? { dir: values.before } : {}) };
    return target === 'baseline' ? startBaseline(options.viewers, how) : startRoomcast(ROOM, options.viewers, how);
  };
  if (options.nodes === 1 && !values.redis) return cluster([await start()]);
  const shared = { redisUrl: options.redisUrl, prefix: randomPrefix(target === 'baseline' ? 'naive' : 'rc') };
  prefixes.push(shared.prefix);
  const nodes: ServerUnderTest[] = [];
  try {
    for (let i = 0; i < options.nodes; i++) nodes.push(await start({ ...shared, first: i === 0 }));
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
  return cluster(nodes);
}

async function setUp(target: Target): Promise<Rig> {
  console.error(`${target}: starting ${options.nodes > 1 || values.redis ? `${options.nodes} node(s) on Redis` : 'the server'}, ${options.viewers} viewers in ${options.procs} processes`);
  const server = await startServer(target);
  let hosts: Hosts | undefined;
  let pool: ViewerPool | undefined;
  try {
    // Hosts first, one by one: a cold Roomcast has been seen to drop the first socket of a burst of upgrades.
    hosts = await Hosts.connect(target, server.url, ROOM, JWT_SECRET, Math.max(...options.rates), options.rooms, options.pad);
    pool = await ViewerPool.start({ target, url: server.url, room: ROOM, rooms: options.rooms, jwtSecret: JWT_SECRET, slow: options.slow }, options.viewers, options.procs, server.urls);
    const died = server.child.exited.then((code): never => {
      throw new Error(`${target} server exited (${code}) during the run:\n${server.child.tail()}`);
    });
    died.catch(() => {});
    const rig = { load: { server, pool, hosts, commentsPerSec: options.comments, likesPerSec: options.likes, drainSec: options.drain, rooms: options.rooms, slow: options.slow }, died };
    // JIT and connections settle: pins only, so an overloaded server does not start with a backlog.
    if (options.warmup) await measure(rig, 0, options.rates[0]!, options.warmup, false);
    return rig;
  } catch (err) {
    await hosts?.close().catch(() => {});
    await pool?.stop();
    await server.stop();
    throw err;
  }
}

async function tearDown({ load }: Rig): Promise<void> {
  await load.hosts.close().catch(() => {});
  await load.pool.stop();
  await load.server.stop();
}

function measure(rig: Rig, step: number, rate: number, seconds: number, chatter: boolean): Promise<StepResult> {
  const load = chatter ? rig.load : { ...rig.load, commentsPerSec: 0, likesPerSec: 0 };
  return Promise.race([runStep(load, step, rate, seconds), rig.died]);
}

/**
 * Every rate in turn on one server. A step that could not deliver everything within the drain
 * leaves a backlog that would bury the next one, so the next rate then gets a fresh server.
 */
async function runTarget(target: Target, results: StepResult[]): Promise<void> {
  let rig: Rig | undefined = await setUp(target);
  let freshServer = false;
  try {
    for (const [i, rate] of options.rates.entries()) {
      console.error(`${target}: ${rate} pins/s for ${options.seconds} s`);
      const result = await measure(rig, i + 1, rate, options.seconds, true);
      results.push({ ...result, freshServer });
      console.error(`  delivered ${result.delivered}/${result.expected}, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.cpuUsPerDelivery.toFixed(2)} µs CPU/delivery`);
      if (backlog(result) && i < options.rates.length - 1) {
        console.error(`${target}: restarting, the last rate left a backlog`);
        const old: Rig = rig;
        rig = undefined;
        await tearDown(old);
        rig = await setUp(target);
        freshServer = true;
      } else {
        freshServer = false;
      }
    }
  } finally {
    if (rig) await tearDown(rig);
  }
}

function backlog(result: StepResult): boolean {
  return !result.settled || result.viewerSocketsClosed > 0;
}

/** fetch() says only "fetch failed"; the cause says why. */
function describe(err: unknown): string {
  const { message, cause } = err as Error & { cause?: Error & { code?: string } };
  return cause ? `${message} (${cause.code ?? cause.message})` : message;
}

async function main(): Promise<void> {
  const started = Date.now();
  // Read before the run: what the servers were started from.
  const git = gitState();
  const results: StepResult[] = [];
  const errors: Record<string, string> = {};
  for (const target of options.targets) {
    try {
      await runTarget(target, results);
    } catch (err) {
      errors[target] = describe(err);
      console.error(`${target}: FAILED: ${errors[target]}`);
    }
  }
  if (prefixes.length) {
    const admin = new RedisAdmin(options.redisUrl);
    await admin.connect();
    for (const prefix of prefixes) await admin.deleteAll(prefix);
    await admin.quit();
  }
  const file = writeJson({ options, git, results, errors });
  const tree = `${git.commit}${git.serverDirty ? ' + uncommitted server/config changes' : ''}`;
  console.log(`\n## Fan-out: ${options.nodes > 1 ? `${options.nodes} nodes, ` : ''}${options.viewers} viewers, ${options.comments} comments/s + ${options.likes} likes/s, ${options.seconds} s per rate (${tree})\n`);
  console.log(markdown(results));
  const notes = [...warnings(results), ...Object.entries(errors).map(([t, e]) => `${t}: run failed: ${e.split('\n')[0]}`)];
  if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
  console.log(`\nresults: ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  process.exit(Object.keys(errors).length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
