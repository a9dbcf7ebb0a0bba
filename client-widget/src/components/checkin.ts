import { dayOf } from '../../../server/protocol/calendar.ts';
import type { CheckInGame, CheckInOutcome, GameDetails } from '../../../server/protocol/games.ts';
import { escapeHtml } from './base.ts';
import { RcGameElement } from './game-element.ts';

type Today = { day: string; count: number };

/**
 * `<rc-checkin game="daily">`: how many members checked in today (state `checkin:{game}`), a check-in
 * button, and after checking in the streak, the points it earned and the balance. A member who already
 * checked in today (on another device, before a reload) learns it from the server's `already_done`.
 */
export class RcCheckIn extends RcGameElement<CheckInGame> {
  protected readonly kind = 'checkin';
  private outcome: CheckInOutcome | undefined;
  /** Today's count as this component last heard it directly (`game.get`, its own check-in). */
  private today: Today | undefined;

  protected stateKey(id: string): string {
    return `checkin:${id}`;
  }

  protected override adopted(details: GameDetails, fresh: boolean): void {
    if (fresh) this.outcome = undefined;
    this.today = details.today ?? (fresh ? undefined : this.today);
  }

  protected act(): Promise<void> {
    return this.send((client, room, game) => client.checkIn(room, game), ({ checkin }) => {
      this.outcome = checkin;
      this.today = { day: checkin.day, count: checkin.count };
    });
  }

  protected body(game: CheckInGame): string {
    const count = this.countToday(game);
    const o = this.outcome;
    return `<div class="row"><strong class="title">${escapeHtml(game.title)}</strong>
        <span class="count" data-count="${count}" aria-live="polite">${count} ${this.t('checkedInToday')}</span></div>
      ${this.button({ idle: this.t('checkIn'), done: this.t('checkedIn'), already_done: this.t('alreadyCheckedIn') })}
      ${o ? `<p class="outcome"><span class="streak">${this.t('streak')} ${o.streak}</span> ·
        <span class="reward">+${o.reward} ${this.t('points')}</span> · <span class="balance" data-balance="${o.balance}">${this.t('balance')} ${o.balance}</span></p>` : ''}`;
  }

  /**
   * The room state keeps the last day anyone checked in (it may be yesterday's) and may lag this
   * member's own answer: only today's counts count, in the game's time zone, and the highest is the latest.
   */
  private countToday(game: CheckInGame): number {
    const today = dayOf(Date.now(), game.timeZone);
    const heard = [this.stateOf<Today>(this.stateKey(game.id)), this.today].filter((t) => t?.day === today);
    return Math.max(0, ...heard.map((t) => t!.count));
  }
}
