/**
 * The embedded store's data: Redis's value types in plain JavaScript structures, with key expiry.
 * Every key, field, member and value is a "byte string": a JS string whose char codes are the bytes
 * (latin1), so binary values (msgpack envelopes) and UTF-8 text are both kept exactly.
 */

interface Types {
  string: string;
  hash: Map<string, string>;
  set: Set<string>;
  zset: SortedSet;
  list: string[];
  stream: Stream;
}

export type ValueType = keyof Types;
export type Value = { [T in ValueType]: { type: T; value: Types[T] } }[ValueType];

/** An error reply, with Redis's own text ("ERR ...", "WRONGTYPE ..."). */
export class CommandError extends Error {
  override name = 'CommandError';
}

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

export class Keyspace {
  private readonly values = new Map<string, Value>();
  private readonly expires = new Map<string, number>();
  /** Set while a script runs: Redis reads one clock for the whole script. */
  private frozenNow: number | undefined;

  now(): number {
    return this.frozenNow ?? Date.now();
  }

  /** Runs `work` with the clock stopped at its start, as Redis does for a script. */
  frozen<T>(work: () => T): T {
    if (this.frozenNow !== undefined) return work();
    this.frozenNow = Date.now();
    try {
      return work();
    } finally {
      this.frozenNow = undefined;
    }
  }

  /** The live value at `key`, of `type` if given (else WRONGTYPE), or undefined. */
  get<T extends ValueType>(key: string, type: T): Types[T] | undefined {
    const entry = this.lookup(key);
    if (!entry) return undefined;
    if (entry.type !== type) throw new CommandError(WRONGTYPE);
    return entry.value as Types[T];
  }

  /** The value at `key`, made empty of `type` when absent. */
  obtain<T extends ValueType>(key: string, type: T, create: () => Types[T]): Types[T] {
    const found = this.get(key, type);
    if (found !== undefined) return found;
    const value = create();
    this.values.set(key, { type, value } as Value);
    return value;
  }

  lookup(key: string): Value | undefined {
    const at = this.expires.get(key);
    if (at !== undefined && at <= this.now()) this.delete(key);
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.lookup(key) !== undefined;
  }

  /** Replaces the key's value; its expiry goes unless `keepTtl`. */
  setString(key: string, value: string, keepTtl = false): void {
    this.values.set(key, { type: 'string', value });
    if (!keepTtl) this.expires.delete(key);
  }

  delete(key: string): boolean {
    this.expires.delete(key);
    return this.values.delete(key);
  }

  /** Redis drops a collection that became empty. */
  dropIfEmpty(key: string, size: number): void {
    if (size === 0) this.delete(key);
  }

  expireAt(key: string, at: number): void {
    if (at <= this.now()) this.delete(key);
    else this.expires.set(key, at);
  }

  /** Milliseconds left, -1 without expiry, -2 when absent (PTTL). */
  ttl(key: string): number {
    if (!this.has(key)) return -2;
    const at = this.expires.get(key);
    return at === undefined ? -1 : at - this.now();
  }

  /** Frees keys whose time passed (lookups already ignore them): Redis's active expiry, run on a timer. */
  sweep(): void {
    const now = Date.now();
    for (const [key, at] of this.expires) if (at <= now) this.delete(key);
  }

  /** Every live key (for tests comparing the embedded store with Redis). */
  keys(): string[] {
    return [...this.values.keys()].filter((key) => this.has(key));
  }
}

/** A sorted set: member -> score, and the members ordered by (score, member bytes) as Redis orders them. */
export class SortedSet {
  readonly scores = new Map<string, number>();
  readonly ordered: string[] = [];

  get size(): number {
    return this.scores.size;
  }

  /** True when the member is new. */
  add(member: string, score: number): boolean {
    const old = this.scores.get(member);
    if (old === score) return false;
    if (old !== undefined) this.ordered.splice(this.indexOf(member, old), 1);
    this.scores.set(member, score);
    this.ordered.splice(this.lowerBound(score, member), 0, member);
    return old === undefined;
  }

  remove(member: string): boolean {
    const score = this.scores.get(member);
    if (score === undefined) return false;
    this.ordered.splice(this.indexOf(member, score), 1);
    this.scores.delete(member);
    return true;
  }

  /** Index of the first member ordered at or after (score, member). */
  lowerBound(score: number, member: string): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.ordered[mid]!;
      const s = this.scores.get(m)!;
      if (s < score || (s === score && m < member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first member whose score is above `score` (or at or above it, when `inclusive` is false). */
  scoreBound(score: number, after: boolean): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.scores.get(this.ordered[mid]!)!;
      if (after ? s <= score : s < score) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(member: string, score: number): number {
    return this.lowerBound(score, member);
  }
}

export interface StreamEntry {
  ms: number;
  seq: number;
  /** field, value, field, value, ... */
  fields: string[];
}

export interface Stream {
  entries: StreamEntry[];
  last: { ms: number; seq: number };
}
