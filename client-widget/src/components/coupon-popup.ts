import { CouponPopupModel } from '../models/coupon-popup.ts';
import { baseStyle, escapeHtml, RcElement } from './base.ts';
import { yuan } from './i18n.ts';

/**
 * `<rc-coupon-popup>`: appears on `coupon.popup` (which only its audience receives), counts down,
 * claims. What it shows is CouponPopupModel's (models/coupon-popup.ts), which the mini-program
 * component renders too.
 */
export class RcCouponPopup extends RcElement {
  private model: CouponPopupModel | undefined;

  protected ready(): void {
    const model = new CouponPopupModel(this.ctx!.client, this.ctx!.room, () => this.render());
    this.model = model;
    this.onLeave(() => model.dispose());
  }

  protected render(): void {
    const model = this.model;
    if (!model?.shown()) {
      this.shadowRoot!.innerHTML = '';
      return;
    }
    const popup = model.popup!;
    const button = { open: this.t('claim'), claiming: '…', claimed: this.t('claimed'), gone: this.t('gone') }[model.status];
    this.shadowRoot!.innerHTML = `<style>${baseStyle} .card { border: 2px dashed var(--rc-accent, #ff3b30); } .value { font-size: 1.6em; font-weight: 700; color: var(--rc-accent, #ff3b30); }</style>
      <div class="card" role="dialog" aria-label="${this.t('coupon')}">
        <div class="row"><span class="value">${yuan(popup.value)}</span><span>${escapeHtml(popup.title)}</span><span class="countdown">${model.secondsLeft()}s</span></div>
        <button type="button" data-status="${model.status}" ${model.status === 'open' ? '' : 'disabled'}>${button}</button>
      </div>`;
    this.shadowRoot!.querySelector('button')!.addEventListener('click', () => void model.claim());
  }
}
