import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { track } from './proc.ts';

/**
 * The bench's own Redis connection: key prefixes for one run, their clean-up (SCAN + UNLINK of
 * `<prefix>:*`, never FLUSHALL), Redis's CPU time, and the redis-benchmark ceiling.
 */

/** Only prefixes of this shape are ever deleted, so a bug cannot scan someone else's keys away. */
const PREFIX_SHAPE = /^bench-storm-[a-z-]+-[0-9a-f]{12}$/;
const SCAN_COUNT = 1000;

export function randomPrefix(kind: 'rc' | 'rc-before' | 'naive'): string {
  return `bench-storm-${kind}-${randomBytes(6).toString('hex')}`;
}

export class RedisAdmin {
  readonly redis: Redis;

  constructor(readonly url: string) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 3000 });
    // Errors surface through the commands; without a listener ioredis would log every reconnect.
    this.redis.on('error', () => {});
  }

  async connect(): Promise<void> {
    try {
      await this.redis.connect();
      await this.redis.ping();
    } catch (err) {
      this.redis.disconnect();
      throw new Error(`Redis at ${this.url} does not answer (${(err as Error).message}); set REDIS_URL or start redis-server`, { cause: err });
    }
  }

  /** Keys of `<prefix>:*`, each page of a SCAN at a time. */
  async *keys(prefix: string, match = '*'): AsyncGenerator<string[]> {
    if (!PREFIX_SHAPE.test(prefix)) throw new Error(`refusing to scan prefix "${prefix}"`);
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}:${match}`, 'COUNT', SCAN_COUNT);
      cursor = next;
      if (keys.length) yield keys;
    } while (cursor !== '0');
  }

  async count(prefix: string, match = '*'): Promise<number> {
    let n = 0;
    for await (const keys of this.keys(prefix, match)) n += keys.length;
    return n;
  }

  /** UNLINKs every key of `<prefix>:*`; answers how many. */
  async deleteAll(prefix: string): Promise<number> {
    let n = 0;
    for await (const keys of this.keys(prefix)) n += await this.redis.unlink(...keys);
    return n;
  }

  /** Redis's own CPU time (user + system), from INFO cpu. It counts every client, not only ours. */
  async cpuSeconds(): Promise<number> {
    const info = await this.redis.info('cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
    return field('used_cpu_user') + field('used_cpu_sys');
  }

  /** Commands Redis has run (INFO stats total_commands_processed): every client's, those inside scripts too. */
  async commandsProcessed(): Promise<number> {
    return Number(/^total_commands_processed:(\d+)/m.exec(await this.redis.info('stats'))?.[1] ?? NaN);
  }

  async quit(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export interface Ceiling {
  /** Requests per second, or undefined with the reason it was skipped. */
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  skipped?: string;
  command: string;
}

/**
 * What Redis alone does with one tiny script from 50 connections:
 * `redis-benchmark -n N -c 50 eval "return redis.call('incr',KEYS[1])" 1 <prefix>:bench-counter`.
 * Skipped (with the reason) when redis-benchmark is missing or fails.
 */
export function redisCeiling(url: string, prefix: string, requests: number, clients = 50): Promise<Ceiling> {
  const args = ['-u', url, '-n', String(requests), '-c', String(clients), '--csv', 'eval', "return redis.call('incr',KEYS[1])", '1', `${prefix}:bench-counter`];
  const command = `redis-benchmark ${args.map((a) => (/[\s'()]/.test(a) ? `"${a}"` : a)).join(' ')}`.replace(url, '$REDIS_URL');
  return new Promise((resolve) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ command, skipped: e.code === 'ENOENT' ? 'redis-benchmark is not installed' : e.message });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
      const row = out.trim().split('\n').at(-1)?.match(/"((?:[^"]|"")*)"/g)?.map((f) => f.slice(1, -1));
      const rps = Number(row?.[1]);
      if (code !== 0 || !Number.isFinite(rps)) {
        resolve({ command, skipped: `redis-benchmark failed (${signal ?? code}): ${(err || out).trim().split('\n')[0] ?? ''}` });
      } else {
        resolve({ command, requestsPerSec: rps, p50Ms: Number(row?.[4]), p99Ms: Number(row?.[6]) });
      }
    });
  });
}
