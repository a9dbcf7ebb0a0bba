import type { HistogramJSON } from '../lib/stats.ts';

/** What bench.ts and its buyer processes (buyers.ts) say to each other over IPC. */

/** `before`: Roomcast from another checkout (`--before DIR`), in the same run as this one. */
export type Target = 'roomcast' | 'baseline' | 'before';

export const TIMELINE_BUCKET_MS = 100;

/** What every viewer taps: buy the flash sale, or claim the popped coupon. */
export type StormOp = 'flash.buy' | 'coupon.claim';

export interface BuyerConfig {
  target: Target;
  /** ws://127.0.0.1:PORT for Roomcast, http://127.0.0.1:PORT for the baseline. */
  url: string;
  room: string;
  op: StormOp;
  /** The sale or the coupon. */
  campaign: string;
  /** Viewer numbers first..first+count-1 (their `sub` is `b<number>`). */
  first: number;
  count: number;
  jwtSecret: string;
  /** Unique per run: every requestId is `<runId>-<sub>`. */
  runId: string;
}

export type ToBuyers =
  | { type: 'connect'; config: BuyerConfig }
  /**
   * Every connected viewer of this process sends its one buy, evenly spread over
   * [startAt, startAt + spreadMs) (epoch ms). `offsetMs` staggers the processes so that their
   * sends interleave: together they send one buy every spreadMs / viewers.
   */
  | { type: 'fire'; startAt: number; spreadMs: number; offsetMs: number }
  | { type: 'report' }
  | { type: 'exit' };

export type FromBuyers =
  /** `retried`: viewers whose first connect failed (each is retried once; `failed` after the retry). */
  | { type: 'connected'; connected: number; failed: number; retried: number; error?: string }
  | { type: 'report'; report: BuyerReport };

export interface BuyerReport {
  /** Buys sent and replies received (a viewer sends exactly one). */
  sent: number;
  replied: number;
  /** Epoch ms of this process's first send and last reply (0 when none). */
  firstSentAt: number;
  lastReplyAt: number;
  /** Send -> reply, per request; and split into ok replies and refusals. */
  latency: HistogramJSON;
  latencyOk: HistogramJSON;
  latencyRefused: HistogramJSON;
  /** Replies by outcome: `ok`, or the error code. */
  codes: Record<string, number>;
  /**
   * Per `TIMELINE_BUCKET_MS` since the fire's `startAt` (the same instant in every process): buys
   * sent, ok replies and refusals received in that bucket.
   */
  timeline: { sent: number[]; ok: number[]; refused: number[] };
  /** One `[user, order id]` per ok reply. */
  orders: Array<[string, string]>;
  /** A second reply to a request already answered. */
  extraReplies: number;
  /** Frames other than replies (Roomcast's batch frames: stock left, ticker, online). */
  frames: number;
  /** Sockets closed by the server or by an error after connecting, and the first reason seen. */
  closed: number;
  error?: string;
  /** The pacer's worst lateness against its schedule. */
  pacerMaxLagMs: number;
  /** performance.eventLoopUtilization() totals, ms. */
  loop: { idle: number; active: number };
}
