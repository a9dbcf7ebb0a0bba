import type { FlashStartedEvent } from '../../../server/protocol/events.ts';
import type { FlashSaleView, OrderView } from '../../../server/protocol/views.ts';
import { RoomcastError } from '../sdk/errors.ts';
import type { Label } from './i18n.ts';
import { baseStyle, escapeHtml, RcElement } from './base.ts';
import { clock, yuan } from './i18n.ts';

function orderLabel(state: string): Label {
  return state === 'paid' ? 'paid' : state === 'submitted' ? 'toPay' : state === 'expired' || state === 'cancelled' ? 'ended' : 'reserved';
}

type Phase = 'idle' | 'buying' | 'bought' | 'soldOut' | 'limit' | 'ended' | 'soon';

/**
 * `<rc-flash-sale sale="s1">`: countdown to the start, price, a stock bar that follows `left` live,
 * and a buy button (idle, buying, bought, sold out, limit reached). Stock changes are announced to
 * screen readers. It shows what the server says: never a unit the server has not confirmed.
 */
export class RcFlashSale extends RcElement {
  private sale: FlashSaleView | undefined;
  /** The buyer's order, as `order.update` tells it (reserved, submitted with the mall's pay page, paid...). */
  private order: OrderView | undefined;
  private phase: Phase = 'soon';

  protected ready(): void {
    const id = this.getAttribute('sale')!;
    const campaigns = (this.ctx!.client.view(this.ctx!.room).snapshot?.campaigns as Array<FlashSaleView & { kind: string }>) ?? [];
    this.sale = campaigns.find((c) => c.kind === 'flash' && c.id === id);
    this.phase = this.phaseOf();
    this.listen('flash.started', (e) => {
      const { sale } = e.data as FlashStartedEvent;
      if (sale.id !== id) return;
      this.sale = sale;
      if (this.phase !== 'bought') this.phase = 'idle';
      this.render();
    });
    this.listen('flash.soldout', (e) => this.whenMine(e.data, () => this.phase !== 'bought' && (this.phase = 'soldOut')));
    this.listen('flash.ended', (e) => this.whenMine(e.data, () => this.phase !== 'bought' && (this.phase = 'ended')));
    this.listen('state', (e) => {
      const { key } = e.data as { key: string };
      if (key === `flash:${id}:left`) this.render();
    });
    this.listen('order.update', (e) => {
      const order = e.data as OrderView;
      if (order.id !== this.order?.id) return;
      this.order = order;
      this.render();
    });
    this.every(1000, () => this.sale?.startsAt && this.phase === 'soon' && this.render());
  }

  private whenMine(data: unknown, apply: () => unknown): void {
    if ((data as { sale: string }).sale !== this.getAttribute('sale')) return;
    apply();
    this.render();
  }

  private phaseOf(): Phase {
    if (!this.sale || this.sale.status === 'scheduled') return 'soon';
    if (this.sale.status === 'ended') return this.sale.endReason === 'sold_out' ? 'soldOut' : 'ended';
    return this.left() === 0 ? 'soldOut' : 'idle';
  }

  private left(): number {
    return this.stateOf<number>(`flash:${this.getAttribute('sale')}:left`) ?? this.sale?.left ?? 0;
  }

  private async buy(): Promise<void> {
    this.phase = 'buying';
    this.render();
    try {
      this.order = (await this.ctx!.client.buy(this.ctx!.room, this.sale!.id)).order;
      this.phase = 'bought';
    } catch (err) {
      const code = err instanceof RoomcastError ? err.code : '';
      this.phase = code === 'sold_out' ? 'soldOut' : code === 'limit_reached' ? 'limit' : code === 'ended' ? 'ended' : code === 'not_started' ? 'soon' : 'idle';
    }
    this.render();
  }

  protected render(): void {
    if (!this.ctx) return;
    const sale = this.sale;
    const left = this.left();
    const stock = sale?.stock ?? 0;
    const label = { idle: this.t('buy'), buying: this.t('buying'), bought: this.t('bought'), soldOut: this.t('soldOut'), limit: this.t('limit'), ended: this.t('ended'), soon: this.countdown() }[this.phase];
    this.shadowRoot!.innerHTML = `<style>${baseStyle}
      .bar { height: 8px; background: var(--rc-track, #eee); border-radius: 4px; overflow: hidden; margin: 8px 0; }
      .bar > i { display: block; height: 100%; background: var(--rc-accent, #ff3b30); }
      .price { color: var(--rc-accent, #ff3b30); font-size: 1.4em; font-weight: 700; }</style>
      <div class="card" part="card">
        <div class="row"><strong>${escapeHtml(sale?.product.title ?? '')}</strong><span class="price">${sale ? yuan(sale.price) : ''}</span></div>
        <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="${stock}" aria-valuenow="${left}"><i style="width:${stock ? (100 * left) / stock : 0}%"></i></div>
        <div class="row"><span class="left" aria-live="polite">${this.t('left')} ${left}</span>
          <button type="button" data-phase="${this.phase}" ${this.phase === 'idle' ? '' : 'disabled'}>${label}</button></div>
        ${this.order ? `<div class="order" data-state="${escapeHtml(this.order.state)}">${this.t('order')}: ${escapeHtml(this.t(orderLabel(this.order.state)))}${this.order.mallPath ? ` · <code>${escapeHtml(this.order.mallPath)}</code>` : ''}</div>` : ''}
      </div>`;
    this.shadowRoot!.querySelector('button')!.addEventListener('click', () => void this.buy());
  }

  private countdown(): string {
    const startsAt = this.sale?.startsAt;
    if (!startsAt || startsAt <= Date.now()) return this.t('soon');
    return `${this.t('startsIn')} ${clock(startsAt - Date.now())}`;
  }
}
