import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from './config/schema.ts';
import type { Logger } from './observability/logger.ts';
import { serveClusterMetrics } from './observability/cluster-metrics.ts';

/** A worker that dies this soon after it started waits before the next one, doubling up to the cap. */
const CRASH_WINDOW_MS = 10_000;
const FIRST_RESTART_MS = 500;
const MAX_RESTART_MS = 30_000;

/**
 * How many node processes the config asks for on this host. `auto` is one per core on the redis
 * engine, and one on the memory engine (whose state lives in its one process).
 */
export function workerCount(config: Config): number {
  if (config.workers !== 'auto') return config.workers;
  return config.redis.url || config.redis.cluster ? availableParallelism() : 1;
}

/** Why `count` workers cannot run with this config, or undefined when they can. */
export function workersRefused(config: Config, count: number): string | undefined {
  if (count <= 1) return undefined;
  if (!config.redis.url && !config.redis.cluster) {
    return `WORKERS=${count} needs the redis engine (REDIS_URL or REDIS_CLUSTER): on the memory engine every process would have its own rooms, stock and orders, so two buyers on two workers could both take the last unit`;
  }
  if (!config.port || !config.httpPort) return `WORKERS=${count} needs fixed ports (PORT, HTTP_PORT): the workers share them`;
  return undefined;
}

/**
 * One process per core: `count` workers (node:cluster), each a full node on the redis engine. The
 * realtime port is shared by uWS itself (SO_REUSEPORT: the kernel spreads connections over the
 * workers), the HTTP port through cluster's shared handle; /metrics answers for all of them. A
 * worker that dies is restarted (sooner when it had run a while); SIGTERM or SIGINT drains every
 * worker (each closes its sockets with 1001) and then exits.
 */
export function runWorkers(config: Config, count: number, log: Logger): void {
  const base = config.nodeId ?? `node-${process.pid}`;
  const started = new Map<number, { slot: number; at: number }>();
  const delays = new Map<number, number>();
  let stopping = false;

  const fork = (slot: number) => {
    const worker = cluster.fork({ ROOMCAST_WORKER: String(slot), NODE_ID: `${base}-w${slot}` });
    started.set(worker.id, { slot, at: Date.now() });
  };
  serveClusterMetrics();
  cluster.on('exit', (worker: Worker, code, signal) => {
    const { slot, at } = started.get(worker.id)!;
    started.delete(worker.id);
    if (stopping) {
      if (!started.size) {
        log.info('all workers stopped');
        process.exit(0);
      }
      return;
    }
    const quick = Date.now() - at < CRASH_WINDOW_MS;
    const delay = quick ? Math.min((delays.get(slot) ?? FIRST_RESTART_MS / 2) * 2, MAX_RESTART_MS) : FIRST_RESTART_MS;
    delays.set(slot, delay);
    log.error({ worker: slot, code, signal, restartInMs: delay }, 'worker died; restarting it');
    setTimeout(() => !stopping && fork(slot), delay).unref();
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: started.size }, 'shutting down the workers');
    if (!started.size) process.exit(0);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    // Each worker exits by itself after its own shutdownTimeoutMs; this is the backstop.
    setTimeout(() => {
      log.error(`workers still running ${config.shutdownTimeoutMs + 2000} ms after ${signal}; exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs + 2000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  log.info({ workers: count, port: config.port, httpPort: config.httpPort }, `starting ${count} workers`);
  for (let slot = 0; slot < count; slot++) fork(slot);
}
