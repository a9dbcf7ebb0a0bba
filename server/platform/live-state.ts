import type { Logger } from '../observability/logger.ts';

/**
 * Campaign counters (stock left, coupons left) change on every decision; viewers need the newest
 * value a few times a second, not every change. Changes are marked here and published once per
 * tick per counter, whatever the decision rate.
 */
export class LiveState {
  private readonly dirty = new Map<string, () => Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly tickMs: number, private readonly log: Logger) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.tickMs);
  }

  mark(key: string, publish: () => Promise<void>): void {
    this.dirty.set(key, publish);
  }

  async flush(): Promise<void> {
    const pending = [...this.dirty.values()];
    this.dirty.clear();
    await Promise.all(pending.map((publish) => publish().catch((err) => this.log.warn({ err }, 'live state not published'))));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
