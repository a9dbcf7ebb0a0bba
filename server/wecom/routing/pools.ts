import { randomBytes } from 'node:crypto';
import { RoomcastError } from '../../protocol/errors.ts';
import { WeComApiError, type GroupChat, type WeComClient } from '../api/client.ts';
import type { Pool, PoolGroup, RoomJoinWay } from '../model.ts';
import type { WeComStore } from '../store.ts';
import { asRefusal } from './errors.ts';
import { DISMISSED, groupOf, rememberRoster } from './rosters.ts';
import type { CreatePool } from './rules.ts';

/** WeCom's errcode for a chat id it does not know. */
const CHAT_NOT_FOUND = 40050;

export interface PoolView extends Pool {
  groups: PoolGroup[];
  joinWays: Array<Pick<RoomJoinWay, 'room' | 'configId' | 'state' | 'chatIds'>>;
}

/** Pools of customer groups, each with the segment rule that chooses it and its groups' cap. */
export class Pools {
  constructor(private readonly store: WeComStore, private readonly client: WeComClient, private readonly defaultCap: number) {}

  /** Checks every group with WeCom first: a pool never holds a group WeCom does not know. */
  async create(input: CreatePool): Promise<PoolView> {
    const pool: Pool = {
      id: input.id ?? randomBytes(4).toString('hex'),
      name: input.name,
      priority: input.priority,
      rule: input.rule,
      cap: input.cap ?? this.defaultCap,
      roomBaseName: input.roomBaseName,
      roomBaseId: input.roomBaseId,
      createdAt: Date.now(),
    };
    const groups: GroupChat[] = [];
    for (const chatId of new Set(input.chatIds)) {
      const owner = await this.store.poolOf(chatId);
      if (owner) throw new RoomcastError('already_done', `chatIds: group ${chatId} is in pool ${owner} already`);
      const chat = await this.client.getGroupChat(chatId).catch((err: unknown) => {
        throw err instanceof WeComApiError && err.errcode === CHAT_NOT_FOUND ? new RoomcastError('bad_request', `chatIds: WeCom has no group ${chatId}`) : asRefusal(err);
      });
      groups.push(chat);
    }
    if (!(await this.store.createPool(pool, groups.map(groupOf)))) throw new RoomcastError('already_done', `pool ${pool.id} already exists`);
    for (const chat of groups) await rememberRoster(this.store, chat);
    return this.view(pool);
  }

  /** By priority, then age. */
  async list(): Promise<PoolView[]> {
    const pools = (await this.store.pools()).sort((a, b) => a.priority - b.priority || a.createdAt - b.createdAt);
    return Promise.all(pools.map((p) => this.view(p)));
  }

  private async view(pool: Pool): Promise<PoolView> {
    const [groups, ways] = await Promise.all([this.store.groups(pool.id), this.store.joinWays(pool.id)]);
    return {
      ...pool,
      groups: groups.map((g) => (g.members === DISMISSED ? { ...g, members: -1 } : g)),
      joinWays: ways.map(({ room, configId, state, chatIds }) => ({ room, configId, state, chatIds })),
    };
  }
}
