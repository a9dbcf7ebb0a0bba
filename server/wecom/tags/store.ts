import type { Engine } from '../../platform/engine.ts';
import type { Keys } from '../../platform/keys.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';

const pendScript = luaScript(new URL('./pend-1.lua', import.meta.url));
const unpendScript = luaScript(new URL('./unpend-2.lua', import.meta.url));

/** A customer as Roomcast knows them: their external_userid and the staff members they added. */
export interface KnownContact {
  externalUserId: string;
  followUsers: string[];
}

/** Corp tags' keys, beside WeCom routing's (one family: one slot on a cluster). */
function tagKeys(k: Keys) {
  return {
    /** unionid (a viewer's `sub`) -> their KnownContact (JSON): from `externalcontact/get`. */
    contacts: () => k.family('wecom', 'wecom:contacts'),
    /** unionid -> tag names (JSON) waiting for the viewer to become a customer. */
    pending: () => k.family('wecom', 'wecom:pending-tags'),
    /**
     * unionid -> since (ms): customers whose pending tags a node is putting on. Left behind by a
     * node that died mid-way (WeCom's retried callback is a duplicate by then), for the sweep.
     */
    putting: () => k.family('wecom', 'wecom:pending-putting'),
    /** `unionid|tag id` -> 1: put on the customer already; a tag is marked once. */
    marked: () => k.family('wecom', 'wecom:marked-tags'),
    /** Tag name -> corp tag id. */
    ids: () => k.family('wecom', 'wecom:tag-ids'),
  };
}

/** What Roomcast keeps for corp tags: its contacts index, pending tags, tags marked, tag ids. */
export class TagStore {
  private readonly store: Store;
  private readonly keys: ReturnType<typeof tagKeys>;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = tagKeys(engine.keys);
  }

  async contact(unionId: string): Promise<KnownContact | null> {
    const json = await this.store.hget(this.keys.contacts(), unionId);
    return json ? (JSON.parse(json) as KnownContact) : null;
  }

  async saveContact(unionId: string, contact: KnownContact): Promise<void> {
    await this.store.call('HSET', this.keys.contacts(), unionId, JSON.stringify(contact));
  }

  /** Adds tag names to the viewer's pending ones. */
  async addPending(unionId: string, names: readonly string[]): Promise<void> {
    if (names.length) await this.store.run(pendScript, [this.keys.pending()], [unionId, ...names]);
  }

  /** The viewer's pending tag names; they stay pending until `unpend` says they are on. */
  async pending(unionId: string): Promise<string[]> {
    const json = await this.store.hget(this.keys.pending(), unionId);
    return json ? (JSON.parse(json) as string[]) : [];
  }

  /** These names are on the customer now: no longer pending (names added meanwhile stay); with none left, the customer leaves the sweep's list. */
  async unpend(unionId: string, names: readonly string[]): Promise<void> {
    await this.store.run(unpendScript, [this.keys.pending(), this.keys.putting()], [unionId, ...names]);
  }

  /** A node starts putting the customer's pending tags on: listed until `unpend` empties them. */
  async putting(unionId: string, now = Date.now()): Promise<void> {
    await this.store.call('HSET', this.keys.putting(), unionId, now);
  }

  /** Customers whose pending tags were being put on since before `before` (ms): a node may have died at it. */
  async stalled(before: number): Promise<string[]> {
    return Object.entries(await this.store.hgetall(this.keys.putting())).filter(([, since]) => Number(since) < before).map(([unionId]) => unionId);
  }

  /** The customer is no one's now (84061): their tags wait for a contact callback, not the sweep. */
  async notPutting(unionId: string): Promise<void> {
    await this.store.call('HDEL', this.keys.putting(), unionId);
  }

  /** Of these tag ids, the ones not yet marked on the viewer. */
  async unmarked(unionId: string, ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const marked = await this.store.hmget(this.keys.marked(), ...ids.map((id) => `${unionId}|${id}`));
    return ids.filter((_, i) => !marked[i]);
  }

  async markDone(unionId: string, ids: readonly string[]): Promise<void> {
    if (ids.length) await this.store.call('HSET', this.keys.marked(), ...ids.flatMap((id) => [`${unionId}|${id}`, 1]));
  }

  async tagIds(names: readonly string[]): Promise<Array<string | null>> {
    return names.length ? this.store.hmget(this.keys.ids(), ...names) : [];
  }

  async forgetTagIds(names: readonly string[]): Promise<void> {
    if (names.length) await this.store.call('HDEL', this.keys.ids(), ...names);
  }

  async saveTagIds(ids: Record<string, string>): Promise<void> {
    const pairs = Object.entries(ids).flat();
    if (pairs.length) await this.store.call('HSET', this.keys.ids(), ...pairs);
  }
}
