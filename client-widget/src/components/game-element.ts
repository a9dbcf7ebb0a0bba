import type { Game } from '../../../server/protocol/games.ts';
import type { GameModel, GameScope } from '../models/game.ts';
import { baseStyle, escapeHtml, RcElement } from './base.ts';

/**
 * The base of the in-group game components (`<rc-checkin>`, `<rc-lucky-draw>`, `<rc-red-packet>`):
 * renders its kind's model (models/), which finds the game (its `game` attribute, or the newest open
 * one of its kind), follows it and sends the member's one tap; the mini-program components render
 * the same models.
 */
export abstract class RcGameElement<G extends Game, M extends GameModel<G>> extends RcElement {
  /** Styles of one kind's card, after the shared ones. */
  protected readonly css: string = '';
  protected model: M | undefined;

  protected abstract makeModel(scope: GameScope, named: string | undefined, changed: () => void): M;
  /** The card's content. */
  protected abstract body(game: G): string;

  protected ready(): void {
    const { client, room, user } = this.ctx!;
    const model = this.makeModel({ client, room, you: user }, this.getAttribute('game') || undefined, () => this.render());
    this.model = model;
    this.onLeave(() => model.dispose());
  }

  /** The tap button; `labels` names what it shows in each state it knows (`idle`, `done`, refusals). */
  protected button(labels: Record<string, string>): string {
    const { state, text, enabled } = this.model!.button(labels, (key) => this.t(key));
    return `<button type="button" class="act" data-phase="${escapeHtml(state)}"${enabled ? '' : ' disabled'}>${escapeHtml(text)}</button>`;
  }

  protected render(): void {
    const game = this.model?.game;
    if (!this.ctx) return;
    this.shadowRoot!.innerHTML = game
      ? `<style>${baseStyle} .title { font-size: 1.1em; } p { margin: 8px 0 0; } ul, ol { margin: 8px 0; padding-left: 1.2em; } ${this.css}</style>
        <div class="card" part="card" data-game="${escapeHtml(game.id)}" data-status="${escapeHtml(game.status)}">${this.body(game)}</div>`
      : '';
    this.shadowRoot!.querySelector('.act')?.addEventListener('click', () => void this.model!.act());
  }
}
