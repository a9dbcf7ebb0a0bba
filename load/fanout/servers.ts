import { fileURLToPath } from 'node:url';
import { getText, roomcastMetrics } from '../lib/http.ts';
import { freePort, procCpuTimes, procRssBytes, serverFds, startServer, stop, type Child } from '../lib/proc.ts';
import { metric } from '../lib/prom.ts';
import { roomOf, type Target } from './messages.ts';

/** The development secrets of config/default.json, passed explicitly so the environment cannot change them. */
export const JWT_SECRET = 'dev-jwt-secret-do-not-use-in-production';
const API_KEY = 'dev-api-key';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE_TIMEOUT_MS = 2000;
/** Both servers sample their loop like prom-client's default: a 10 ms timer, whose delay includes the 10 ms. */
const LOOP_SAMPLING_MS = 10;

export interface ServerSample {
  /** As the server reports it (Roomcast /metrics, baseline /stats); NaN when it did not answer in time. */
  cpuSeconds: number;
  /** The same from /proc, which needs nothing from the server: the fallback and a cross-check. */
  procCpuSeconds: number;
  /** Of which in the kernel (sends, and on loopback much of the receivers' TCP work too). */
  procSystemSeconds: number;
  rssBytes: number;
  /** Event-loop delay p99 since the previous sample, beyond the 10 ms sampling timer. */
  loopLagP99Ms: number;
  /** Sockets the server closed (Roomcast's roomcast_closes_total; the baseline never closes one). */
  closes: number;
}

/** One server under test, in its own process: its CPU is not shared with the load generator. */
export interface ServerUnderTest {
  target: Target;
  /** Where viewers and hosts connect: ws://... for Roomcast, http://... for the baseline. */
  url: string;
  child: Child;
  sample(): Promise<ServerSample>;
  stop(): Promise<void>;
}

/** Several nodes of one server on one Redis: what `--nodes` runs. */
export interface Shared {
  redisUrl: string;
  prefix: string;
}

/** How a server under test is started, beyond its viewers. */
export interface StartOptions {
  /** Write a V8 CPU profile here (Roomcast only). */
  profileDir?: string;
  /** One node of several on one Redis; the first creates the rooms. */
  shared?: Shared & { first: boolean };
  rooms?: number;
  /** V8's old-space limit (--max-old-space-size), the same for both servers when set. */
  heapMB?: number;
  /** Roomcast from this checkout instead of this one (`--before`), reported as target `before`. */
  dir?: string;
}

function nodeArgs({ profileDir, heapMB }: StartOptions): string[] {
  return [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...(heapMB ? [`--max-old-space-size=${heapMB}`] : [])];
}

/**
 * Roomcast (`node --import tsx server/main.ts`) with a live room: on the memory engine, or with
 * `shared` one node of several on the redis engine (the first creates the room).
 */
export async function startRoomcast(room: string, viewers: number, options: StartOptions = {}): Promise<ServerUnderTest> {
  const { shared, rooms = 1, dir } = options;
  const target: Target = dir ? 'before' : 'roomcast';
  const [port, httpPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${httpPort}`;
  const child = await startServer(target, 'server/main.ts', {
    cwd: dir ?? ROOT,
    fds: serverFds(viewers),
    nodeArgs: nodeArgs(options),
    env: {
      PORT: String(port), HTTP_PORT: String(httpPort), ADMIN_PORT: String(adminPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      JWT_SECRET, API_KEYS: API_KEY, REDIS_URL: shared?.redisUrl ?? '', REDIS_PREFIX: shared?.prefix ?? 'rc', CONFIG_FILE: '',
    },
    readyUrl: `${base}/readyz`,
  }, async () => {
    if (shared && !shared.first) return;
    for (let i = 0; i < rooms; i++) {
      const id = roomOf(room, rooms, i);
      await api(base, '/v1/rooms', { id, title: 'Fan-out bench' });
      await api(base, `/v1/rooms/${id}/start`);
    }
  });
  return {
    target,
    url: `ws://127.0.0.1:${port}`,
    child,
    sample: () => sampleWith(child, async () => {
      const text = await roomcastMetrics({ admin: adminPort, http: httpPort }, SAMPLE_TIMEOUT_MS);
      return {
        cpuSeconds: metric(text, 'roomcast_process_cpu_user_seconds_total') + metric(text, 'roomcast_process_cpu_system_seconds_total'),
        rssBytes: metric(text, 'roomcast_process_resident_memory_bytes'),
        loopLagP99Ms: metric(text, 'roomcast_nodejs_eventloop_lag_p99_seconds') * 1000,
        closes: metric(text, 'roomcast_closes_total'),
      };
    }),
    stop: () => stop(child),
  };
}

