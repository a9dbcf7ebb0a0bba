import type { RoomEvent } from '../protocol/frames.ts';

/**
 * Keeps a uniform random sample of at most `budget` chatter events per tick (reservoir sampling,
 * so a burst at the end of a tick is as likely to be shown as one at the start) and counts the
 * rest per type for the frame's `dropped`.
 */
export class ChatterSampler {
  private kept: Array<{ order: number; event: RoomEvent }> = [];
  private seen = 0;
  private dropped = new Map<string, number>();

  constructor(private readonly budget: number) {}

  offer(event: RoomEvent): void {
    const order = this.seen++;
    if (this.kept.length < this.budget) {
      this.kept.push({ order, event });
      return;
    }
    const slot = Math.floor(Math.random() * this.seen);
    const evicted = slot < this.budget ? this.kept[slot]! : { event };
    if (slot < this.budget) this.kept[slot] = { order, event };
    this.dropped.set(evicted.event.type, (this.dropped.get(evicted.event.type) ?? 0) + 1);
  }

  get empty(): boolean {
    return this.seen === 0;
  }

  /** The sample in arrival order and the drop counts; resets for the next tick. */
  drain(): { events: RoomEvent[]; dropped: Record<string, number> | undefined } {
    const events = this.kept.sort((a, b) => a.order - b.order).map((k) => k.event);
    const dropped = this.dropped.size ? Object.fromEntries(this.dropped) : undefined;
    this.kept = [];
    this.seen = 0;
    this.dropped = new Map();
    return { events, dropped };
  }
}
