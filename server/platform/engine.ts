import type { RoomEvent, RoomInfo } from '../protocol/frames.ts';
import type { CommerceStore } from '../engine/commerce.ts';
import type { WeComStore } from '../engine/wecom.ts';
import type { GameStore } from '../engine/games.ts';

/**
 * The seam between Roomcast's logic and where shared state lives. `memory` serves one process;
 * `redis` lets any number of nodes share rooms. Both pass server/engine/contract.test.ts.
 * Domain code talks to these interfaces only, never to ioredis.
 */
export interface Engine {
  readonly kind: 'memory' | 'redis';
  readonly broker: Broker;
  readonly presence: Presence;
  readonly rooms: RoomStore;
  readonly idempotency: IdempotencyStore;
  readonly commerce: CommerceStore;
  readonly wecom: WeComStore;
  readonly games: GameStore;
  /** Resolves when the engine can serve (Redis reachable); rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What travels between nodes. Every node turns these into frames for its own sockets. */
export type BusMessage =
  | { k: 'event'; room: string; topics: string[]; event: RoomEvent }
  | { k: 'state'; room: string; key: string; value: unknown }
  | { k: 'chatter'; room: string; event: RoomEvent }
  | { k: 'user'; uid: string; event: RoomEvent };

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
  publishToUser(uid: string, event: NewEvent): Promise<void>;
  /** Starts delivering the room's messages to `onMessage`; resolves once subscribed. */
  subscribeRoom(room: string): Promise<void>;
  unsubscribeRoom(room: string): Promise<void>;
  subscribeUser(uid: string): Promise<void>;
  unsubscribeUser(uid: string): Promise<void>;
  onMessage(handler: (message: BusMessage) => void): void;
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
}

export interface RoomStore {
  /** Creates the room; false when the id is taken. */
  create(room: RoomInfo): Promise<boolean>;
  get(id: string): Promise<RoomInfo | null>;
  /** Merges fields into an existing room; returns the result, null when there is no such room. */
  update(id: string, patch: Partial<Omit<RoomInfo, 'id'>>): Promise<RoomInfo | null>;
}

/** First answer to a request id wins; repeats get that answer (across nodes on redis). */
export interface IdempotencyStore {
  remember<T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T>;
  /** True the first time a key is seen within ttl (a signed request's nonce), false after. */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
}
