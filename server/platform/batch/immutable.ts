/**
 * Facts that never change once made (a group's campaign, a coupon's audience, where a share code
 * points), read from the store once per node instead of on every tap of a storm: the first tap of
 * a storm reads it, the thousands arriving meanwhile wait for that one read. `load` answering
 * undefined (no such thing yet) is not kept, so a thing made later is found. Bounded: past
 * `maxEntries` it starts over.
 */
export class Immutable<V> {
  private readonly known = new Map<string, Promise<V | undefined>>();

  constructor(private readonly maxEntries = 50_000) {}

  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const known = this.known.get(key);
    if (known) return known;
    if (this.known.size >= this.maxEntries) this.known.clear();
    const loading = load().then(
      (value) => {
        if (value === undefined) this.known.delete(key);
        return value;
      },
      (err: unknown) => {
        this.known.delete(key);
        throw err;
      },
    );
    this.known.set(key, loading);
    return loading;
  }
}
