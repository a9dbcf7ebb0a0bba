import type { CouponPopupEvent } from '../../../server/protocol/events.ts';
import { RoomcastError } from '../sdk/errors.ts';
import { baseStyle, escapeHtml, RcElement } from './base.ts';
import { yuan } from './i18n.ts';

/** `<rc-coupon-popup>`: appears on `coupon.popup` (which only its audience receives), counts down, claims. */
export class RcCouponPopup extends RcElement {
  private popup: CouponPopupEvent | undefined;
  private status: 'open' | 'claiming' | 'claimed' | 'gone' = 'open';
  private timer: ReturnType<typeof setInterval> | undefined;

  protected ready(): void {
    this.listen('coupon.popup', (e) => {
      this.popup = e.data as CouponPopupEvent;
      this.status = 'open';
      clearInterval(this.timer);
      this.timer = setInterval(() => this.render(), 1000);
      this.render();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private async claim(): Promise<void> {
    this.status = 'claiming';
    this.render();
    try {
      await this.ctx!.client.claim(this.ctx!.room, this.popup!.coupon);
      this.status = 'claimed';
    } catch (err) {
      this.status = err instanceof RoomcastError && err.code === 'already_done' ? 'claimed' : 'gone';
    }
    this.render();
  }

  protected render(): void {
    const popup = this.popup;
    if (!popup || popup.closesAt <= Date.now()) {
      clearInterval(this.timer);
      this.shadowRoot!.innerHTML = '';
      return;
    }
    const seconds = Math.ceil((popup.closesAt - Date.now()) / 1000);
    const button = { open: this.t('claim'), claiming: '…', claimed: this.t('claimed'), gone: this.t('gone') }[this.status];
    this.shadowRoot!.innerHTML = `<style>${baseStyle} .card { border: 2px dashed var(--rc-accent, #ff3b30); } .value { font-size: 1.6em; font-weight: 700; color: var(--rc-accent, #ff3b30); }</style>
      <div class="card" role="dialog" aria-label="${this.t('coupon')}">
        <div class="row"><span class="value">${yuan(popup.value)}</span><span>${escapeHtml(popup.title)}</span><span class="countdown">${seconds}s</span></div>
        <button type="button" data-status="${this.status}" ${this.status === 'open' ? '' : 'disabled'}>${button}</button>
      </div>`;
    this.shadowRoot!.querySelector('button')!.addEventListener('click', () => void this.claim());
  }
}
