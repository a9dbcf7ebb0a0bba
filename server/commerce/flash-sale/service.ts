import { randomUUID } from 'node:crypto';
import type { Engine } from '../../platform/engine.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { RoomService } from '../../rooms/service.ts';
import { audienceTopics } from '../../core/topics.ts';
import type { LiveState } from '../../platform/live-state.ts';
import type { Ticker } from '../ticker.ts';
import type { EventPayloads } from '../../protocol/events.ts';
import type { EndReason, FlashSaleView, OrderView } from '../../protocol/views.ts';
import type { FlashSale } from './model.ts';
import { flashDue, FlashSaleStore, type BuyOutcome, type BuyRequest } from './store.ts';
import { Batcher, type BatchOptions } from '../../platform/batch/batcher.ts';
import { OrderStore } from '../../orders/store.ts';
import { dueKey, type DueWork } from '../../platform/scheduler/due-work.ts';
import { idForRequest } from '../request-ids.ts';
import { NO_METER, NO_PIPELINE, orderView, type OrderMeter, type OrderPipeline } from '../../orders/pipeline.ts';
import type { CreateFlashSale } from './schema.ts';
import type { Eligibility } from '../audience/eligibility.ts';

/** How long a buy's answer is kept for repeats of its requestId. */
const REQUEST_TTL_MS = 24 * 3600 * 1000;

export interface BuyArgs {
  room: string;
  sale: string;
  qty: number;
  requestId: string;
  coupon?: string;
}

/**
 * Flash sales (秒杀): created by the host, started by the host ("上链接") or by `startsAt`, ended by
 * the host, `endsAt` or selling out. Every decision is one atomic step in the engine; this class
 * adds what viewers see: critical events, the stock left as coalesced state, the ticker.
 */
export class FlashSales {
  /** room|sale -> product title: a sale's product never changes, the ticker needs it on every buy. */
  private readonly titles = new Map<string, string>();

  private readonly store: FlashSaleStore;
  private readonly orders: OrderStore;
  /** Buys of one sale, decided in batches: one script call per batch (buy-9.lua). */
  private readonly buys: Batcher<BuyRequest, BuyOutcome>;

  constructor(
    private readonly engine: Engine,
    private readonly rooms: RoomService,
    private readonly live: LiveState,
    private readonly ticker: Ticker,
    batching: BatchOptions,
    private readonly eligibility: Eligibility,
    private readonly pipeline: OrderPipeline = NO_PIPELINE,
    private readonly meter: OrderMeter = NO_METER,
  ) {
    this.store = new FlashSaleStore(engine);
    this.orders = new OrderStore(engine);
    this.buys = new Batcher<BuyRequest, BuyOutcome>((_sale, requests) => this.store.buyAll(requests), batching);
    rooms.onEnded((room) => this.endAll(room));
  }

  /** The live ended: every sale not ended yet ends with reason `room`, announced as a host stop is. */
  private async endAll(room: string): Promise<void> {
    const open = (await this.store.list(room)).filter((sale) => sale.status !== 'ended' || sale.endReason === 'sold_out');
    await Promise.all(open.map((sale) => this.stop(room, sale.id, 'room').catch((err: unknown) => {
      // Stopped meanwhile by the host or its end time: ended either way.
      if (!(err instanceof RoomcastError && (err.code === 'ended' || err.code === 'already_done'))) throw err;
    })));
  }

  /** What comes due for flash sales: a reservation's pay deadline, a sale's start and end. */
  handleDue(due: DueWork): void {
    due.on(flashDue.payDeadline, (room, order) => this.release(room, order));
    due.on(flashDue.start, (room, sale) => this.start(room, sale));
    due.on(flashDue.end, (room, sale) => this.stop(room, sale, 'time'));
  }

  async create(room: string, input: CreateFlashSale): Promise<FlashSaleView> {
    await this.rooms.get(room);
    const sale: FlashSale = { ...input, id: input.id ?? randomUUID().slice(0, 8), room, status: 'scheduled', left: input.stock, sold: 0 };
    const due = [
      ...(sale.startsAt ? [{ at: sale.startsAt, key: dueKey(flashDue.start, room, sale.id) }] : []),
      ...(sale.endsAt ? [{ at: sale.endsAt, key: dueKey(flashDue.end, room, sale.id) }] : []),
    ];
    if (!(await this.store.create(sale, due))) throw new RoomcastError('already_done', `flash sale ${sale.id} already exists`);
    await this.store.publishLeft(room, sale.id);
    return view(sale);
  }

  async get(room: string, id: string): Promise<FlashSaleView> {
    const sale = await this.store.get(room, id);
    if (!sale) throw new RoomcastError('not_found', `no flash sale ${id} in room ${room}`);
    return view(sale);
  }

  async list(room: string): Promise<FlashSaleView[]> {
    return (await this.store.list(room)).map(view);
  }

