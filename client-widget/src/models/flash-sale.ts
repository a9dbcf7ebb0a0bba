import type { FlashStartedEvent } from '../../../server/protocol/events.ts';
import type { FlashSaleView, OrderView } from '../../../server/protocol/views.ts';
import type { RoomcastClient } from '../sdk/client.ts';
import type { RoomEvent } from '../sdk/events.ts';

export type FlashPhase = 'idle' | 'buying' | 'bought' | 'soldOut' | 'limit' | 'ended' | 'soon';

/** The label of an order's state, as a buyer reads it. */
export function orderLabel(state: string): 'paid' | 'toPay' | 'ended' | 'reserved' {
  return state === 'paid' ? 'paid' : state === 'submitted' ? 'toPay' : state === 'expired' || state === 'cancelled' ? 'ended' : 'reserved';
}

/**
 * One flash sale as a buyer sees it, for every renderer (the Web Component `<rc-flash-sale>`, the
 * mini-program component `rc-flash-sale`): the sale, its phase (soon, idle, buying, bought, sold
 * out, limit reached, ended), the stock left as the server last said, and the buyer's order. It
 * shows what the server says: never a unit the server has not confirmed. `changed` is called after
 * every change; `dispose` stops listening.
 */
export class FlashSaleModel {
  sale: FlashSaleView | undefined;
  order: OrderView | undefined;
  phase: FlashPhase;
  private readonly offs: Array<() => void>;

  constructor(private readonly client: RoomcastClient, private readonly room: string, readonly id: string, private readonly changed: () => void) {
    const campaigns = (client.view(room).snapshot?.campaigns as Array<FlashSaleView & { kind: string }>) ?? [];
    this.sale = campaigns.find((c) => c.kind === 'flash' && c.id === id);
    this.phase = this.phaseOf();
    const on = (type: string, listener: (event: RoomEvent) => void) => client.on(type, (event) => {
      if (!event.room || event.room === room) listener(event);
    });
    this.offs = [
      on('flash.started', (e) => {
        const { sale } = e.data as FlashStartedEvent;
        if (sale.id !== id) return;
        this.sale = sale;
        if (this.phase !== 'bought') this.phase = 'idle';
        changed();
      }),
      on('flash.soldout', (e) => this.whenMine(e.data, () => this.phase !== 'bought' && (this.phase = 'soldOut'))),
      on('flash.ended', (e) => this.whenMine(e.data, () => this.phase !== 'bought' && (this.phase = 'ended'))),
      on('state', (e) => {
        if ((e.data as { key: string }).key === `flash:${id}:left`) changed();
      }),
      on('order.update', (e) => {
        const order = e.data as OrderView;
        if (order.id !== this.order?.id) return;
        this.order = order;
        changed();
      }),
    ];
  }

  /** The stock left, as the server last said. */
  get left(): number {
    return (this.client.view(this.room).state[`flash:${this.id}:left`] as number | undefined) ?? this.sale?.left ?? 0;
  }

  /** Milliseconds until a scheduled start, or 0. */
  startsIn(now = Date.now()): number {
    const startsAt = this.sale?.startsAt;
    return startsAt && startsAt > now ? startsAt - now : 0;
  }

  async buy(): Promise<void> {
    this.phase = 'buying';
    this.changed();
    try {
      this.order = (await this.client.buy(this.room, this.id)).order;
      this.phase = 'bought';
    } catch (err) {
      // A RoomcastError from this SDK, or one from another realm's copy of it: either way, its code.
      const code = (err as { code?: string } | undefined)?.code ?? '';
      this.phase = code === 'sold_out' ? 'soldOut' : code === 'limit_reached' ? 'limit' : code === 'ended' ? 'ended' : code === 'not_started' ? 'soon' : 'idle';
    }
    this.changed();
  }

  dispose(): void {
    for (const off of this.offs) off();
  }

  private whenMine(data: unknown, apply: () => unknown): void {
    if ((data as { sale: string }).sale !== this.id) return;
    apply();
    this.changed();
  }

  private phaseOf(): FlashPhase {
    if (!this.sale || this.sale.status === 'scheduled') return 'soon';
    if (this.sale.status === 'ended') return this.sale.endReason === 'sold_out' ? 'soldOut' : 'ended';
    return this.left === 0 ? 'soldOut' : 'idle';
  }
}
