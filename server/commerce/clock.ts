import type { Scheduler } from '../engine/commerce.ts';
import type { Logger } from '../observability/logger.ts';
import type { FlashSales } from './flash-sale/service.ts';
import type { GroupBuys } from './group-buy/service.ts';
import type { Assists } from './assist/service.ts';
import { parseScheduledKey } from './schedule-keys.ts';

const POLL_MS = 200;
const LEASE_MS = 30_000;
const BATCH = 200;

/**
 * Runs scheduled work when it is due: pay deadlines and campaign start/end times. Every node polls;
 * the schedule hands each item to one of them, and each handler is an atomic transition anyway, so
 * an item handled twice (a node died mid-way and the lease ran out) changes nothing twice.
 */
export class CommerceClock {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly schedule: Scheduler, private readonly tools: { flash: FlashSales; groups: GroupBuys; assists: Assists }, private readonly log: Logger) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, POLL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(now = Date.now()): Promise<void> {
    const due = await this.schedule.claimDue(now, LEASE_MS, BATCH).catch((err) => {
      this.log.warn({ err }, 'schedule not read');
      return [];
    });
    await Promise.all(due.map((key) => this.run(key)));
  }

  private async run(key: string): Promise<void> {
    const item = parseScheduledKey(key);
    try {
      const { flash, groups, assists } = this.tools;
      if (item?.kind === 'expire') await flash.release(item.room, item.id);
      else if (item?.kind === 'flash-start') await flash.start(item.room, item.id).catch(ignoreRefusal);
      else if (item?.kind === 'flash-end') await flash.stop(item.room, item.id, 'time').catch(ignoreRefusal);
      else if (item?.kind === 'group-expire') await groups.expire(item.room, item.id);
      else if (item?.kind === 'assist-expire') await assists.expire(item.room, item.id);
      await this.schedule.done(key);
    } catch (err) {
      this.log.warn({ err, key }, 'scheduled work failed; it comes due again after its lease');
    }
  }
}

/** A start or end that another node (or the host) already made is not a failure. */
function ignoreRefusal(err: unknown): void {
  if ((err as { code?: string }).code === 'internal' || !(err as { code?: string }).code) throw err;
}
