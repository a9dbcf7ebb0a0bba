import type { RoomEvent } from '../protocol/frames.ts';
import type { Keys } from './keys.ts';
import type { Locks } from './lock/locks.ts';
import type { Scheduler } from './scheduler/scheduler.ts';
import type { Shards } from './shards.ts';
import type { Store } from './store/store.ts';

/**
 * What every domain stands on: where shared state lives and how nodes talk. `memory` serves one
 * process, on the embedded store; `redis` lets any number of nodes share rooms. The two differ
 * in the store under the same code (platform/engine.test.ts runs on both). Domains keep their
 * state in the store through their own stores (a flash sale's, a game's), run their decisions as
 * Lua scripts on it, and never touch ioredis.
 */
export interface Engine {
  readonly kind: 'memory' | 'redis';
  readonly store: Store;
  readonly keys: Keys;
  readonly broker: Broker;
  readonly presence: Presence;
  readonly idempotency: IdempotencyStore;
  readonly schedule: Scheduler;
  /** Where indexes of many rooms are: one key on one Redis, one per slot in use on a cluster. */
  readonly shards: Shards;
  readonly locks: Locks;
  /** Resolves when the engine can serve (Redis reachable); rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What travels between nodes. Every node turns these into frames for its own sockets. */
export type BusMessage =
  | { k: 'event'; room: string; topics: string[]; event: RoomEvent }
  | { k: 'state'; room: string; key: string; value: unknown }
  | { k: 'chatter'; room: string; event: RoomEvent }
  /** `evict`: the user's sockets leave that room on every node (a ban), after being told by `event`. */
  | { k: 'user'; uid: string; event: RoomEvent; evict?: string };

export interface NewEvent {
  type: string;
  data: unknown;
}

export interface History {
  /** The room's current seq. */
  seq: number;
  /** Events after the requested seq, oldest first; null when history no longer reaches back that far. */
  events: Array<RoomEvent & { topics: string[] }> | null;
}

/** Pub/sub between nodes, plus the per-room sequence, history and state behind it. */
export interface Broker {
  /**
   * Allocates the room's next seq, keeps the event in history and delivers it to every node, for
   * the sockets of the given topics (one event, one seq; a socket in two of them drops the repeat).
   */
  publishEvent(room: string, topics: readonly string[], event: NewEvent): Promise<number>;
  /** Stores the room's latest value for `key` (served in snapshots) and delivers it. */
  publishState(room: string, key: string, value: unknown): Promise<void>;
  /** Adds to a numeric state value and delivers the new total; returns it. */
  incrementState(room: string, key: string, by: number): Promise<number>;
  /** Delivered to nodes with viewers in the room; not stored. */
  publishChatter(room: string, event: NewEvent): Promise<void>;
  /** A personal event; with `evict`, every node also takes the user's sockets out of that room. */
  publishToUser(uid: string, event: NewEvent, options?: { evict?: string }): Promise<void>;
  /** Starts delivering the room's messages to `onMessage`; resolves once subscribed. */
  subscribeRoom(room: string): Promise<void>;
  unsubscribeRoom(room: string): Promise<void>;
  subscribeUser(uid: string): Promise<void>;
  unsubscribeUser(uid: string): Promise<void>;
  onMessage(handler: (message: BusMessage) => void): void;
  /**
   * Called when this node's bus connection came back: messages published while it was down were
   * not delivered; the room's history and state hold what they said.
   */
  onResubscribed(handler: () => void): void;
  /**
   * Publishes `field` of a hash (a sale's `left`) as numeric room state, read when published: of
   * several nodes publishing a changing counter, the last message delivered is the newest value.
   */
  publishField(room: string, key: string, hash: string, field: string): Promise<void>;
  history(room: string, afterSeq: number): Promise<History>;
  /** The room's current seq (0 before its first critical event). */
  lastSeq(room: string): Promise<number>;
  roomState(room: string): Promise<Record<string, unknown>>;
}

/** Online counts across nodes: each node reports its own, a silent node drops out after ttl. */
export interface Presence {
  /** Records this node's viewer count per room and answers the rooms' totals across live nodes. */
  report(nodeId: string, counts: ReadonlyMap<string, number>, ttlMs: number): Promise<Map<string, number>>;
  /** The room's total across live nodes, without reporting. */
  count(room: string): Promise<number>;
  /** The highest total the room has had, ever and per minute (minute = epoch ms / 60,000, floored). */
  peaks(room: string): Promise<Peaks>;
}

export interface Peaks {
  peak: number;
  byMinute: Map<number, number>;
}

/** First answer to a request id wins; repeats get that answer (across nodes on redis). */
export interface IdempotencyStore {
  remember<T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T>;
  /** True the first time a key is seen within ttl (a signed request's nonce), false after. */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
}
