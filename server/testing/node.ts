import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { issueToken, secretKey, type TokenClaims } from '../auth/token.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { startRoomcast, type RoomcastNode } from '../node.ts';
import { createLogger } from '../observability/logger.ts';
import { connect, type TestClient, type TransportName } from './clients.ts';
import { PrivateCluster } from './redis-cluster.ts';

/** `cluster`: the redis engine on a three-master Redis Cluster (testCluster). */
export type EngineKind = 'memory' | 'redis' | 'cluster';
export const engines: EngineKind[] = ['memory', 'redis'];

/** Set by `npm test` (server/tools/test.ts) to a Redis it checked or started. */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

let ownCluster: Promise<PrivateCluster> | undefined;

/**
 * A three-master Redis Cluster's nodes (`host:port,...`): TEST_REDIS_CLUSTER, which `npm test` starts
 * for the whole run, else one started for this process and killed when it exits.
 */
export async function testCluster(): Promise<string> {
  if (process.env.TEST_REDIS_CLUSTER) return process.env.TEST_REDIS_CLUSTER;
  ownCluster ??= PrivateCluster.start().then((cluster) => {
    process.once('exit', () => cluster.removeNow());
    return cluster;
  });
  return (await ownCluster).nodes;
}

/** Each test gets its own key prefix on the shared Redis and deletes it afterwards; never FLUSHALL. */
export function uniquePrefix(): string {
  return `rctest-${randomUUID().slice(0, 8)}`;
}

export async function deletePrefix(prefix: string, url = testRedisUrl()): Promise<void> {
  const redis = new Redis(url);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface TestNode {
  node: RoomcastNode;
  config: Config;
  wsUrl: string;
  baseUrl: string;
  /** The operator listener: /metrics, /admin/queues. */
  adminUrl: string;
  apiKey: string;
  token(claims: TokenClaims): Promise<string>;
  /** The HTTP API with the node's API key; answers status and parsed JSON. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Viewers named `subs`, connected and joined to `room`; closed with the node. */
  viewers(transport: TransportName, room: string, subs: string[], claims?: Omit<TokenClaims, 'sub'>): Promise<TestClient[]>;
  close(): Promise<void>;
}

/** A node in this process, on free ports, with silent logs and no demo room. */
export async function startTestNode(options: { engine: EngineKind; prefix?: string; config?: DeepPartial<Config> }): Promise<TestNode> {
  const prefix = options.prefix ?? uniquePrefix();
  const config = loadConfig({}, {
    port: 0,
    httpPort: 0,
    adminPort: 0,
    host: '127.0.0.1',
    log: { level: 'silent' },
    ...(options.engine === 'redis' ? { redis: { url: testRedisUrl(), prefix } } : {}),
    ...(options.engine === 'cluster' ? { redis: { cluster: await testCluster(), prefix } } : {}),
    ...(options.config as object),
    rooms: { demoRoom: '', ...(options.config?.rooms as object) },
  });
  const node = await startRoomcast(config, createLogger('silent'));
  return wrap(node, config, async () => {
    await node.close();
    if (options.engine === 'redis' && !options.prefix) await deletePrefix(prefix);
  });
}

function wrap(node: RoomcastNode, config: Config, close: () => Promise<void>): TestNode {
  const baseUrl = `http://127.0.0.1:${node.ports.http}`;
  const wsUrl = `ws://127.0.0.1:${node.ports.realtime}`;
  const adminUrl = `http://127.0.0.1:${node.ports.admin}`;
  const apiKey = config.auth.apiKeys[0]!;
  const token = (claims: TokenClaims) => issueToken(claims, secretKey(config.auth.jwtSecret));
  const opened: TestClient[] = [];
  return {
    node,
    config,
    wsUrl,
    baseUrl,
    adminUrl,
    apiKey,
    token,
    api: (method, path, body) => callApi(baseUrl, apiKey, method, path, body),
    viewers: (transport, room, subs, claims = {}) => Promise.all(subs.map(async (sub) => {
      const client = await connect(transport, wsUrl, await token({ name: sub, ...claims, sub }));
      opened.push(client);
      const joined = await client.request('join', { room });
      if (!joined.ok) throw new Error(`${sub} could not join ${room}: ${joined.error.code}`);
      return client;
    })),
    close: async () => {
      await Promise.all(opened.map((c) => c.close()));
      await close();
    },
  };
}

/** `prefix0`, `prefix1`, ...: names for a crowd of viewers. */
export const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

export async function callApi(baseUrl: string, apiKey: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
