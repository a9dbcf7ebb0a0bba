import { AssistModel } from '../models/assist.ts';
import { GroupBuyModel } from '../models/group-buy.ts';
import { baseStyle, escapeHtml, RcElement } from './base.ts';

/**
 * `<rc-group-buy campaign="pots" group="…">`: open a group (or join the one named, e.g. from a
 * share link), and watch its seats fill live: GroupBuyModel's (models/group-buy.ts), which the
 * mini-program component renders too.
 */
export class RcGroupBuy extends RcElement {
  private model: GroupBuyModel | undefined;

  protected ready(): void {
    const model = new GroupBuyModel(this.ctx!.client, this.ctx!.room, this.getAttribute('campaign')!, this.getAttribute('group') ?? undefined, () => this.render());
    this.model = model;
    this.onLeave(() => model.dispose());
  }

  private async act(): Promise<void> {
    const group = await this.model!.act();
    if (group) this.dispatchEvent(new CustomEvent('rc-group', { detail: group, bubbles: true }));
  }

  protected render(): void {
    const g = this.model?.group;
    const body = g
      ? `<div class="row"><span class="seats" aria-live="polite">${g.members}/${g.size} ${this.t('seats')}</span><span>${escapeHtml(g.status)}</span></div>
         <button type="button" class="share" data-group="${escapeHtml(g.id)}">${this.t('share')}</button>`
      : `<button type="button" class="act">${this.getAttribute('group') ? this.t('joinGroup') : this.t('openGroup')}</button>`;
    this.shadowRoot!.innerHTML = `<style>${baseStyle}</style><div class="card">${body}<small class="error">${escapeHtml(this.model?.error ?? '')}</small></div>`;
    this.shadowRoot!.querySelector('.act')?.addEventListener('click', () => void this.act());
    this.shadowRoot!.querySelector('.share')?.addEventListener('click', () => this.share({ kind: 'group', id: g!.id }));
  }
}

/**
 * `<rc-assist campaign="…" code="…">`: start an assist and watch helpers reach the target, or, with a
 * friend's share `code`, help theirs: AssistModel's (models/assist.ts), as the mini-program renders it.
 */
export class RcAssist extends RcElement {
  private model: AssistModel | undefined;

  protected ready(): void {
    const model = new AssistModel(this.ctx!.client, this.ctx!.room, this.getAttribute('campaign')!, this.getAttribute('code') ?? undefined, () => this.render());
    this.model = model;
    this.onLeave(() => model.dispose());
  }

  protected render(): void {
    const a = this.model?.assist;
    const body = a
      ? `<div class="row"><span class="progress" aria-live="polite">${a.helpers}/${a.target} ${this.t('helpers')}</span><code class="code">${escapeHtml(a.shareCode)}</code></div>
         <button type="button" class="share">${this.t('share')}</button>`
      : `<button type="button" class="act">${this.model?.code ? this.t('helpFriend') : this.t('startAssist')}</button>`;
    this.shadowRoot!.innerHTML = `<style>${baseStyle}</style><div class="card">${body}<small class="error">${escapeHtml(this.model?.error ?? '')}</small></div>`;
    this.shadowRoot!.querySelector('.act')?.addEventListener('click', () => void this.model!.act());
    this.shadowRoot!.querySelector('.share')?.addEventListener('click', () => this.share({ kind: 'assist', id: a!.id, code: a!.shareCode }));
  }
}
