import type { Engine } from '../engine.ts';
import { luaScript } from '../store/lua-script.ts';
import type { Store } from '../store/store.ts';
import { fields, pairs } from './hashes.ts';

const createScript = luaScript(new URL('./create-3.lua', import.meta.url));
const transition = luaScript(new URL('./transition-1.lua', import.meta.url));

/** Work a new record makes due: at `at`, the schedule member `key` (platform/scheduler). */
export interface Due {
  at: number;
  key: string;
}

interface Entity {
  id: string;
  room: string;
  status: string;
}

/** How a record's hash fields decode: numbers and JSON; the rest are strings. */
export interface RecordShape {
  /** Fields stored as numbers. */
  numbers: readonly string[];
  /** Fields stored as JSON. */
  json: readonly string[];
}

/**
 * What every kind of record in a room (a flash sale, a coupon, a group-buy, an assist campaign, a
 * game) does the same way: a hash per record, a set of ids per room, creation only if free, and
 * status transitions of which one wins.
 */
export class Records<T extends Entity> {
  protected readonly store: Store;
  private readonly schedule: (room: string) => string;

  constructor(
    engine: Pick<Engine, 'store' | 'keys'>,
    private readonly hashKey: (room: string, id: string) => string,
    private readonly indexKey: (room: string) => string,
    private readonly shape: RecordShape,
  ) {
    this.store = engine.store;
    this.schedule = engine.keys.schedule;
  }

  /** False when the id is taken in the room. Its due work is scheduled in the same step. */
  async create(record: T, due: readonly Due[] = []): Promise<boolean> {
    const keys = [this.hashKey(record.room, record.id), this.indexKey(record.room), this.schedule(record.room)];
    return Number(await this.store.run(createScript, keys, [record.id, due.length, ...due.flatMap((d) => [d.at, d.key]), ...fields(record)])) === 1;
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

  /** Moves the record to `to` if its status is one of `from`, else null: of racing callers one wins. */
  async transition(room: string, id: string, from: readonly string[], to: string, patch: Partial<T>): Promise<T | null> {
    const reply = (await this.store.run(transition, [this.hashKey(room, id)], ['status', from.join(','), to, ...fields(patch)])) as Buffer[];
    return reply.length ? this.decode(pairs(reply)) : null;
  }

  decode(hash: Record<string, string>): T {
    return decodeHash<T>(hash, this.shape);
  }
}

export function decodeHash<T>(hash: Record<string, string>, shape: RecordShape): T {
  const out: Record<string, unknown> = { ...hash };
  for (const key of shape.numbers) if (hash[key] !== undefined) out[key] = Number(hash[key]);
  for (const key of shape.json) if (hash[key] !== undefined) out[key] = JSON.parse(hash[key]);
  return out as T;
}
