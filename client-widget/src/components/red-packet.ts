import type { RedPacketGame } from '../../../server/protocol/games.ts';
import type { GameScope } from '../models/game.ts';
import { RedPacketModel } from '../models/red-packet.ts';
import { escapeHtml } from './base.ts';
import { RcGameElement } from './game-element.ts';
import { yuan } from './i18n.ts';

/**
 * `<rc-red-packet game="rp1">`: shares left live, a grab button, and the amount this member grabbed
 * (RedPacketModel, models/red-packet.ts).
 */
export class RcRedPacket extends RcGameElement<RedPacketGame, RedPacketModel> {
  protected makeModel(scope: GameScope, named: string | undefined, changed: () => void): RedPacketModel {
    return new RedPacketModel(scope, named, changed);
  }

  protected body(game: RedPacketGame): string {
    const left = this.model!.left();
    const amount = this.model!.amount;
    return `<div class="row"><strong class="title">${escapeHtml(game.title)}</strong>
        <span class="left" data-left="${left}" aria-live="polite">${this.t('left')} ${left}/${game.count} ${this.t('shares')}</span></div>
      <div class="row"><span class="total">${yuan(game.total, true)}</span>
        ${this.button({ idle: this.t('grab'), done: this.t('grabbed'), already_done: this.t('alreadyGrabbed'), sold_out: this.t('gone') })}</div>
      ${amount === undefined ? '' : `<p class="amount" data-amount="${amount}">${this.t('grabbed')} <strong>${yuan(amount, true)}</strong></p>`}`;
  }
}
