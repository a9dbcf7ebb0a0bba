import { issueToken, secretKey } from '../../server/auth/token.ts';
import { connect, type TestClient } from '../../server/testing/clients.ts';
import { nowMs } from '../lib/stats.ts';
import { roomOf, tagProduct, type Target } from './messages.ts';

/** Roomcast allows 20 ops/s per socket: each host socket is kept at half that. */
const PINS_PER_HOST_SOCKET = 10;

export interface HostCounts {
  sent: number;
  ok: number;
  failed: number;
  pending: number;
  error?: string;
}

/**
 * The host side of the bench: `pin` ops carrying their send time, round-robin over a few host
 * sockets (native msgpack for Roomcast, socket.io for the baseline), never waiting for replies.
 */
export class Hosts {
  readonly counts: HostCounts = { sent: 0, ok: 0, failed: 0, pending: 0 };

  private constructor(private readonly clients: TestClient[], private readonly room: string, private readonly rooms: number) {}

  static async connect(target: Target, wsUrl: string, room: string, jwtSecret: string, maxRate: number, rooms = 1): Promise<Hosts> {
    const sockets = target === 'roomcast' ? Math.max(1, Math.ceil(maxRate / PINS_PER_HOST_SOCKET)) : 1;
    const key = secretKey(jwtSecret);
    const clients: TestClient[] = [];
    // One at a time: these are the server's first sockets (see connectAll in viewers.ts).
    for (let i = 0; i < sockets; i++) {
      const token = await issueToken({ sub: `host${i}`, role: 'host' }, key);
      clients.push(await connect(target === 'roomcast' ? 'ws' : 'socket.io', wsUrl, token));
    }
    return new Hosts(clients, room, rooms);
  }

  /** The next pin (numbered across steps) of `step`; the reply only updates the counts. */
  publish(step: number): void {
    const n = this.counts.sent;
    const client = this.clients[n % this.clients.length]!;
    this.counts.sent++;
    this.counts.pending++;
    client.request('pin', { room: roomOf(this.room, this.rooms, n), product: tagProduct(step, n, nowMs()) }).then(
      (result) => {
        this.counts.pending--;
        if (result.ok) this.counts.ok++;
        else this.fail(`${result.error.code}: ${result.error.message}`);
      },
      (err: Error) => {
        this.counts.pending--;
        this.fail(err.message);
      },
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }

  private fail(reason: string): void {
    this.counts.failed++;
    this.counts.error ??= `pin failed: ${reason}`;
  }
}
