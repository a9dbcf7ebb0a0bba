import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './clients.ts';
import { freePort, redisAnswers } from './redis-server.ts';

/** A port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 > 65_535) continue;
    const bus = await new Promise<boolean>((resolve) => {
      const probe = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${port + 10_000},'127.0.0.1',function(){this.close()}).on('error',()=>process.exit(1))`]);
      resolve(probe.status === 0);
    });
    if (bus) return port;
  }
}

/**
 * A real Redis Cluster started from `redis-server` the way operators start one
 * (`--cluster-enabled yes`, then `redis-cli --cluster create`), on free ports, for the tests: three
 * masters, and with `replicas` that many replicas each. Nothing kept on disk but each node's
 * nodes.conf in a directory of its own.
 */
export class PrivateCluster {
  private readonly children = new Map<number, ChildProcess>();

  private constructor(readonly ports: number[], private readonly dir: string, private readonly timeoutMs: number) {}

  static async start({ masters = 3, replicas = 0, nodeTimeoutMs = 2000 } = {}): Promise<PrivateCluster> {
    const ports: number[] = [];
    while (ports.length < masters * (1 + replicas)) {
      const port = await clusterPort();
      if (!ports.includes(port)) ports.push(port);
    }
    const cluster = new PrivateCluster(ports, mkdtempSync(join(tmpdir(), 'roomcast-cluster-')), nodeTimeoutMs);
    await Promise.all(ports.map((port) => cluster.startNode(port)));
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { encoding: 'utf8' });
    if (created.status !== 0) {
      await cluster.remove();
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    }
    await waitFor(async () => (await cluster.info(ports[0]!)).includes('cluster_state:ok'), 'cluster_state:ok', 20_000);
    // Every node agrees: a client's first CLUSTER SLOTS may ask any of them.
    for (const port of ports) await waitFor(async () => (await cluster.info(port)).includes('cluster_state:ok'), `node ${port} ok`, 20_000);
    return cluster;
  }

  /** `host:port,...`, as REDIS_CLUSTER takes it. */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  async startNode(port: number): Promise<void> {
    const dir = join(this.dir, String(port));
    mkdirSync(dir, { recursive: true });
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf',
      '--cluster-node-timeout', String(this.timeoutMs), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    // A process's own cluster must not keep it alive: `removeNow` kills it at exit.
    child.unref();
    this.children.set(port, child);
    await waitFor(() => redisAnswers(`redis://127.0.0.1:${port}`), `redis-server on ${port}`);
  }

  /** SIGKILL one node: a crash. */
  async kill(port: number): Promise<void> {
    const child = this.children.get(port);
    // A process a signal ended has no exit code, only its signal.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    // Waited for, so held: an unref'd child's exit would not keep the caller's await alive.
    child.ref();
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  /** SIGSTOP / SIGCONT one node: gone to everyone (a partition, a hung host), its data kept. */
  pause(port: number): void {
    this.children.get(port)?.kill('SIGSTOP');
  }

  resume(port: number): void {
    this.children.get(port)?.kill('SIGCONT');
  }

  /** The masters' ports now (after a failover, a replica among them). */
  async masters(): Promise<number[]> {
    for (const port of this.ports) {
      const child = this.children.get(port);
      if (child?.exitCode !== null || child.signalCode !== null) continue;
      const redis = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      redis.on('error', () => {});
      try {
        await redis.connect();
        const lines = String(await redis.call('CLUSTER', 'NODES')).trim().split('\n');
        return lines.filter((l) => / master /.test(` ${l.split(' ')[2]!.replace(/,/g, ' ')} `) && !l.includes('fail')).map((l) => Number(l.split(' ')[1]!.split('@')[0]!.split(':')[1]));
      } catch {
        continue;
      } finally {
        redis.disconnect();
      }
    }
    return [];
  }

  async info(port: number): Promise<string> {
    const redis = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await redis.connect();
      return String(await redis.call('CLUSTER', 'INFO'));
    } catch {
      return '';
    } finally {
      redis.disconnect();
    }
  }

  /** The same, synchronously: for a process's `exit`. */
  removeNow(): void {
    for (const child of this.children.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    // A paused node is killed too (SIGKILL reaches a stopped process).
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills every node and deletes their files. */
  async remove(): Promise<void> {
    await Promise.all([...this.children.keys()].map((port) => this.kill(port)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
