/**
 * A provably fair lucky draw. The server commits to a secret seed when a draw opens (broadcasting
 * `commitment(seed)`), and reveals the seed with the result; anyone can then recompute the winners
 * from the seed, the entries and the prizes (`verifyDraw`). The server and the SDK (browsers and
 * mini-programs) import this file, so it is plain TypeScript: its own SHA-256 and UTF-8, no Web Crypto.
 *
 * The algorithm, exactly, for a member who re-implements it:
 * 1. Commitment: lowercase hex of SHA-256(UTF-8 bytes of the seed).
 * 2. Entries: remove duplicates, then sort by UTF-16 code units (JavaScript's default string sort;
 *    not a locale's collation, which differs between platforms).
 * 3. Stream: block b (b = 0, 1, 2, …) is SHA-256(UTF-8 of seed + ":" + b, b in decimal); the stream
 *    is block 0, block 1, … concatenated, read as unsigned 32-bit big-endian words, in order.
 * 4. A uniform index in [0, n) takes words w until w < floor(2^32 / n) * n and returns w mod n
 *    (the rejection removes modulo bias). Every index takes at least one word, even for n = 1.
 * 5. Winners: k = min(total prize count, number of entries). For i = 0 … k-1, swap entry i with entry
 *    i + index(number of entries - i): a partial Fisher–Yates shuffle. The winners, in order, are
 *    entries 0 … k-1, so nobody wins twice.
 * 6. Prizes, if no prize has a weight: in the listed order, the first `count` winners take prize 0,
 *    the next ones prize 1, and so on.
 *    Prizes, if any prize has a weight (missing = 1): winner by winner, in order, after all the
 *    shuffle's words, r = index(sum of the weights of the prizes with units left); the winner takes
 *    the first of those prizes, in the listed order, whose running sum of weights exceeds r.
 */

import { sha256 } from './sha256.ts';
import { utf8Encode } from './utf8.ts';

export interface Prize {
  name: string;
  count: number;
  /** A whole number in 1…MAX_WEIGHT: integers let every platform draw exactly alike. */
  weight?: number;
}

export interface Winner {
  user: string;
  prize: string;
}

export interface DrawResult {
  seed: string;
  commitment: string;
  entries: readonly string[];
  prizes: readonly Prize[];
  winners: readonly Winner[];
}

/** Prize units in one draw. */
export const MAX_PRIZE_UNITS = 10_000;
/** Keeps any sum of weights (at most 10,000 prizes) below 2^32, so one word can draw from it. */
export const MAX_WEIGHT = 100_000;

/** A fresh secret seed: 32 random bytes as lowercase hex. */
export function newSeed(): string {
  return hex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

export async function commitment(seed: string): Promise<string> {
  return hex(await sha256Of(seed));
}

/**
 * Why `prizes` cannot be drawn, or undefined if they can. The server turns a problem into a
 * `bad_request` (server/games/lucky-draw/prizes.ts); this file throws plain errors, which the
 * browser can take too.
 */
export function prizesProblem(prizes: readonly Prize[]): string | undefined {
  if (!Array.isArray(prizes) || prizes.length === 0) return 'a draw needs at least one prize';
  const names = new Set<string>();
  let units = 0;
  for (const { name, count, weight } of prizes) {
    if (typeof name !== 'string' || name.trim() === '') return 'every prize needs a name';
    if (names.has(name)) return `two prizes are named ${JSON.stringify(name)}`;
    names.add(name);
    if (!Number.isInteger(count) || count < 1) return `prize ${JSON.stringify(name)}: count must be a whole number of at least 1`;
    if (weight !== undefined && (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT)) {
      return `prize ${JSON.stringify(name)}: weight must be a whole number from 1 to ${MAX_WEIGHT}`;
    }
    units += count;
  }
  return units > MAX_PRIZE_UNITS ? `a draw gives at most ${MAX_PRIZE_UNITS} prizes (got ${units})` : undefined;
}

export async function drawWinners(seed: string, entries: readonly string[], prizes: readonly Prize[]): Promise<Winner[]> {
  const problem = prizesProblem(prizes);
  if (problem) throw new Error(problem);
  const users = [...new Set(entries)].sort();
  const stream = new Stream(seed);
  const units = prizes.reduce((sum, p) => sum + p.count, 0);
  const k = Math.min(units, users.length);
  for (let i = 0; i < k; i++) {
    const j = i + (await stream.index(users.length - i));
    [users[i], users[j]] = [users[j]!, users[i]!];
  }
  const left = prizes.map((p) => p.count);
  const weighted = prizes.some((p) => p.weight !== undefined);
  const winners: Winner[] = [];
  for (let i = 0; i < k; i++) {
    const p = weighted ? await byWeight(stream, prizes, left) : left.findIndex((n) => n > 0);
    left[p]!--;
    winners.push({ user: users[i]!, prize: prizes[p]!.name });
  }
  return winners;
}

export async function verifyDraw(result: DrawResult): Promise<{ ok: boolean; reason?: string }> {
  if ((await commitment(result.seed)) !== result.commitment) return { ok: false, reason: 'seed does not match the commitment' };
  const problem = prizesProblem(result.prizes);
  if (problem) return { ok: false, reason: problem };
  const expected = await drawWinners(result.seed, result.entries, result.prizes);
  const same = expected.length === result.winners.length &&
    expected.every((w, i) => w.user === result.winners[i]!.user && w.prize === result.winners[i]!.prize);
  return same ? { ok: true } : { ok: false, reason: 'winners differ' };
}

/** Index of a prize with units left, drawn in proportion to its weight (step 6). */
async function byWeight(stream: Stream, prizes: readonly Prize[], left: readonly number[]): Promise<number> {
  const weight = (p: number) => (left[p]! > 0 ? (prizes[p]!.weight ?? 1) : 0);
  const total = prizes.reduce((sum, _, p) => sum + weight(p), 0);
  let r = await stream.index(total);
  for (let p = 0; ; p++) {
    r -= weight(p);
    if (r < 0) return p;
  }
}

/** The word stream of steps 3 and 4. */
class Stream {
  private block = 0;
  private words: DataView = new DataView(new ArrayBuffer(0));
  private offset = 0;

  constructor(private readonly seed: string) {}

  async index(n: number): Promise<number> {
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const word = await this.word();
      if (word < limit) return word % n;
    }
  }

  private async word(): Promise<number> {
    if (this.offset === this.words.byteLength) {
      this.words = new DataView((await sha256Of(`${this.seed}:${this.block++}`)).buffer);
      this.offset = 0;
    }
    const word = this.words.getUint32(this.offset);
    this.offset += 4;
    return word;
  }
}

/** Async as it was on Web Crypto: the verifier's API stays what members' code awaits. */
async function sha256Of(text: string): Promise<Uint8Array> {
  return sha256(utf8Encode(text));
}

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}
