import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './clients.ts';

/**
 * A private redis-server on a free port, for tests that kill or restart Redis. With `aof`, it runs
 * as production should: an append-only file fsynced on every write, in a directory of its own that
 * a restart reads back.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number, private readonly dir: string | undefined, private readonly args: string[]) {}

  /** `args`: more redis-server options (`--name value` pairs). */
  static async start({ aof = false, args = [] as string[] } = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), aof ? mkdtempSync(join(tmpdir(), 'roomcast-redis-')) : undefined, args);
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const persistence = this.dir ? ['--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, ...this.args], { stdio: 'ignore' });
    await waitFor(() => redisAnswers(this.url), `redis-server on ${this.port}`);
  }

  /** SIGKILL: what a crash does; with `aof`, every acknowledged write is on disk already. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  /** Stops it and deletes its files. */
  async remove(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** True when a Redis at `url` answers PING right now (no retries). */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
