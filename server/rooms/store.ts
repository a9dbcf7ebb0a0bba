import { pairs } from '../platform/records/hashes.ts';
import { luaScript } from '../platform/store/lua-script.ts';
import type { Store } from '../platform/store/store.ts';
import type { RoomInfo } from '../protocol/frames.ts';
import type { Engine } from '../platform/engine.ts';
import type { Keys } from '../platform/keys.ts';

const createHash = luaScript(new URL('../platform/records/create-hash-1.lua', import.meta.url));
const updateHash = luaScript(new URL('../platform/records/update-hash-1.lua', import.meta.url));

/**
 * The room's hash. Decisions that end with the live (a flash-sale buy, a coupon claim) read its
 * `status` in their own script, so ending the room ends them in the same step.
 */
export const roomMetaKey = (keys: Keys, room: string) => keys.room(room, 'meta');

/** A room is a hash of JSON-encoded fields, so an update touches only the fields it names. */
export class RoomStore {
  private readonly store: Store;
  private readonly meta: (room: string) => string;
  private readonly shards: Engine['shards'];

  constructor(engine: Pick<Engine, 'store' | 'keys' | 'shards'>) {
    this.store = engine.store;
    this.meta = (room) => roomMetaKey(engine.keys, room);
    this.shards = engine.shards;
  }

  /** Creates the room (its slot registered first, on a cluster: platform/shards.ts); false when the id is taken. */
  async create(room: RoomInfo): Promise<boolean> {
    await this.shards.track(room.id);
    return Number(await this.store.run(createHash, [this.meta(room.id)], toFields(room))) === 1;
  }

  async get(id: string): Promise<RoomInfo | null> {
    const hash = await this.store.hgetall(this.meta(id));
    return Object.keys(hash).length ? fromHash(hash) : null;
  }

  /** Merges fields into an existing room; returns the result, null when there is no such room. */
  async update(id: string, patch: Partial<Omit<RoomInfo, 'id'>>): Promise<RoomInfo | null> {
    const reply = (await this.store.run(updateHash, [this.meta(id)], toFields(patch))) as Buffer[];
    return reply.length ? fromHash(pairs(reply)) : null;
  }
}

function toFields(record: object): string[] {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) => [k, JSON.stringify(v)]);
}

function fromHash(hash: Record<string, string>): RoomInfo {
  return Object.fromEntries(Object.entries(hash).map(([k, v]) => [k, JSON.parse(v)])) as RoomInfo;
}
