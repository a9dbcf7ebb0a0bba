import type { Pool, PoolGroup, RoomJoinWay, RoutingFigures } from '../../wecom/model.ts';
import type { WeComStore } from '../wecom.ts';

export class MemoryWeComStore implements WeComStore {
  private readonly pools_ = new Map<string, Pool>();
  private readonly groups_ = new Map<string, Map<string, PoolGroup>>();
  private readonly chatPools = new Map<string, string>();
  private readonly ways = new Map<string, RoomJoinWay>();
  private readonly states = new Map<string, { pool: string; room: string }>();
  private readonly routed = new Map<string, number>();
  private readonly joined = new Map<string, Set<string>>();
  private readonly buyers = new Set<string>();
  /** chat id -> unionids of its members at the last groupchat/get */
  private readonly rosters = new Map<string, Set<string>>();

  async createPool(pool: Pool, groups: PoolGroup[]): Promise<boolean> {
    if (this.pools_.has(pool.id)) return false;
    this.pools_.set(pool.id, structuredClone(pool));
    this.groups_.set(pool.id, new Map());
    for (const group of groups) await this.addGroup(pool.id, group);
    return true;
  }

  async pools(): Promise<Pool[]> {
    return [...this.pools_.values()].map((p) => structuredClone(p));
  }

  async groups(pool: string): Promise<PoolGroup[]> {
    return [...(this.groups_.get(pool)?.values() ?? [])].map((g) => ({ ...g }));
  }

  async poolOf(chatId: string): Promise<string | null> {
    return this.chatPools.get(chatId) ?? null;
  }

  async addGroup(pool: string, group: PoolGroup): Promise<void> {
    if (this.chatPools.has(group.chatId)) return;
    this.chatPools.set(group.chatId, pool);
    this.groups_.get(pool)?.set(group.chatId, { ...group });
  }

  async addMembers(chatId: string, delta: number): Promise<{ pool: string; members: number } | null> {
    const pool = this.chatPools.get(chatId);
    const group = pool ? this.groups_.get(pool)?.get(chatId) : undefined;
    if (!pool || !group) return null;
    group.members = Math.max(0, group.members + delta);
    return { pool, members: group.members };
  }

  async setMembers(chatId: string, members: number, unionIds: readonly string[]): Promise<void> {
    const pool = this.chatPools.get(chatId);
    const group = pool ? this.groups_.get(pool)?.get(chatId) : undefined;
    if (group) group.members = members;
    this.rosters.set(chatId, new Set(unionIds));
  }

  async inRoster(chatId: string, unionId: string): Promise<boolean> {
    return this.rosters.get(chatId)?.has(unionId) ?? false;
  }

  async joinWay(pool: string, room: string): Promise<RoomJoinWay | null> {
    const way = this.ways.get(`${pool}\n${room}`);
    return way ? structuredClone(way) : null;
  }

  async joinWays(pool: string): Promise<RoomJoinWay[]> {
    return [...this.ways.values()].filter((w) => w.pool === pool).map((w) => structuredClone(w));
  }

  async saveJoinWay(way: RoomJoinWay): Promise<void> {
    this.ways.set(`${way.pool}\n${way.room}`, structuredClone(way));
    this.states.set(way.state, { pool: way.pool, room: way.room });
  }

  async byState(state: string): Promise<{ pool: string; room: string } | null> {
    return this.states.get(state) ?? null;
  }

  async countRouted(room: string, pool: string): Promise<void> {
    const key = `${room}\n${pool}`;
    this.routed.set(key, (this.routed.get(key) ?? 0) + 1);
  }

  async recordJoin(room: string, pool: string, user: string): Promise<void> {
    const key = `${room}\n${pool}`;
    if (!this.joined.has(key)) this.joined.set(key, new Set());
    this.joined.get(key)!.add(user);
  }

  async figures(): Promise<RoutingFigures[]> {
    const keys = new Set([...this.routed.keys(), ...this.joined.keys()]);
    return [...keys].sort().map((key) => {
      const [room, pool] = key.split('\n') as [string, string];
      return { room, pool, routed: this.routed.get(key) ?? 0, joined: this.joined.get(key)?.size ?? 0 };
    });
  }

  async markBuyer(room: string, user: string): Promise<void> {
    this.buyers.add(`${room}\n${user}`);
  }

  async isBuyer(room: string, user: string): Promise<boolean> {
    return this.buyers.has(`${room}\n${user}`);
  }
}
