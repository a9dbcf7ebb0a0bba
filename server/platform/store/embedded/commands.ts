import { formatG } from './format.ts';
import { CommandError, SortedSet, type Keyspace, type Stream, type StreamEntry } from './keyspace.ts';

/**
 * The Redis commands the embedded store answers: exactly those Roomcast's scripts and stores use,
 * with Redis 7.0's replies and errors (the differential test holds them to real Redis). Arguments
 * and bulk replies are byte strings (see keyspace.ts).
 */

/** A status reply (`+OK`). */
export class Status {
  constructor(readonly text: string) {}
}

export type Reply = null | number | string | Status | Reply[];

/** Where PUBLISH hands a message: answers how many subscribers received it. */
export interface Publisher {
  publish(channel: string, message: string): number;
}

interface Command {
  /** Redis's arity: the exact argument count with the name, or at least -arity when negative. */
  arity: number;
  /** Redis's option words this store leaves out: a script naming one fails at load (lua-check.ts), not at its first call. */
  refuses?: readonly string[];
  run(db: Keyspace, args: string[], publisher: Publisher): Reply;
}

const OK = new Status('OK');
const NOT_INTEGER = 'ERR value is not an integer or out of range';
const SYNTAX = 'ERR syntax error';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Redis's string2ll: optional '-', digits, no leading zeros, no spaces, within int64. */
function parseInteger(text: string, message = NOT_INTEGER): bigint {
  if (!/^(0|-?[1-9][0-9]{0,19})$/.test(text)) throw new CommandError(message);
  const n = BigInt(text);
  if (n < INT64_MIN || n > INT64_MAX) throw new CommandError(message);
  return n;
}

