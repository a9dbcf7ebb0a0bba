import { luaScript } from '../store/lua-script.ts';
import type { Store } from '../store/store.ts';
import { fields, pairs } from './hashes.ts';

const createHash = luaScript(new URL('./create-hash-1.lua', import.meta.url));
const transition = luaScript(new URL('./transition-1.lua', import.meta.url));

interface Campaign {
  id: string;
  room: string;
  status: string;
}

export interface CampaignShape {
  /** Fields stored as numbers. */
  numbers: readonly string[];
  /** Fields stored as JSON. */
  json: readonly string[];
}

/**
 * What every campaign kind (flash sale, coupon, group-buy, assist) does the same way: a hash per
 * campaign, a set per room, creation only if free, and status transitions of which one wins.
 */
export class RedisCampaigns<T extends Campaign> {
  constructor(
    protected readonly store: Store,
    private readonly hashKey: (room: string, id: string) => string,
    private readonly indexKey: (room: string) => string,
    private readonly shape: CampaignShape,
  ) {}

  async create(campaign: T): Promise<boolean> {
    const created = Number(await this.store.run(createHash, [this.hashKey(campaign.room, campaign.id)], fields(campaign))) === 1;
    if (created) await this.store.call('SADD', this.indexKey(campaign.room), campaign.id);
    return created;
  }

  async get(room: string, id: string): Promise<T | null> {
    const hash = await this.store.hgetall(this.hashKey(room, id));
    return Object.keys(hash).length ? this.decode(hash) : null;
  }

  /** In id order; read in that order too, so the calls do not depend on a set's order. */
  async list(room: string): Promise<T[]> {
    const ids = (await this.store.smembers(this.indexKey(room))).sort((a, b) => a.localeCompare(b));
    const all = await Promise.all(ids.map((id) => this.get(room, id)));
    return all.filter((c): c is Awaited<T> => c !== null);
  }

  async transition(room: string, id: string, from: readonly string[], to: string, patch: Partial<T>): Promise<T | null> {
    const reply = (await this.store.run(transition, [this.hashKey(room, id)], ['status', from.join(','), to, ...fields(patch)])) as Buffer[];
    return reply.length ? this.decode(pairs(reply)) : null;
  }

  decode(hash: Record<string, string>): T {
    return decodeHash<T>(hash, this.shape);
  }
}

export function decodeHash<T>(hash: Record<string, string>, shape: CampaignShape): T {
  const out: Record<string, unknown> = { ...hash };
  for (const key of shape.numbers) if (hash[key] !== undefined) out[key] = Number(hash[key]);
  for (const key of shape.json) if (hash[key] !== undefined) out[key] = JSON.parse(hash[key]);
  return out as T;
}
