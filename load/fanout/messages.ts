import type { HistogramJSON } from '../lib/stats.ts';

/** What bench.ts and its viewer processes (viewers.ts) say to each other over IPC. */

/** `before`: Roomcast from another checkout (`--before DIR`), measured in the same run as this one. */
export type Target = 'roomcast' | 'baseline' | 'before';

/** Roomcast (this checkout or `before`) speaks its native msgpack protocol; the baseline socket.io. */
export const speaksNative = (target: Target): boolean => target !== 'baseline';

/** With several rooms (`--rooms`), viewer or pin i goes to `<room>-<i mod rooms>`; one room keeps its name. */
export function roomOf(room: string, rooms: number, i: number): string {
  return rooms === 1 ? room : `${room}-${i % rooms}`;
}

export interface ViewerConfig {
  target: Target;
  /** ws://127.0.0.1:PORT for Roomcast, http://127.0.0.1:PORT for the baseline. */
  url: string;
  room: string;
  /** Rooms the viewers are spread over (see roomOf). */
  rooms: number;
  /** Viewer numbers first..first+count-1 (their `sub` is `v<number>`). */
  first: number;
  count: number;
  jwtSecret: string;
  /** Viewers numbered below this stop reading once joined (see --slow in bench.ts). */
  slow: number;
}

export type ToViewers =
  | { type: 'connect'; config: ViewerConfig }
  /** Rates for this process; 0 stops. */
  | { type: 'chatter'; commentsPerSec: number; likesPerSec: number }
  | { type: 'report'; step: number }
  | { type: 'exit' };

export type FromViewers =
  /** `retried`: viewers whose first connect failed (each is retried once; `failed` after the retry). */
  | { type: 'connected'; connected: number; failed: number; retried: number; error?: string }
  | { type: 'report'; report: ViewerReport };

/** Counters are cumulative since connect; the bench takes differences. */
export interface ViewerReport {
  step: number;
  /** Critical (`product.pinned`) events of `step` received, not counting duplicates. */
  delivered: number;
  /** When the last of them arrived (epoch ms). */
  lastAt: number;
  latency: HistogramJSON;
  /** Critical events seen again or out of order (any step). */
  duplicates: number;
  frames: number;
  bytes: number;
  commentsSent: number;
  likesSent: number;
  commentsRefused: number;
  /** Sockets the server closed, and the first close/refusal reason seen. */
  closed: number;
  error?: string;
  /** performance.eventLoopUtilization() totals, ms. */
  loop: { idle: number; active: number };
}

/**
 * Each pinned product carries its step and number in the id and the host's send time (epoch ms,
 * sub-millisecond) in the title, so viewers measure host-send -> viewer-receive on one clock.
 */
export function tagProduct(step: number, n: number, sentAt: number, image?: string): { id: string; title: string; price: number; image?: string } {
  return { id: `b${step}-${n}`, title: `bench pin t=${sentAt.toFixed(3)}`, price: n, ...(image ? { image } : {}) };
}

/** A product card's image URL of about `bytes` bytes: how --pad makes frames as large as real cards. */
export function paddedImage(bytes: number): string | undefined {
  const base = 'https://cdn.example.com/p/';
  return bytes > 0 ? base + 'x'.repeat(Math.max(0, bytes - base.length)) : undefined;
}

export function readTag(product: { id: string; title: string }): { step: number; n: number; sentAt: number } {
  const dash = product.id.indexOf('-');
  return {
    step: Number(product.id.slice(1, dash)),
    n: Number(product.id.slice(dash + 1)),
    sentAt: Number(product.title.slice(product.title.indexOf('t=') + 2)),
  };
}
