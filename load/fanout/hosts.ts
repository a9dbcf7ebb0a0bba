import { issueToken, secretKey } from '../../server/auth/token.ts';
import { connect, type TestClient, type TransportName } from '../../server/testing/clients.ts';
import { nowMs } from '../lib/stats.ts';
import { paddedImage, roomOf, speaksNative, tagProduct, type Target } from './messages.ts';

/** Roomcast allows 20 ops/s per socket: each host socket is kept at half that. */
const PINS_PER_HOST_SOCKET = 10;

export interface HostCounts {
  sent: number;
  ok: number;
  failed: number;
  pending: number;
  /** Host sockets that closed under the bench and were replaced, as a real host app reconnects. */
  reconnects: number;
  error?: string;
}

/**
 * The host side of the bench: `pin` ops carrying their send time, round-robin over a few host
 * sockets (native msgpack for Roomcast, socket.io for the baseline), never waiting for replies.
 */
export class Hosts {
  readonly counts: HostCounts = { sent: 0, ok: 0, failed: 0, pending: 0, reconnects: 0 };
  private readonly clients: TestClient[] = [];
  private closing = false;

  private readonly image: string | undefined;

  private constructor(private readonly transport: TransportName, private readonly wsUrl: string, private readonly key: Uint8Array, private readonly room: string, private readonly rooms: number, pad: number) {
    this.image = paddedImage(pad);
  }

  /** `pad`: bytes of image URL on each pinned product (0: none). */
  static async connect(target: Target, wsUrl: string, room: string, jwtSecret: string, maxRate: number, rooms = 1, pad = 0): Promise<Hosts> {
    const hosts = new Hosts(speaksNative(target) ? 'ws' : 'socket.io', wsUrl, secretKey(jwtSecret), room, rooms, pad);
    const sockets = speaksNative(target) ? Math.max(1, Math.ceil(maxRate / PINS_PER_HOST_SOCKET)) : 1;
    // One at a time: these are the server's first sockets (see connectAll in viewers.ts).
    for (let i = 0; i < sockets; i++) await hosts.open(i);
    return hosts;
  }

  /** Host socket `i`; if it closes under the bench, it is replaced like a host app would reconnect (and counted). */
  private async open(i: number): Promise<void> {
    const client = await connect(this.transport, this.wsUrl, await issueToken({ sub: `host${i}`, role: 'host', rooms: Array.from({ length: this.rooms }, (_, r) => roomOf(this.room, this.rooms, r)) }, this.key));
    this.clients[i] = client;
    void client.closed.then(({ code }) => {
      if (this.closing) return;
      this.counts.reconnects++;
      this.counts.error ??= `host socket ${i} closed (${code}) and was replaced`;
      this.open(i).catch((err: Error) => this.fail(`reconnect: ${err.message}`));
    });
  }

  /** The next pin (numbered across steps) of `step`; the reply only updates the counts. */
  publish(step: number): void {
    const n = this.counts.sent;
    const client = this.clients[n % this.clients.length]!;
    this.counts.sent++;
    this.counts.pending++;
    client.request('pin', { room: roomOf(this.room, this.rooms, n), product: tagProduct(step, n, nowMs(), this.image) }).then(
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
    this.closing = true;
    await Promise.all(this.clients.map((c) => c.close()));
  }

  private fail(reason: string): void {
    this.counts.failed++;
    this.counts.error ??= `pin failed: ${reason}`;
  }
}
