import { procCpuSeconds, startNode, stop, type Child } from './proc.ts';

/** Open files a worker needs beyond its sockets (IPC, stdio, libuv). */
const FD_HEADROOM = 256;

interface Worker<From> {
  child: Child;
  /** How many connections (viewers, buyers) this process holds. */
  share: number;
  waiting: Array<(m: From) => void>;
}

/** What a set of workers answers to their `connect` messages, added up. */
export interface ConnectOutcome {
  connected: number;
  retried: number;
  errors: string[];
}

/**
 * The load generator's worker processes (forked with IPC): `total` connections split as evenly as
 * possible over `procs` processes, one request at a time per process, each answer matched to its
 * request in order. The fan-out viewers and the storm buyers are two kinds of workers.
 */
export class Workers<To extends { type: string }, From extends { type: string }> {
  private constructor(readonly entries: Array<Worker<From>>) {
    for (const entry of entries) entry.child.process.on('message', (message: From) => entry.waiting.shift()?.(message));
  }

  static fork<To extends { type: string }, From extends { type: string }>(name: string, script: string, cwd: string, total: number, procs: number): Workers<To, From> {
    const shares = Array.from({ length: procs }, (_, i) => Math.floor(total / procs) + (i < total % procs ? 1 : 0)).filter(Boolean);
    return new Workers<To, From>(shares.map((share, i) => ({
      child: startNode(`${name}${i}`, script, { cwd, ipc: true, fds: share + FD_HEADROOM }),
      share,
      waiting: [],
    })));
  }

  get total(): number {
    return this.entries.reduce((n, e) => n + e.share, 0);
  }

  /**
   * Asks every worker to connect its share (`message(index, first, count)`), and adds up their
   * `connected` answers; `what` names the connections in the error when none could connect.
   */
  async connect(message: (index: number, first: number, count: number) => To, timeoutMs: number, what: string): Promise<ConnectOutcome> {
    const outcome: ConnectOutcome = { connected: 0, retried: 0, errors: [] };
    try {
      let first = 0;
      const replies = await Promise.all(this.entries.map((entry, i) => {
        const reply = this.ask(i, message(i, first, entry.share), timeoutMs);
        first += entry.share;
        return reply;
      }));
      for (const reply of replies as Array<From & { connected?: number; retried?: number; error?: string }>) {
        if (reply.type !== 'connected') continue;
        outcome.connected += reply.connected ?? 0;
        outcome.retried += reply.retried ?? 0;
        if (reply.error) outcome.errors.push(reply.error);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    if (outcome.errors.length) {
      console.error(`  ${what}: ${outcome.retried} retried, ${this.total - outcome.connected} failed to connect; first error: ${outcome.errors[0]}`);
    }
    if (!outcome.connected) {
      await this.stop();
      throw new Error(`no ${what} could connect: ${outcome.errors[0] ?? 'unknown'}`);
    }
    return outcome;
  }

  send(index: number, message: To): void {
    this.entries[index]!.child.process.send(message);
  }

  /** Every worker's answer to `message(index)`. */
  askAll(message: (index: number) => To, timeoutMs?: number): Promise<From[]> {
    return Promise.all(this.entries.map((_, i) => this.ask(i, message(i), timeoutMs)));
  }

  /** CPU seconds of the worker processes, from /proc. */
  cpuSeconds(): number {
    return this.entries.reduce((sum, e) => sum + procCpuSeconds(e.child.pid), 0);
  }

  /** Asks each to exit, then stops what is still running after 3 s. */
  async stop(): Promise<void> {
    await Promise.all(this.entries.map(async (entry) => {
      if (entry.child.process.connected) entry.child.process.send({ type: 'exit' });
      await Promise.race([entry.child.exited, new Promise((r) => setTimeout(r, 3000))]);
      await stop(entry.child);
    }));
  }

  private ask(index: number, message: To, timeoutMs = 10_000): Promise<From> {
    const entry = this.entries[index]!;
    return new Promise((resolve, reject) => {
      const answer = (reply: From) => {
        clearTimeout(timer);
        resolve(reply);
      };
      const timer = setTimeout(() => {
        entry.waiting.splice(entry.waiting.indexOf(answer), 1);
        reject(new Error(`${entry.child.name} did not answer "${message.type}" in ${timeoutMs} ms:\n${entry.child.tail()}`));
      }, timeoutMs);
      entry.waiting.push(answer);
      entry.child.process.send(message);
    });
  }
}
