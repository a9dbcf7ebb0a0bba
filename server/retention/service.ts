import type { Config } from '../config/schema.ts';
import type { Logger } from '../observability/logger.ts';
import type { Engine } from '../platform/engine.ts';
import { dueKey, type DueWork } from '../platform/scheduler/due-work.ts';
import { stampField } from '../orders/model.ts';
import { orderKeys } from '../orders/store.ts';
import type { OrderState } from '../protocol/views.ts';
import type { RoomService } from '../rooms/service.ts';

const DAY_MS = 24 * 3600 * 1000;
/** Kinds of due work: one room's expiry after its end, and the order sweep (one slot per period). */
const due = { room: 'room-expire', orders: 'order-sweep' } as const;
/** Orders in these states are done with: once `<state>At` is `orderDays` old they leave Redis. */
const FINAL: readonly OrderState[] = ['paid', 'refunded', 'expired', 'cancelled'];
const SWEEP_PAGE = 500;

/**
 * Data that does not grow forever. `retention.roomDays` after a room ends, every key of the room
 * goes (history, state, campaigns, their buyers and indexes, games), except its orders, which have
 * a clock of their own: an order in a final state leaves Redis `retention.orderDays` after it got
 * there, with its index entries. An operator exports a room's orders first
 * (`GET /v1/orders?room=&since=`, JSON lines). Live orders are never touched.
 */
export class Retention {
  private readonly orders;

  constructor(private readonly engine: Engine, private readonly config: Config['retention'], rooms: RoomService, private readonly log: Logger) {
    this.orders = orderKeys(engine.keys);
    rooms.onEnded(async (room) => {
      await engine.schedule.at(dueKey(due.room, room, room), Date.now() + config.roomDays * DAY_MS);
    });
  }

  handleDue(work: DueWork): void {
    work.on(due.room, (room) => this.expireRoom(room));
    work.on(due.orders, async (_all, slot) => {
      await this.sweepOrders();
      await this.scheduleSweep(Number(slot) + 1);
    });
  }

  /** Every node makes sure the next sweep is due (the same key from every node: scheduled once). */
  async start(now = Date.now()): Promise<void> {
    await this.scheduleSweep(Math.floor(now / this.config.sweepEveryMs) + 1);
  }

  /** The room's keys, all but its orders'; answers how many went. */
  async expireRoom(room: string): Promise<number> {
    const { store, keys } = this.engine;
    const orderPrefix = this.orders.prefix(room);
    const doomed = (await store.scanKeys(`${keys.room(room, '')}*`)).filter((key) => !key.startsWith(orderPrefix));
    for (let i = 0; i < doomed.length; i += SWEEP_PAGE) await store.call('DEL', ...doomed.slice(i, i + SWEEP_PAGE));
    this.log.info({ room, keys: doomed.length }, 'retention: room expired');
    return doomed.length;
  }

  /** Orders final for `orderDays` leave Redis with their index entries; answers how many went. */
  async sweepOrders(now = Date.now()): Promise<number> {
    const { store } = this.engine;
    const cutoff = now - this.config.orderDays * DAY_MS;
    let removed = 0;
    for (const index of await this.engine.shards.indexes('order-rooms')) {
      let cursor = '0';
      do {
        const [next, flat] = (await store.call('HSCAN', index, cursor, 'COUNT', SWEEP_PAGE)) as [string, string[]];
        cursor = next;
        for (let i = 0; i < flat.length; i += 2) {
          const [id, room] = [flat[i]!, flat[i + 1]!];
          const order = this.orders.order(room, id);
          const [state, ...stamps] = await store.hmget(order, 'state', ...FINAL.map(stampField));
          const at = Number(stamps[FINAL.indexOf(state as OrderState)]);
          if (!FINAL.includes(state as OrderState) || !(at <= cutoff)) continue;
          await store.call('DEL', order);
          await store.call('HDEL', index, id);
          await store.call('ZREM', this.orders.unsettledOf(id), id);
          removed++;
        }
      } while (cursor !== '0');
    }
    if (removed) this.log.info({ orders: removed }, 'retention: settled orders removed');
    return removed;
  }

  private scheduleSweep(slot: number): Promise<void> {
    return this.engine.schedule.at(dueKey(due.orders, 'all', String(slot)), slot * this.config.sweepEveryMs);
  }
}
