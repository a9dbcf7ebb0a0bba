import type { Store } from '../platform/store/store.ts';
import type { Pool, PoolGroup, RoomJoinWay, RoutingFigures } from './model.ts';
import type { WeComStore } from '../engine/wecom.ts';
import type { RedisKeys } from '../platform/keys.ts';

/** Pools, join ways and figures as hashes and sets; counts move with HINCRBY, so nodes never overwrite each other. */
export class RedisWeComStore implements WeComStore {
  constructor(private readonly store: Store, private readonly keys: RedisKeys) {}

  async createPool(pool: Pool, groups: PoolGroup[]): Promise<boolean> {
    if (!(await this.store.hsetnx(this.keys.wecomPools(), pool.id, JSON.stringify(pool)))) return false;
    for (const group of groups) await this.addGroup(pool.id, group);
    return true;
  }

  async pools(): Promise<Pool[]> {
    return Object.values(await this.store.hgetall(this.keys.wecomPools())).map((json) => JSON.parse(json) as Pool);
  }

  async groups(pool: string): Promise<PoolGroup[]> {
    const [names, members] = await Promise.all([this.store.hgetall(this.keys.wecomGroupNames(pool)), this.store.hgetall(this.keys.wecomGroupMembers(pool))]);
    return Object.entries(names).map(([chatId, name]) => ({ chatId, name, members: Math.max(0, Number(members[chatId] ?? 0)) }));
  }

  poolOf(chatId: string): Promise<string | null> {
    return this.store.hget(this.keys.wecomChatPools(), chatId);
  }

  async addGroup(pool: string, group: PoolGroup): Promise<void> {
    if (!(await this.store.hsetnx(this.keys.wecomChatPools(), group.chatId, pool))) return;
    await this.store.multi([
      ['HSET', this.keys.wecomGroupNames(pool), group.chatId, group.name],
      ['HSET', this.keys.wecomGroupMembers(pool), group.chatId, group.members],
    ]);
  }

  async addMembers(chatId: string, delta: number): Promise<{ pool: string; members: number } | null> {
    const pool = await this.poolOf(chatId);
    if (!pool) return null;
    const members = await this.store.hincrby(this.keys.wecomGroupMembers(pool), chatId, delta);
    return { pool, members: Math.max(0, members) };
  }

  async setMembers(chatId: string, members: number, unionIds: readonly string[]): Promise<void> {
    const pool = await this.poolOf(chatId);
    if (pool) await this.store.call('HSET', this.keys.wecomGroupMembers(pool), chatId, members);
    const roster = this.keys.wecomRoster(chatId);
    await this.store.multi([['DEL', roster], ...(unionIds.length ? [['SADD', roster, ...unionIds] as const] : [])]);
  }

  async inRoster(chatId: string, unionId: string): Promise<boolean> {
    return this.store.sismember(this.keys.wecomRoster(chatId), unionId);
  }

  async joinWay(pool: string, room: string): Promise<RoomJoinWay | null> {
    const json = await this.store.hget(this.keys.wecomJoinWays(pool), room);
    return json ? (JSON.parse(json) as RoomJoinWay) : null;
  }

  async joinWays(pool: string): Promise<RoomJoinWay[]> {
    return Object.values(await this.store.hgetall(this.keys.wecomJoinWays(pool))).map((json) => JSON.parse(json) as RoomJoinWay);
  }

  async saveJoinWay(way: RoomJoinWay): Promise<void> {
    await this.store.multi([
      ['HSET', this.keys.wecomJoinWays(way.pool), way.room, JSON.stringify(way)],
      ['HSET', this.keys.wecomStates(), way.state, JSON.stringify({ pool: way.pool, room: way.room })],
    ]);
  }

  async byState(state: string): Promise<{ pool: string; room: string } | null> {
    const json = await this.store.hget(this.keys.wecomStates(), state);
    return json ? (JSON.parse(json) as { pool: string; room: string }) : null;
  }

  async countRouted(room: string, pool: string): Promise<void> {
    await this.store.hincrby(this.keys.wecomRouted(), figureKey(room, pool), 1);
  }

  async recordJoin(room: string, pool: string, user: string): Promise<void> {
    await this.store.multi([['SADD', this.keys.wecomJoined(room, pool), user], ['SADD', this.keys.wecomJoinedIndex(), figureKey(room, pool)]]);
  }

  async figures(): Promise<RoutingFigures[]> {
    const [routed, joinedKeys] = await Promise.all([this.store.hgetall(this.keys.wecomRouted()), this.store.smembers(this.keys.wecomJoinedIndex())]);
    const keys = [...new Set([...Object.keys(routed), ...joinedKeys])].sort();
    return Promise.all(keys.map(async (key) => {
      const [room, pool] = key.split('\n') as [string, string];
      return { room, pool, routed: Number(routed[key] ?? 0), joined: await this.store.scard(this.keys.wecomJoined(room, pool)) };
    }));
  }

  async markBuyer(room: string, user: string): Promise<void> {
    await this.store.call('SADD', this.keys.wecomBuyers(room), user);
  }

  async isBuyer(room: string, user: string): Promise<boolean> {
    return this.store.sismember(this.keys.wecomBuyers(room), user);
  }
}

function figureKey(room: string, pool: string): string {
  return `${room}\n${pool}`;
}