/** The plain socket.io server of load/baseline; with `shared`, one of several on the Redis adapter. */
export async function startBaseline(viewers: number, options: StartOptions = {}): Promise<ServerUnderTest> {
  const { shared } = options;
  const port = await freePort();
  const env = { PORT: String(port), HOST: '127.0.0.1', ...(shared ? { REDIS_URL: shared.redisUrl, REDIS_PREFIX: shared.prefix } : {}) };
  const base = `http://127.0.0.1:${port}`;
  const child = await startServer('baseline', 'load/baseline/socketio-server.ts', { cwd: ROOT, fds: serverFds(viewers), env, nodeArgs: nodeArgs(options), readyUrl: `${base}/stats` });
  return {
    target: 'baseline',
    url: base,
    child,
    sample: () => sampleWith(child, async () => {
      const stats = JSON.parse(await getText(`${base}/stats`, SAMPLE_TIMEOUT_MS)) as { cpuSeconds: number; rssBytes: number; loopLagP99Ms: number };
      return { ...stats, closes: 0 };
    }),
    stop: () => stop(child),
  };
}

/**
 * The server's own numbers plus /proc's. An overloaded server may not answer HTTP for seconds
 * (the baseline stops accepting connections): then CPU and RSS come from /proc only.
 */
async function sampleWith(child: Child, read: () => Promise<Omit<ServerSample, 'procCpuSeconds' | 'procSystemSeconds'>>): Promise<ServerSample> {
  const { user, system } = procCpuTimes(child.pid);
  const proc = { procCpuSeconds: user + system, procSystemSeconds: system };
  try {
    const own = await read();
    return { ...own, ...proc, loopLagP99Ms: Math.max(0, own.loopLagP99Ms - LOOP_SAMPLING_MS) };
  } catch {
    return { cpuSeconds: NaN, ...proc, rssBytes: procRssBytes(child.pid), loopLagP99Ms: NaN, closes: 0 };
  }
}

/**
 * Several nodes measured as one server: CPU, RSS and closes summed, loop lag the worst; viewers
 * and hosts use `urls`. It dies when any node dies.
 */
export function cluster(nodes: ServerUnderTest[]): ServerUnderTest & { urls: string[] } {
  if (nodes.length === 1) return { ...nodes[0]!, urls: [nodes[0]!.url] };
  const first = nodes[0]!;
  return {
    target: first.target,
    url: first.url,
    urls: nodes.map((n) => n.url),
    child: { ...first.child, exited: Promise.race(nodes.map((n) => n.child.exited)), tail: () => nodes.map((n) => n.child.tail()).join('\n') },
    sample: async () => {
      const samples = await Promise.all(nodes.map((n) => n.sample()));
      const sum = (key: 'cpuSeconds' | 'procCpuSeconds' | 'procSystemSeconds' | 'rssBytes' | 'closes') => samples.reduce((total, s) => total + s[key], 0);
      return {
        cpuSeconds: sum('cpuSeconds'),
        procCpuSeconds: sum('procCpuSeconds'),
        procSystemSeconds: sum('procSystemSeconds'),
        rssBytes: sum('rssBytes'),
        closes: sum('closes'),
        loopLagP99Ms: Math.max(...samples.map((s) => s.loopLagP99Ms)),
      };
    },
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

async function api(base: string, path: string, body: unknown = {}): Promise<void> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
}