  /** The host's "上链接", or the sale's start time: one caller wins and announces it. */
  async start(room: string, id: string): Promise<FlashSaleView> {
    if ((await this.rooms.get(room)).status === 'ended') throw new RoomcastError('ended', `room ${room} has ended`);
    const sale = await this.store.transition(room, id, ['scheduled'], 'live', { startedAt: Date.now() });
    if (!sale) throw await this.whyNot(room, id, 'start');
    await this.announce(room, 'flash.started', { sale: view(sale) });
    return view(sale);
  }

  /**
   * Ends the sale (host "下链接", or its end time). A sold-out sale can be stopped too: otherwise a
   * released reservation would put it back on sale after the host took it down.
   */
  async stop(room: string, id: string, reason: Exclude<EndReason, 'sold_out'> = 'host'): Promise<FlashSaleView> {
    const patch = { endedAt: Date.now(), endReason: reason };
    let sale = await this.store.transition(room, id, ['scheduled', 'live'], 'ended', patch);
    if (!sale && (await this.store.get(room, id))?.endReason === 'sold_out') sale = await this.store.transition(room, id, ['ended'], 'ended', patch);
    if (!sale) throw await this.whyNot(room, id, 'stop');
    await this.announce(room, 'flash.ended', { sale: id, reason });
    return view(sale);
  }

  async buy(buyer: Identity, args: BuyArgs): Promise<OrderView> {
    await this.eligibility.admit(buyer, this.offerKey(args.room, args.sale), () => this.store.get(args.room, args.sale).then((s) => s ?? undefined));
    const outcome = await this.buys.submit(`${args.room}|${args.sale}`, {
      ...args,
      user: buyer.sub,
      orderId: this.engine.keys.placed(args.room, idForRequest('o', args.room, args.sale, buyer.sub, args.requestId)),
      now: Date.now(),
      requestTtlMs: REQUEST_TTL_MS,
    });
    if (!outcome.replayed) {
      this.pipeline.reserved(outcome.order.id);
      this.meter('reserved', outcome.order.amount);
      this.markLeft(args.room, args.sale);
      if (outcome.soldOut) await this.announce(args.room, 'flash.soldout', { sale: args.sale });
      this.ticker.justBought(args.room, { name: buyer.name, product: await this.title(args.room, args.sale), qty: args.qty });
    }
    return orderView(outcome.order);
  }

  /**
   * An unpaid order ends: its pay deadline passed (`expired`) or the mall cancelled it. Stock comes
   * back once; a sold-out sale reopens inside its window.
   */
  async release(room: string, orderId: string, to: 'expired' | 'cancelled' = 'expired'): Promise<boolean> {
    const order = await this.orders.get(orderId);
    const released = await this.store.release(room, orderId, Date.now(), to);
    if (!released || !order) return false;
    this.meter(to, order.amount);
    this.markLeft(room, order.campaign);
    await this.engine.broker.publishToUser(order.user, { type: 'order.update', data: { ...orderView({ ...order, state: to }) } });
    if (released.relisted) await this.announce(room, 'flash.started', { sale: view((await this.store.get(room, order.campaign))!), relisted: true });
    return true;
  }

  private async title(room: string, sale: string): Promise<string> {
    const key = `${room}|${sale}`;
    let title = this.titles.get(key);
    if (title === undefined) this.titles.set(key, (title = (await this.store.get(room, sale))?.product.title ?? ''));
    return title;
  }

  private markLeft(room: string, sale: string): void {
    this.live.mark(`flash|${room}|${sale}`, () => this.store.publishLeft(room, sale));
  }

  /** To the sale's audience only (everyone in the room when it names no one), as a coupon pop-up. */
  private async announce<K extends 'flash.started' | 'flash.soldout' | 'flash.ended'>(room: string, type: K, data: EventPayloads[K] & ({ sale: string } | { sale: FlashSaleView })): Promise<void> {
    const id = typeof data.sale === 'string' ? data.sale : data.sale.id;
    const terms = await this.eligibility.termsOf(this.offerKey(room, id), () => this.store.get(room, id).then((s) => s ?? undefined));
    await this.engine.broker.publishEvent(room, audienceTopics(room, terms?.audience ?? {}), { type, data });
  }

  private offerKey(room: string, sale: string): string {
    return `flash|${room}|${sale}`;
  }

  private async whyNot(room: string, id: string, action: 'start' | 'stop'): Promise<RoomcastError> {
    const sale = await this.store.get(room, id);
    if (!sale) return new RoomcastError('not_found', `no flash sale ${id} in room ${room}`);
    if (sale.status === 'ended') return new RoomcastError('ended', `flash sale ${id} has ended`);
    return new RoomcastError('already_done', `flash sale ${id} cannot ${action}: it is ${sale.status}`);
  }
}

function view({ room: _room, ...sale }: FlashSale): FlashSaleView {
  return sale;
}
