import type { ErrorCode } from '../../../server/protocol/errors.ts';
import { RoomcastError } from './errors.ts';

/** A reply as read off the wire; one without an `error` still fails, as `internal`. */
export interface Reply {
  re: number;
  ok: boolean;
  data?: unknown;
  error?: { code: ErrorCode; message: string };
}

interface Pending {
  frame: Record<string, unknown>;
  resolve: (data: unknown) => void;
  reject: (err: RoomcastError) => void;
  timer: ReturnType<typeof setTimeout>;
  sent: boolean;
}

/**
 * Request matching: each op gets the next `id` and settles on the reply whose `re` is that id, or
 * fails with `timeout`. A request whose connection dropped before its reply is sent again as it
 * was (same id, same requestId) when the connection is back.
 */
export class Requests {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly send: (frame: Record<string, unknown>) => void, private readonly timeoutMs: number) {}

  /** `sendNow`: the connection takes it now; otherwise it waits for `resendUnsent`. */
  add(op: string, args: Record<string, unknown>, sendNow: boolean): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RoomcastError('timeout', `${op}: no answer`));
      }, this.timeoutMs);
      const pending: Pending = { frame: { id, op, ...args }, resolve, reject, timer, sent: false };
      this.pending.set(id, pending);
      if (sendNow) this.sendPending(pending);
    });
  }

  answered(reply: Reply): void {
    const p = this.pending.get(reply.re);
    if (!p) return;
    this.pending.delete(reply.re);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.data);
    else p.reject(new RoomcastError(reply.error?.code ?? 'internal', reply.error?.message));
  }

  /** The connection dropped: whatever was sent may not have arrived. */
  dropped(): void {
    for (const p of this.pending.values()) p.sent = false;
  }

  resendUnsent(): void {
    for (const p of [...this.pending.values()]) if (!p.sent) this.sendPending(p);
  }

  /** The client was closed: every request still waiting fails with `disconnected`. */
  rejectAll(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RoomcastError('disconnected', 'the client was closed'));
      this.pending.delete(id);
    }
  }

  private sendPending(p: Pending): void {
    p.sent = true;
    this.send(p.frame);
  }
}
