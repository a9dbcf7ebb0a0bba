import { FlashSaleModel, orderLabel } from '../models/flash-sale.ts';
import { baseStyle, escapeHtml, RcElement } from './base.ts';
import { clock, yuan } from './i18n.ts';

/**
 * `<rc-flash-sale sale="s1">`: countdown to the start, price, a stock bar that follows `left` live,
 * and a buy button (idle, buying, bought, sold out, limit reached). Stock changes are announced to
 * screen readers. What it shows is FlashSaleModel's (models/flash-sale.ts), which the mini-program
 * component renders too: never a unit the server has not confirmed.
 */
export class RcFlashSale extends RcElement {
  private model: FlashSaleModel | undefined;

  protected ready(): void {
    const model = new FlashSaleModel(this.ctx!.client, this.ctx!.room, this.getAttribute('sale')!, () => this.render());
    this.model = model;
    this.onLeave(() => model.dispose());
    this.every(1000, () => model.phase === 'soon' && model.startsIn() && this.render());
  }

  protected render(): void {
    const model = this.model;
    if (!this.ctx || !model) return;
    const { sale, order, phase } = model;
    const left = model.left;
    const stock = sale?.stock ?? 0;
    const label = { idle: this.t('buy'), buying: this.t('buying'), bought: this.t('bought'), soldOut: this.t('soldOut'), limit: this.t('limit'), ended: this.t('ended'), soon: this.countdown() }[phase];
    this.shadowRoot!.innerHTML = `<style>${baseStyle}
      .bar { height: 8px; background: var(--rc-track, #eee); border-radius: 4px; overflow: hidden; margin: 8px 0; }
      .bar > i { display: block; height: 100%; background: var(--rc-accent, #ff3b30); }
      .price { color: var(--rc-accent, #ff3b30); font-size: 1.4em; font-weight: 700; }</style>
      <div class="card" part="card">
        <div class="row"><strong>${escapeHtml(sale?.product.title ?? '')}</strong><span class="price">${sale ? yuan(sale.price) : ''}</span></div>
        <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="${stock}" aria-valuenow="${left}"><i style="width:${stock ? (100 * left) / stock : 0}%"></i></div>
        <div class="row"><span class="left" aria-live="polite">${this.t('left')} ${left}</span>
          <button type="button" data-phase="${phase}" ${phase === 'idle' ? '' : 'disabled'}>${label}</button></div>
        ${order ? `<div class="order" data-state="${escapeHtml(order.state)}">${this.t('order')}: ${escapeHtml(this.t(orderLabel(order.state)))}${order.mallPath ? ` · <code>${escapeHtml(order.mallPath)}</code>` : ''}</div>` : ''}
      </div>`;
    this.shadowRoot!.querySelector('button')!.addEventListener('click', () => void model.buy());
  }

  private countdown(): string {
    const ms = this.model!.startsIn();
    return ms ? `${this.t('startsIn')} ${clock(ms)}` : this.t('soon');
  }
}
