/** Refills continuously at `perSec` up to `burst`; `take` answers whether a token was there. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(private readonly perSec: number, private readonly burst: number, private readonly now: () => number = performance.now.bind(performance)) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSec);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
