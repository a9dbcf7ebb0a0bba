import type { Locks } from '../../platform/lock/locks.ts';
import type { WeComClient } from '../api/client.ts';
import type { TagStore } from './store.ts';

/**
 * The ids of Roomcast's corp tags, made once: a name not known yet is looked up in WeCom
 * (`get_corp_tag_list`) and, when WeCom has none, added to the tag group (`add_corp_tag`), under a
 * lock so two nodes do not race to make it; ids are kept in the store and in memory. A tag deleted
 * in the admin console (WeCom: 40068 on its id) is forgotten and made again (`forget`).
 */
export class CorpTags {
  private readonly known = new Map<string, string>();

  constructor(private readonly client: WeComClient, private readonly store: TagStore, private readonly locks: Locks, private readonly groupName: string) {}

  async idsOf(names: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(names)];
    let missing = wanted.filter((n) => !this.known.has(n));
    if (missing.length) {
      const stored = await this.store.tagIds(missing);
      missing.forEach((name, i) => stored[i] && this.known.set(name, stored[i]!));
      missing = missing.filter((n) => !this.known.has(n));
    }
    if (missing.length) await this.locks.withLock('wecom:corp-tags', { leaseMs: 10_000, waitMs: 15_000 }, () => this.make(missing));
    return new Map(wanted.map((name) => [name, this.known.get(name)!]));
  }

  /** WeCom no longer knows these tags' ids: the next `idsOf` looks them up, or makes them, again. */
  async forget(names: readonly string[]): Promise<void> {
    for (const name of names) this.known.delete(name);
    await this.store.forgetTagIds(names);
  }

  private async make(names: string[]): Promise<void> {
    const group = (await this.client.getCorpTags()).find((g) => g.groupName === this.groupName);
    const found = Object.fromEntries((group?.tags ?? []).filter((t) => names.includes(t.name)).map((t) => [t.name, t.id]));
    const absent = names.filter((n) => !found[n]);
    if (absent.length) {
      const made = await this.client.addCorpTags(this.groupName, absent);
      for (const tag of made.tags) if (absent.includes(tag.name)) found[tag.name] = tag.id;
    }
    await this.store.saveTagIds(found);
    for (const [name, id] of Object.entries(found)) this.known.set(name, id);
  }
}
