import { RoomcastError } from '../../protocol/errors.ts';
import type { IdempotencyStore } from '../engine.ts';

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly answers = new Map<string, { answer: Promise<unknown>; expiresAt: number }>();

  /** The pending promise itself is stored, so a repeat arriving mid-computation waits for the first. */
  async remember<T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.answers.get(key);
    if (hit && hit.expiresAt > now) return hit.answer as Promise<T>;
    const answer = compute();
    this.answers.set(key, { answer, expiresAt: now + ttlMs });
    // A refusal is an answer; a crash is not: the client's retry computes again.
    answer.catch((err) => {
      if (!(err instanceof RoomcastError) || err.code === 'internal') this.answers.delete(key);
    });
    this.sweep(now);
    return answer;
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const hit = this.answers.get(`once:${key}`);
    if (hit && hit.expiresAt > now) return false;
    this.answers.set(`once:${key}`, { answer: Promise.resolve(true), expiresAt: now + ttlMs });
    return true;
  }

  private sweep(now: number): void {
    if (this.answers.size % 1024 !== 0) return;
    for (const [key, { expiresAt }] of this.answers) if (expiresAt <= now) this.answers.delete(key);
  }
}
