/**
 * At most `perMinute` calls in any 60 s (a sliding log, not a fixed window, which would allow twice
 * the budget across a minute boundary). A call over budget waits for the oldest one to age out.
 */
export class MinuteBudget {
  private readonly calls: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  /** `windowMs` is a minute except in tests. */
  constructor(private readonly perMinute: number, private readonly windowMs = 60_000) {}

  /** Resolves when the call may go, with the time it was counted at. */
  take(): Promise<number> {
    const turn = this.queue.then(() => this.wait());
    this.queue = turn.then(() => undefined);
    return turn;
  }

  private async wait(): Promise<number> {
    for (;;) {
      const now = Date.now();
      while (this.calls.length && this.calls[0]! <= now - this.windowMs) this.calls.shift();
      if (this.calls.length < this.perMinute) {
        this.calls.push(now);
        return now;
      }
      await new Promise((r) => setTimeout(r, this.calls[0]! + this.windowMs - now));
    }
  }
}
