import type { Broker } from '../platform/engine.ts';
import type { Logger } from '../observability/logger.ts';
import type { TickerEvent } from '../protocol/events.ts';

/**
 * "{name} just bought {product}": chatter that every node samples to a per-tick budget anyway, so a
 * node publishes at most that budget per room per tick; in a 20,000-tap storm the rest would only
 * cost Redis publishes that are sampled away.
 */
export class Ticker {
  private readonly published = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly broker: Broker, private readonly budget: number, private readonly tickMs: number, private readonly log: Logger) {}

  start(): void {
    this.timer = setInterval(() => this.published.clear(), this.tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Fire and forget: a buyer's answer never waits for the ticker. */
  justBought(room: string, data: TickerEvent): void {
    const count = this.published.get(room) ?? 0;
    if (count >= this.budget) return;
    this.published.set(room, count + 1);
    this.broker.publishChatter(room, { type: 'ticker', data }).catch((err) => this.log.warn({ err }, 'ticker not published'));
  }
}
