import type { CheckInGame } from '../../../server/protocol/games.ts';
import { CheckInModel } from '../models/check-in.ts';
import type { GameScope } from '../models/game.ts';
import { escapeHtml } from './base.ts';
import { RcGameElement } from './game-element.ts';

/**
 * `<rc-checkin game="daily">`: how many members checked in today, a check-in button, and after
 * checking in the streak, the points it earned and the balance (CheckInModel, models/check-in.ts).
 */
export class RcCheckIn extends RcGameElement<CheckInGame, CheckInModel> {
  protected makeModel(scope: GameScope, named: string | undefined, changed: () => void): CheckInModel {
    return new CheckInModel(scope, named, changed);
  }

  protected body(game: CheckInGame): string {
    const count = this.model!.countToday();
    const o = this.model!.outcome;
    return `<div class="row"><strong class="title">${escapeHtml(game.title)}</strong>
        <span class="count" data-count="${count}" aria-live="polite">${count} ${this.t('checkedInToday')}</span></div>
      ${this.button({ idle: this.t('checkIn'), done: this.t('checkedIn'), already_done: this.t('alreadyCheckedIn') })}
      ${o ? `<p class="outcome"><span class="streak">${this.t('streak')} ${o.streak}</span> ·
        <span class="reward">+${o.reward} ${this.t('points')}</span> · <span class="balance" data-balance="${o.balance}">${this.t('balance')} ${o.balance}</span></p>` : ''}`;
  }
}