/** A score or range bound as strtod reads it, without NaN (Redis: "not a valid float"). */
function parseScore(text: string): number {
  const lower = text.toLowerCase();
  if (/^[+-]?inf(inity)?$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  const value = Number(text);
  // strtod's overflow (1e400) is ERANGE, which Redis refuses; only the words are infinities.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower) || !Number.isFinite(value)) throw new CommandError('ERR value is not a valid float');
  return value;
}

/** A ZRANGEBYSCORE bound: `(` makes it exclusive. */
function parseBound(text: string): { value: number; exclusive: boolean } {
  const exclusive = text.startsWith('(');
  try {
    return { value: parseScore(exclusive ? text.slice(1) : text), exclusive };
  } catch {
    throw new CommandError('ERR min or max is not a float');
  }
}

function incrementBy(current: string | undefined, by: bigint, notInteger: string): bigint {
  const base = current === undefined ? 0n : parseInteger(current, notInteger);
  const next = base + by;
  if (next < INT64_MIN || next > INT64_MAX) throw new CommandError('ERR increment or decrement would overflow');
  return next;
}

function pairsOf(args: string[], from: number, name: string): Array<[string, string]> {
  if ((args.length - from) % 2 !== 0 || args.length === from) throw new CommandError(`ERR wrong number of arguments for '${name}' command`);
  const out: Array<[string, string]> = [];
  for (let i = from; i < args.length; i += 2) out.push([args[i]!, args[i + 1]!]);
  return out;
}

/** LRANGE/LTRIM/ZREVRANGE index rules: negative from the end, clamped. */
function span(length: number, startText: string, stopText: string): [number, number] {
  let start = Number(parseInteger(startText));
  let stop = Number(parseInteger(stopText));
  if (start < 0) start = Math.max(0, length + start);
  if (stop < 0) stop = length + stop;
  if (stop >= length) stop = length - 1;
  return [start, stop];
}

/** A stream id "<ms>-<seq>" or "<ms>"; `-` and `+` are the ends; missing seq is 0 (or the maximum, for an end). */
function parseStreamId(text: string, end: boolean): { ms: number; seq: number } {
  if (text === '-') return { ms: 0, seq: 0 };
  if (text === '+') return { ms: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) throw new CommandError('ERR Invalid stream ID specified as stream command argument');
  const ms = Number(match[1]);
  const seq = match[2] === undefined ? (end ? Number.MAX_SAFE_INTEGER : 0) : Number(match[2]);
  if (!Number.isSafeInteger(ms) || !Number.isSafeInteger(seq)) throw new CommandError('ERR embedded store: stream ids above 2^53 are not supported');
  return { ms, seq };
}

const compareIds = (a: { ms: number; seq: number }, b: { ms: number; seq: number }) => a.ms - b.ms || a.seq - b.seq;
const streamId = (e: { ms: number; seq: number }) => `${e.ms}-${e.seq}`;

/** Redis's glob as a RegExp over the whole key: `*`, `?` and `\x`; character classes are not supported. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') throw new CommandError('ERR embedded store: MATCH character classes are not supported');
    else out += (c === '\\' && i + 1 < glob.length ? glob[++i]! : c).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

const hash = (db: Keyspace, key: string) => db.get(key, 'hash');
const newHash = () => new Map<string, string>();

export const commands: Record<string, Command> = {
  PING: { arity: -1, run: (_db, args) => (args.length ? args[0]! : new Status('PONG')) },

  EXISTS: { arity: -2, run: (db, keys) => keys.filter((k) => db.has(k)).length },
  DEL: { arity: -2, run: (db, keys) => keys.filter((k) => db.has(k) && db.delete(k)).length },
  PEXPIRE: {
    arity: -3,
    refuses: ['NX', 'XX', 'GT', 'LT'],
    run(db, [key, ms, ...options]) {
      const after = Number(parseInteger(ms!));
      if (options.length) throw new CommandError('ERR embedded store: PEXPIRE options are not supported');
      if (!db.has(key!)) return 0;
      db.expireAt(key!, db.now() + after);
      return 1;
    },
  },
  PTTL: { arity: 2, run: (db, [key]) => db.ttl(key!) },
  /**
   * The matching keys in one answer (cursor 0 at once, which Redis's SCAN contract allows): Roomcast
   * scans a room's keys when the room expires.
   */
  SCAN: {
    arity: -2,
    run(db, [cursor, ...options]) {
      if (cursor !== '0') throw new CommandError('ERR invalid cursor');
      let match: RegExp | undefined;
      for (let i = 0; i < options.length; i += 2) {
        const [name, value] = [options[i]!.toUpperCase(), options[i + 1]];
        if (value === undefined) throw new CommandError('ERR syntax error');
        if (name === 'MATCH') match = globToRegExp(value);
        else if (name === 'COUNT') parseInteger(value);
        else throw new CommandError(`ERR embedded store: SCAN ${name} is not supported`);
      }
      return ['0', db.keys().filter((key) => !match || match.test(key))];
    },
  },
  TYPE: { arity: 2, run: (db, [key]) => new Status(db.lookup(key!)?.type ?? 'none') },

  GET: { arity: 2, run: (db, [key]) => db.get(key!, 'string') ?? null },
  SET: {
    arity: -3,
    refuses: ['KEEPTTL', 'GET', 'EXAT', 'PXAT'],
    run(db, [key, value, ...options]) {
      let condition: 'NX' | 'XX' | undefined;
      let expiresAt: number | undefined;
      for (let i = 0; i < options.length; i++) {
        const option = options[i]!.toUpperCase();
        if ((option === 'NX' || option === 'XX') && !condition) condition = option;
        else if ((option === 'PX' || option === 'EX') && expiresAt === undefined && i + 1 < options.length) {
          const amount = parseInteger(options[++i]!, "ERR invalid expire time in 'set' command");
          if (amount <= 0n) throw new CommandError("ERR invalid expire time in 'set' command");
          expiresAt = db.now() + Number(amount) * (option === 'EX' ? 1000 : 1);
        } else throw new CommandError(SYNTAX);
      }
      const exists = db.lookup(key!) !== undefined;
      if ((condition === 'NX' && exists) || (condition === 'XX' && !exists)) return null;
      db.setString(key!, value!);
      if (expiresAt !== undefined) db.expireAt(key!, expiresAt);
      return OK;
    },
  },
  INCR: {
    arity: 2,
    run(db, [key]) {
      const next = incrementBy(db.get(key!, 'string'), 1n, NOT_INTEGER);
      db.setString(key!, next.toString(), true);
      return Number(next);
    },
  },

  HSET: {
    arity: -4,
    run(db, [key, ...rest]) {
      const fields = pairsOf(rest, 0, 'hset');
      const h = db.obtain(key!, 'hash', newHash);
      let added = 0;
      for (const [field, value] of fields) {
        if (!h.has(field)) added++;
        h.set(field, value);
      }
      return added;
    },
  },
  HSETNX: {
    arity: 4,
    run(db, [key, field, value]) {
      const h = db.obtain(key!, 'hash', newHash);
      if (h.has(field!)) return 0;
      h.set(field!, value!);
      return 1;
    },
  },
  HGET: { arity: 3, run: (db, [key, field]) => hash(db, key!)?.get(field!) ?? null },
  HMGET: { arity: -3, run: (db, [key, ...fields]) => fields.map((f) => hash(db, key!)?.get(f) ?? null) },
  HGETALL: { arity: 2, run: (db, [key]) => [...(hash(db, key!) ?? [])].flat() },
  /** The whole hash in one answer (cursor 0 at once, as SCAN here); only `HSCAN key 0 [COUNT n]`. */
  HSCAN: {
    arity: -3,
    run(db, [key, cursor, ...options]) {
      if (cursor !== '0') throw new CommandError('ERR invalid cursor');
      if (options.length && !(options.length === 2 && options[0]!.toUpperCase() === 'COUNT')) throw new CommandError('ERR embedded store: HSCAN takes COUNT only');
      return ['0', [...(hash(db, key!) ?? [])].flat()];
    },
  },
  HEXISTS: { arity: 3, run: (db, [key, field]) => (hash(db, key!)?.has(field!) ? 1 : 0) },
  HDEL: {
    arity: -3,
    run(db, [key, ...fields]) {
      const h = hash(db, key!);
      if (!h) return 0;
      const removed = fields.filter((f) => h.delete(f)).length;
      db.dropIfEmpty(key!, h.size);
      return removed;
    },
  },
  HINCRBY: {
    arity: 4,
    run(db, [key, field, by]) {
      const increment = parseInteger(by!);
      const h = db.obtain(key!, 'hash', newHash);
      const next = incrementBy(h.get(field!), increment, 'ERR hash value is not an integer');
      h.set(field!, next.toString());
      return Number(next);
    },
  },

  SADD: {
    arity: -3,
    run(db, [key, ...members]) {
      const s = db.obtain(key!, 'set', () => new Set<string>());
      const before = s.size;
      for (const m of members) s.add(m);
      return s.size - before;
    },
  },
  SCARD: { arity: 2, run: (db, [key]) => db.get(key!, 'set')?.size ?? 0 },
  SISMEMBER: { arity: 3, run: (db, [key, member]) => (db.get(key!, 'set')?.has(member!) ? 1 : 0) },
  SMEMBERS: { arity: 2, run: (db, [key]) => [...(db.get(key!, 'set') ?? [])] },

  ZADD: {
    arity: -4,
    refuses: ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'],
    run(db, [key, ...rest]) {
      if (rest.length && /^(NX|XX|GT|LT|CH|INCR)$/i.test(rest[0]!)) throw new CommandError('ERR embedded store: ZADD options are not supported');
      const pairs = pairsOf(rest, 0, 'zadd').map(([score, member]) => [parseScore(score), member] as const);
      const z = db.obtain(key!, 'zset', () => new SortedSet());
      return pairs.filter(([score, member]) => z.add(member, score)).length;
    },
  },
  ZREM: {
    arity: -3,
    run(db, [key, ...members]) {
      const z = db.get(key!, 'zset');
      if (!z) return 0;
      const removed = members.filter((m) => z.remove(m)).length;
      db.dropIfEmpty(key!, z.size);
      return removed;
    },
  },
  ZRANGEBYSCORE: {
    arity: -4,
    run(db, [key, minText, maxText, ...options]) {
      const min = parseBound(minText!);
      const max = parseBound(maxText!);
      let offset = 0;
      let count = -1;
      let withScores = false;
      for (let i = 0; i < options.length; i++) {
        const option = options[i]!.toUpperCase();
        if (option === 'WITHSCORES') withScores = true;
        else if (option === 'LIMIT' && i + 2 < options.length) {
          offset = Number(parseInteger(options[++i]!));
          count = Number(parseInteger(options[++i]!));
        } else throw new CommandError(SYNTAX);
      }
      const z = db.get(key!, 'zset');
      if (!z || offset < 0) return [];
      const out: Reply[] = [];
      for (let i = z.scoreBound(min.value, min.exclusive) + offset; i < z.ordered.length && count !== 0; i++, count--) {
        const member = z.ordered[i]!;
        const score = z.scores.get(member)!;
        if (max.exclusive ? score >= max.value : score > max.value) break;
        out.push(member);
        if (withScores) out.push(scoreText(score));
      }
      return out;
    },
  },
  ZREVRANGE: {
    arity: -4,
    run(db, [key, startText, stopText, ...options]) {
      const withScores = options.length === 1 && options[0]!.toUpperCase() === 'WITHSCORES';
      if (options.length && !withScores) throw new CommandError(SYNTAX);
      const z = db.get(key!, 'zset');
      if (!z) return [];
      const [start, stop] = span(z.size, startText!, stopText!);
      const out: Reply[] = [];
      for (let i = start; i <= stop; i++) {
        const member = z.ordered[z.size - 1 - i]!;
        out.push(member);
        if (withScores) out.push(scoreText(z.scores.get(member)!));
      }
      return out;
    },
  },

  LPUSH: { arity: -3, run: (db, [key, ...values]) => db.obtain(key!, 'list', () => []).unshift(...values.reverse()) },
  RPUSH: { arity: -3, run: (db, [key, ...values]) => db.obtain(key!, 'list', () => []).push(...values) },
  LPOP: {
    arity: 2,
    run(db, [key]) {
      const list = db.get(key!, 'list');
      if (!list) return null;
      const value = list.shift()!;
      db.dropIfEmpty(key!, list.length);
      return value;
    },
  },
  LRANGE: {
    arity: 4,
    run(db, [key, start, stop]) {
      const list = db.get(key!, 'list') ?? [];
      const [from, to] = span(list.length, start!, stop!);
      return from > to ? [] : list.slice(from, to + 1);
    },
  },
  LTRIM: {
    arity: 4,
    run(db, [key, start, stop]) {
      const list = db.get(key!, 'list');
      if (!list) return OK;
      const [from, to] = span(list.length, start!, stop!);
      if (from > to) list.length = 0;
      else {
        list.splice(to + 1);
        list.splice(0, from);
      }
      db.dropIfEmpty(key!, list.length);
      return OK;
    },
  },

  XADD: {
    arity: -5,
    refuses: ['~', 'NOMKSTREAM', 'MINID', 'LIMIT'],
    run(db, [key, ...rest]) {
      let maxLength: number | undefined;
      let i = 0;
      if (rest[0]?.toUpperCase() === 'MAXLEN') {
        if (rest[1] === '~') throw new CommandError('ERR embedded store: XADD MAXLEN ~ (approximate trimming) cannot be reproduced; trim exactly');
        i = rest[1] === '=' ? 2 : 1;
        maxLength = Number(parseInteger(rest[i++]!));
      }
      const idText = rest[i++]!;
      const fields = pairsOf(rest, i, 'xadd').flat();
      const stream = db.get(key!, 'stream');
      const last = stream?.last ?? { ms: 0, seq: 0 };
      const id = idText === '*' ? nextAutoId(last, db.now()) : parseStreamId(idText, false);
      if (id.ms === 0 && id.seq === 0) throw new CommandError('ERR The ID specified in XADD must be greater than 0-0');
      if (compareIds(id, last) <= 0) throw new CommandError('ERR The ID specified in XADD is equal or smaller than the target stream top item');
      const s = db.obtain(key!, 'stream', (): Stream => ({ entries: [], last }));
      s.entries.push({ ...id, fields });
      s.last = id;
      if (maxLength !== undefined && s.entries.length > maxLength) s.entries.splice(0, s.entries.length - maxLength);
      return streamId(id);
    },
  },
  XRANGE: {
    arity: -4,
    run(db, [key, startText, endText, ...options]) {
      let count = Infinity;
      if (options.length) {
        if (options.length !== 2 || options[0]!.toUpperCase() !== 'COUNT') throw new CommandError(SYNTAX);
        count = Number(parseInteger(options[1]!));
      }
      const start = startText!.startsWith('(') ? exclusiveStart(startText!.slice(1)) : parseStreamId(startText!, false);
      const end = parseStreamId(endText!, true);
      const stream = db.get(key!, 'stream');
      // Redis answers COUNT 0 on an existing stream with a null array (and [] on a missing one).
      if (stream && count === 0) return null;
      const out: Reply[] = [];
      for (const entry of stream?.entries ?? []) {
        if (out.length >= count || compareIds(entry, end) > 0) break;
        if (compareIds(entry, start) >= 0) out.push(entryReply(entry));
      }
      return out;
    },
  },

  PUBLISH: { arity: 3, run: (_db, [channel, message], publisher) => publisher.publish(channel!, message!) },
  // One process has one shard: sharded pub/sub is pub/sub (what a Redis Cluster's bus scripts call).
  SPUBLISH: { arity: 3, run: (_db, [channel, message], publisher) => publisher.publish(channel!, message!) },
};

function exclusiveStart(text: string): { ms: number; seq: number } {
  const id = parseStreamId(text, false);
  return { ms: id.ms, seq: id.seq + 1 };
}

function nextAutoId(last: { ms: number; seq: number }, now: number): { ms: number; seq: number } {
  return now > last.ms ? { ms: now, seq: 0 } : { ms: last.ms, seq: last.seq + 1 };
}

function entryReply(entry: StreamEntry): Reply {
  return [streamId(entry), entry.fields];
}

/** How Redis 7.0 prints a score (WITHSCORES): integers plainly, else %.17g; "inf", "-inf". */
function scoreText(score: number): string {
  return formatG(score, 17);
}

const byName = new Map(Object.entries(commands));

export function commandFor(name: string): Command | undefined {
  return byName.get(name) ?? byName.get(name.toUpperCase());
}

/** Checks the argument count as Redis does, before anything runs. */
export function checkArity(name: string, command: Command, argc: number): void {
  const ok = command.arity >= 0 ? argc + 1 === command.arity : argc + 1 >= -command.arity;
  if (!ok) throw new CommandError(`ERR wrong number of arguments for '${name.toLowerCase()}' command`);
}
