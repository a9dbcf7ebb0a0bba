import { dayOf } from '../../../server/protocol/calendar.ts';
import type { CheckInGame, CheckInOutcome, GameDetails } from '../../../server/protocol/games.ts';
import { GameModel, type GameScope } from './game.ts';

type Today = { day: string; count: number };

/**
 * A daily check-in as a member sees it (`<rc-checkin>`, mini-program `rc-checkin`): how many
 * checked in today (state `checkin:{game}`), the tap, and after it the streak, the points it earned
 * and the balance. A member who already checked in today (another device, before a reload) learns it
 * from the server's `already_done`.
 */
export class CheckInModel extends GameModel<CheckInGame> {
  outcome: CheckInOutcome | undefined;
  /** Today's count as this model last heard it directly (`game.get`, its own check-in). */
  private today: Today | undefined;

  constructor(scope: GameScope, named: string | undefined, changed: () => void) {
    super(scope, 'checkin', named, changed);
  }

  protected stateKey(id: string): string {
    return `checkin:${id}`;
  }

  protected override adopted(details: GameDetails, fresh: boolean): void {
    if (fresh) this.outcome = undefined;
    this.today = details.today ?? (fresh ? undefined : this.today);
  }

  act(): Promise<void> {
    return this.send((client, room, game) => client.checkIn(room, game), ({ checkin }) => {
      this.outcome = checkin;
      this.today = { day: checkin.day, count: checkin.count };
    });
  }

  /**
   * The room state keeps the last day anyone checked in (it may be yesterday's) and may lag this
   * member's own answer: only today's counts count, in the game's time zone, and the highest is the latest.
   */
  countToday(): number {
    const game = this.game;
    if (!game) return 0;
    const today = dayOf(Date.now(), game.timeZone);
    const heard = [this.stateOf<Today>(this.stateKey(game.id)), this.today].filter((t) => t?.day === today);
    return Math.max(0, ...heard.map((t) => t!.count));
  }
}
