import type { GameDetails, GameEndedEvent, RedPacketGame } from '../../../server/protocol/games.ts';
import { escapeHtml } from './base.ts';
import { RcGameElement } from './game-element.ts';
import { yuan } from './i18n.ts';

/**
 * `<rc-red-packet game="rp1">`: shares left live (state `redpacket:{game}:left`), a grab button, and
 * the amount this member grabbed; sold out, ended (expired, or ended by the manager) and already
 * grabbed as the server says them.
 */
export class RcRedPacket extends RcGameElement<RedPacketGame> {
  protected readonly kind = 'red-packet';
  /** Fen this member grabbed. */
  private amount: number | undefined;

  protected stateKey(id: string): string {
    return `redpacket:${id}:left`;
  }

  /** A page opened after grabbing finds its own grab among the packet's. */
  protected override adopted(details: GameDetails, fresh: boolean): void {
    if (fresh) this.amount = undefined;
    const mine = details.grabs?.find((g) => g.user === this.ctx!.user);
    if (!mine) return;
    this.amount = mine.amount;
    this.tap = 'done';
  }

  protected override ended(data: GameEndedEvent): void {
    if (data.sharesLeft !== undefined) this.game = { ...this.game!, left: data.sharesLeft };
  }

  protected act(): Promise<void> {
    return this.send((client, room, game) => client.grabRedPacket(room, game), ({ grab }) => {
      this.amount = grab.amount;
      this.game = { ...this.game!, left: grab.left };
    });
  }

  protected override shown(): string {
    return this.tap === 'idle' && this.left() === 0 ? 'sold_out' : super.shown();
  }

  protected body(game: RedPacketGame): string {
    const left = this.left();
    return `<div class="row"><strong class="title">${escapeHtml(game.title)}</strong>
        <span class="left" data-left="${left}" aria-live="polite">${this.t('left')} ${left}/${game.count} ${this.t('shares')}</span></div>
      <div class="row"><span class="total">${yuan(game.total, true)}</span>
        ${this.button({ idle: this.t('grab'), done: this.t('grabbed'), already_done: this.t('alreadyGrabbed'), sold_out: this.t('gone') })}</div>
      ${this.amount === undefined ? '' : `<p class="amount" data-amount="${this.amount}">${this.t('grabbed')} <strong>${yuan(this.amount, true)}</strong></p>`}`;
  }

  /** Shares only go down, so the lowest count heard (room state, the game, an answer) is the latest. */
  private left(): number {
    const game = this.game!;
    return Math.min(game.left, this.stateOf<number>(this.stateKey(game.id)) ?? game.left);
  }
}
