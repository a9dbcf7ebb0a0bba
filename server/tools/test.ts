/**
 * `npm test`: type check, lint (with import cycles), then the whole suite against a real Redis:
 * REDIS_URL (default redis://127.0.0.1:6379) if it answers, else a redis-server from PATH on a
 * free port, else a clear failure saying how to install one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivateCluster } from '../testing/redis-cluster.ts';
import { PrivateRedis, redisAnswers } from '../testing/redis-server.ts';

const root = new URL('../../', import.meta.url).pathname;

function step(name: string, command: string, args: string[]): void {
  console.log(`\n# ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${name} failed`);
    process.exit(result.status ?? 1);
  }
}

async function findRedis(): Promise<{ url: string; stop?: () => Promise<void> }> {
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (await redisAnswers(url)) return { url };
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.error(
      `\nNo Redis answers at ${url} and redis-server is not on PATH.\n` +
        'Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)\n' +
        'or point REDIS_URL at a running Redis 7, then run npm test again.',
    );
    process.exit(1);
  }
  const redis = await PrivateRedis.start();
  console.log(`# no Redis at ${url}; started redis-server on port ${redis.port} for this run`);
  return { url: redis.url, stop: () => redis.stop() };
}

function testFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(join(root, path)).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

step('type check', 'npx', ['tsc', '--noEmit']);
step('type check (widget, DOM)', 'npx', ['tsc', '--noEmit', '-p', 'client-widget']);
step('lint', 'npx', ['eslint', '.']);
step('import cycles', 'npx', ['madge', '--circular', '--extensions', 'ts', '--ts-config', 'tsconfig.json', 'server', 'load', 'client-widget']);

/**
 * A three-master Redis Cluster for the run's cluster tests (the engine contract, the two-node
 * commerce e2e, every script on it), when redis-server and redis-cli are here; the tests that need
 * one start their own otherwise.
 */
async function startCluster(): Promise<PrivateCluster | undefined> {
  if (spawnSync('redis-cli', ['--version']).status !== 0) return undefined;
  const cluster = await PrivateCluster.start();
  console.log(`# started a Redis Cluster for the run: ${cluster.nodes}`);
  return cluster;
}

const redis = await findRedis();
const cluster = await startCluster();
const files = ['server', 'load', 'client-widget'].flatMap(testFiles).sort();
console.log(`\n# tests: ${files.length} files, Redis at ${redis.url}`);
const tap = join(tmpdir(), `roomcast-tests-${process.pid}.tap`);
const run = spawn(process.execPath, [
  '--import', 'tsx', '--test', '--test-timeout=120000',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...files,
], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TEST_REDIS_URL: redis.url, ...(cluster ? { TEST_REDIS_CLUSTER: cluster.nodes } : {}) },
});
const code: number = await new Promise((resolve) => run.on('exit', (c) => resolve(c ?? 1)));
await redis.stop?.();
await cluster?.remove();
const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(readFileSync(tap, 'utf8'))?.[1] ?? 0);
console.log(`\ntests: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped`);
process.exit(code);
