const WINDOW_MS = 60_000;

/**
 * At most `perMinute` calls in any 60 s (a sliding log, not a fixed window, which would allow twice
 * the budget across a minute boundary). A call over budget waits for the oldest one to age out.
 */
export class MinuteBudget {
  private readonly calls: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {}

  take(): Promise<void> {
    const turn = this.queue.then(() => this.wait());
    this.queue = turn;
    return turn;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.calls.length && this.calls[0]! <= now - WINDOW_MS) this.calls.shift();
      if (this.calls.length < this.perMinute) {
        this.calls.push(now);
        return;
      }
      await new Promise((r) => setTimeout(r, this.calls[0]! + WINDOW_MS - now));
    }
  }
}
