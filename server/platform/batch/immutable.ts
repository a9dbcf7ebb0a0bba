/**
 * Facts that never change once made (a group's campaign, a coupon's audience, where a share code
 * points), read from the store once per node instead of on every tap of a storm. `load` answering
 * undefined (no such thing yet) is not kept, so a thing made later is found. Bounded: past
 * `maxEntries` it starts over.
 */
export class Immutable<V> {
  private readonly known = new Map<string, V>();

  constructor(private readonly maxEntries = 50_000) {}

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const known = this.known.get(key);
    if (known !== undefined) return known;
    const value = await load();
    if (value === undefined) return undefined;
    if (this.known.size >= this.maxEntries) this.known.clear();
    this.known.set(key, value);
    return value;
  }
}
