import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Child processes of a load run: every one is tracked and killed when this process exits, throws
 * or is interrupted, so a failed run never leaves a server holding a port.
 */
const children = new Set<ChildProcess>();
const CLOCK_TICKS_PER_SEC = 100;

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<string>;
  /** Last lines written to stderr/stdout, for error messages. */
  tail(): string;
}

/** `node <execArgv> script` with tsx, so TypeScript runs as-is. `ipc` adds a message channel. */
export interface StartOptions {
  env?: Record<string, string>;
  ipc?: boolean;
  cwd?: string;
  nodeArgs?: string[];
  fds?: number;
}

export function startNode(name: string, script: string, options: StartOptions = {}): Child {
  const env = { ...process.env, ...options.env };
  const execArgv = ['--import', 'tsx', ...(options.nodeArgs ?? [])];
  const stdio = ['ignore', 'pipe', 'pipe'] as const;
  const child = options.ipc
    ? fork(script, [], { cwd: options.cwd, env, execArgv, stdio: [...stdio, 'ipc'] })
    : spawn(process.execPath, [...execArgv, script], { cwd: options.cwd, env, stdio: [...stdio] });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${script}`);
  children.add(child);
  if (options.fds) raiseFdLimit(name, child.pid, options.fds);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 20) lines.shift();
      process.stderr.write(`  [${name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => {
    children.delete(child);
    resolve(signal ?? String(code));
  }));
  return { name, process: child, pid: child.pid, exited, tail: () => lines.join('\n') };
}

/**
 * Gives a just-started process room for `needed` open files (sockets), with prlimit(1) on its pid,
 * before it opens any: the soft limit up to the hard one, the hard one too when we may (root). Says
 * plainly when it cannot, and how to fix it; the run goes on and its connect errors will show.
 */
export function raiseFdLimit(name: string, pid: number, needed: number): void {
  const limits = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  const [soft, hard] = [limits?.[1], limits?.[2]].map((v) => (v === 'unlimited' ? Infinity : Number(v))) as [number, number];
  if (soft >= needed) return;
  const attempt = spawnSync('prlimit', ['--pid', String(pid), `--nofile=${needed}:${Math.max(hard, needed)}`], { encoding: 'utf8' });
  if (attempt.status === 0) return;
  if (hard >= needed && spawnSync('prlimit', ['--pid', String(pid), `--nofile=${needed}:${hard}`]).status === 0) return;
  console.error(`${name}: cannot raise its open-file limit to ${needed} (soft ${soft}, hard ${hard}): ${(attempt.stderr || attempt.error?.message || '').trim()}. ` +
    `Raise the hard limit (as root: ulimit -Hn ${needed}, or /etc/security/limits.conf), or spread viewers over more processes (--procs).`);
}

/** What a server under test needs open for `viewers` sockets, plus its own files and Redis. */
export function serverFds(viewers: number): number {
  return viewers + 1024;
}

/** Tracks a child started some other way (not a Node script), so it is killed like the others. */
export function track(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child: Child, graceMs = 3000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

/**
 * Async clean-ups (deleting a run's Redis keys, say) that SIGINT/SIGTERM waits for, at most
 * `INTERRUPT_CLEANUP_MS`, after the children are killed and before exiting. `onInterrupt` answers
 * a function that removes the hook again. Without hooks the process exits at once, as before.
 */
const interruptHooks = new Set<() => Promise<void>>();
const INTERRUPT_CLEANUP_MS = 5000;

export function onInterrupt(hook: () => Promise<void>): () => void {
  interruptHooks.add(hook);
  return () => interruptHooks.delete(hook);
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    if (!interruptHooks.size) process.exit(130);
    process.stderr.write(`${signal}: cleaning up (at most ${INTERRUPT_CLEANUP_MS / 1000} s)\n`);
    const hooks = [...interruptHooks].map((hook) => hook().catch((err: Error) => process.stderr.write(`clean-up failed: ${err.message}\n`)));
    const timeout = new Promise((resolve) => setTimeout(resolve, INTERRUPT_CLEANUP_MS));
    void Promise.race([Promise.all(hooks), timeout]).then(() => process.exit(130));
  });
}

/** A port the OS just handed out on loopback (closed again, so there is a small race). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A server under test: started like `startNode`, ready once `readyUrl` answers 2xx and `setUp` (its
 * rooms, its sale) has run; if either fails, the process is stopped before the error is thrown.
 */
export async function startServer(name: string, script: string, options: StartOptions & { readyUrl: string }, setUp: () => Promise<unknown> = async () => {}): Promise<Child> {
  const child = startNode(name, script, options);
  try {
    await waitForHttp(options.readyUrl, child);
    await setUp();
    return child;
  } catch (err) {
    await stop(child);
    throw err;
  }
}

/** Polls `url` until it answers 2xx; fails early if the child dies. */
async function waitForHttp(url: string, child: Child, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void child.exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${child.name} exited during start-up:\n${child.tail()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.tail()}`);
}

/** Resident set size of a process from /proc (Linux). */
export function procRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
}

/** User and system CPU seconds of a process from /proc (Linux; 10 ms resolution), costing it nothing. */
export function procCpuTimes(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS_PER_SEC, system: Number(fields[12]) / CLOCK_TICKS_PER_SEC };
}

/** The pid and every descendant's (a multi-worker server's workers), from /proc. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    for (const child of childrenOf(out[i]!)) out.push(child);
  }
  return out;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return []; // it ended meanwhile
  }
}

/** CPU of a process and its descendants, user and system apart, from /proc. */
export function treeCpuTimes(pid: number): { user: number; system: number } {
  let [user, system] = [0, 0];
  for (const p of processTree(pid)) {
    try {
      const t = procCpuTimes(p);
      user += t.user;
      system += t.system;
    } catch {
      // it ended meanwhile
    }
  }
  return { user, system };
}

/** RSS of a process and its descendants. */
export function treeRssBytes(pid: number): number {
  return processTree(pid).reduce((sum, p) => {
    try {
      return sum + procRssBytes(p);
    } catch {
      return sum;
    }
  }, 0);
}

/**
 * Pins a process and its descendants (every thread) to `cpus` (taskset(1) list syntax: "0", "1",
 * "0-1"), so a CPU figure does not include the load generator's contention. Threads and children
 * started later inherit it.
 */
export function pin(pid: number, cpus: string): void {
  for (const p of processTree(pid)) {
    const done = spawnSync('taskset', ['-a', '-c', '-p', cpus, String(p)], { encoding: 'utf8' });
    if (done.status !== 0) throw new Error(`taskset -a -c -p ${cpus} ${p} failed: ${(done.stderr || done.error?.message || '').trim()}`);
  }
}

export function procCpuSeconds(pid: number): number {
  const { user, system } = procCpuTimes(pid);
  return user + system;
}
