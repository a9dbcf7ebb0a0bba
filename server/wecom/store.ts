import type { Store } from '../platform/store/store.ts';
import type { Pool, PoolGroup, RoomJoinWay, RoutingFigures } from './model.ts';
import type { Engine } from '../platform/engine.ts';
import type { Keys } from '../platform/keys.ts';

/** WeCom routing's keys: few, read at routing time and written by callbacks. */
export function wecomKeys(k: Keys) {
  return {
    pools: () => k.family('wecom', 'wecom:pools'),
    groupNames: (pool: string) => k.family('wecom', `wecom:pool:${pool}:group-names`),
    groupMembers: (pool: string) => k.family('wecom', `wecom:pool:${pool}:group-members`),
    chatPools: () => k.family('wecom', 'wecom:chat-pools'),
    /** The unionids of a group's members at its last `groupchat/get`. */
    roster: (chatId: string) => k.family('wecom', `wecom:roster:${chatId}`),
    joinWays: (pool: string) => k.family('wecom', `wecom:pool:${pool}:join-ways`),
    states: () => k.family('wecom', 'wecom:states'),
    routed: () => k.family('wecom', 'wecom:routed'),
    joined: (room: string, pool: string) => k.family('wecom', `wecom:joined:{${room}}:${pool}`),
    joinedIndex: () => k.family('wecom', 'wecom:joined-index'),
    buyers: (room: string) => k.family('wecom', `wecom:buyers:{${room}}`),
  };
}

/**
 * WeCom routing's state, shared by every node: pools, their groups and counts, rosters, join ways,
 * figures. Counts move with HINCRBY, so nodes never overwrite each other.
 */
export class WeComStore {
  private readonly store: Store;
  private readonly keys: ReturnType<typeof wecomKeys>;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = wecomKeys(engine.keys);
  }

  /** False when the id is taken. A group already in another pool is an error the caller checks first. */
  async createPool(pool: Pool, groups: PoolGroup[]): Promise<boolean> {
    if (!(await this.store.hsetnx(this.keys.pools(), pool.id, JSON.stringify(pool)))) return false;
    for (const group of groups) await this.addGroup(pool.id, group);
    return true;
  }

  async pools(): Promise<Pool[]> {
    return Object.values(await this.store.hgetall(this.keys.pools())).map((json) => JSON.parse(json) as Pool);
  }

  async groups(pool: string): Promise<PoolGroup[]> {
    const [names, members] = await Promise.all([this.store.hgetall(this.keys.groupNames(pool)), this.store.hgetall(this.keys.groupMembers(pool))]);
    return Object.entries(names).map(([chatId, name]) => ({ chatId, name, members: Math.max(0, Number(members[chatId] ?? 0)) }));
  }

  /** The pool a group belongs to. */
  poolOf(chatId: string): Promise<string | null> {
    return this.store.hget(this.keys.chatPools(), chatId);
  }

  /** Adds a group (one WeCom opened by itself) to a pool; a group already known is left as it is. */
  async addGroup(pool: string, group: PoolGroup): Promise<void> {
    if (!(await this.store.hsetnx(this.keys.chatPools(), group.chatId, pool))) return;
    await this.store.multi([
      ['HSET', this.keys.groupNames(pool), group.chatId, group.name],
      ['HSET', this.keys.groupMembers(pool), group.chatId, group.members],
    ]);
  }

  /** Members joined (+) or left (-), from a callback; null when the group is none of ours. */
  async addMembers(chatId: string, delta: number): Promise<{ pool: string; members: number } | null> {
    const pool = await this.poolOf(chatId);
    if (!pool) return null;
    const members = await this.store.hincrby(this.keys.groupMembers(pool), chatId, delta);
    return { pool, members: Math.max(0, members) };
  }

  /**
   * The group as `groupchat/get` reports it: its count, and the unionids of its members (the roster
   * that admits them to the group's room, `group:{chat}`).
   */
  async setMembers(chatId: string, members: number, unionIds: readonly string[]): Promise<void> {
    const pool = await this.poolOf(chatId);
    if (pool) await this.store.call('HSET', this.keys.groupMembers(pool), chatId, members);
    const roster = this.keys.roster(chatId);
    await this.store.multi([['DEL', roster], ...(unionIds.length ? [['SADD', roster, ...unionIds] as const] : [])]);
  }

  /** Whether the group's last roster lists the unionid. */
  async inRoster(chatId: string, unionId: string): Promise<boolean> {
    return this.store.sismember(this.keys.roster(chatId), unionId);
  }

  async joinWay(pool: string, room: string): Promise<RoomJoinWay | null> {
    const json = await this.store.hget(this.keys.joinWays(pool), room);
    return json ? (JSON.parse(json) as RoomJoinWay) : null;
  }

  async joinWays(pool: string): Promise<RoomJoinWay[]> {
    return Object.values(await this.store.hgetall(this.keys.joinWays(pool))).map((json) => JSON.parse(json) as RoomJoinWay);
  }

  /** Saves a join way and indexes it by its state. */
  async saveJoinWay(way: RoomJoinWay): Promise<void> {
    await this.store.multi([
      ['HSET', this.keys.joinWays(way.pool), way.room, JSON.stringify(way)],
      ['HSET', this.keys.states(), way.state, JSON.stringify({ pool: way.pool, room: way.room })],
    ]);
  }

  async byState(state: string): Promise<{ pool: string; room: string } | null> {
    const json = await this.store.hget(this.keys.states(), state);
    return json ? (JSON.parse(json) as { pool: string; room: string }) : null;
  }

  async countRouted(room: string, pool: string): Promise<void> {
    await this.store.hincrby(this.keys.routed(), figureKey(room, pool), 1);
  }

  /** A member who joined through the room's join way; counted once per member. */
  async recordJoin(room: string, pool: string, user: string): Promise<void> {
    await this.store.multi([['SADD', this.keys.joined(room, pool), user], ['SADD', this.keys.joinedIndex(), figureKey(room, pool)]]);
  }

  async figures(): Promise<RoutingFigures[]> {
    const [routed, joinedKeys] = await Promise.all([this.store.hgetall(this.keys.routed()), this.store.smembers(this.keys.joinedIndex())]);
    const keys = [...new Set([...Object.keys(routed), ...joinedKeys])].sort();
    return Promise.all(keys.map(async (key) => {
      const [room, pool] = key.split('\n') as [string, string];
      return { room, pool, routed: Number(routed[key] ?? 0), joined: await this.store.scard(this.keys.joined(room, pool)) };
    }));
  }

  async markBuyer(room: string, user: string): Promise<void> {
    await this.store.call('SADD', this.keys.buyers(room), user);
  }

  async isBuyer(room: string, user: string): Promise<boolean> {
    return this.store.sismember(this.keys.buyers(room), user);
  }
}

function figureKey(room: string, pool: string): string {
  return `${room}\n${pool}`;
}
