import type { Pool, PoolGroup, RoomJoinWay, RoutingFigures } from '../wecom/model.ts';

/** WeCom routing's state in the engine, shared by every node. */
export interface WeComStore {
  /** False when the id is taken. A group already in another pool is an error the caller checks first. */
  createPool(pool: Pool, groups: PoolGroup[]): Promise<boolean>;
  pools(): Promise<Pool[]>;
  groups(pool: string): Promise<PoolGroup[]>;
  /** The pool a group belongs to. */
  poolOf(chatId: string): Promise<string | null>;
  /** Adds a group (one WeCom opened by itself) to a pool; a group already known is left as it is. */
  addGroup(pool: string, group: PoolGroup): Promise<void>;
  /** Members joined (+) or left (-), from a callback; null when the group is none of ours. */
  addMembers(chatId: string, delta: number): Promise<{ pool: string; members: number } | null>;
  /**
   * The group as `groupchat/get` reports it: its count, and the unionids of its members (the roster
   * that admits them to the group's room, `group:{chat}`).
   */
  setMembers(chatId: string, members: number, unionIds: readonly string[]): Promise<void>;
  /** Whether the group's last roster lists the unionid. */
  inRoster(chatId: string, unionId: string): Promise<boolean>;
  joinWay(pool: string, room: string): Promise<RoomJoinWay | null>;
  joinWays(pool: string): Promise<RoomJoinWay[]>;
  /** Saves a join way and indexes it by its state. */
  saveJoinWay(way: RoomJoinWay): Promise<void>;
  byState(state: string): Promise<{ pool: string; room: string } | null>;
  countRouted(room: string, pool: string): Promise<void>;
  /** A member who joined through the room's join way; counted once per member. */
  recordJoin(room: string, pool: string, user: string): Promise<void>;
  figures(): Promise<RoutingFigures[]>;
  markBuyer(room: string, user: string): Promise<void>;
  isBuyer(room: string, user: string): Promise<boolean>;
}
