import type { RoomcastClient } from '../sdk/client.ts';
import { RoomcastError } from '../sdk/errors.ts';
import type { Game, GameDetails, GameEndedEvent } from '../../../server/protocol/games.ts';
import { baseStyle, escapeHtml, RcElement } from './base.ts';

/** Taps after which the button has nothing left to do. */
const SETTLED = new Set(['done', 'already_done', 'sold_out', 'ended']);

/**
 * The base of the in-group game components (`<rc-checkin>`, `<rc-lucky-draw>`, `<rc-red-packet>`):
 * finds the component's game, follows it, and sends the member's one tap.
 *
 * With a `game` attribute it reads that game (`game.get`), or waits for `game.opened` if it has not
 * opened yet. Without one it takes the newest open game of its kind (`game.list`) and then follows
 * each one of its kind that opens (`game.opened`).
 */
export abstract class RcGameElement<G extends Game> extends RcElement {
  protected abstract readonly kind: G['kind'];
  /** Styles of one kind's card, after the shared ones. */
  protected readonly css: string = '';
  protected game: G | undefined;
  /** The member's tap on this game: `idle`, `busy`, `done`, or the code the server refused it with. */
  protected tap = 'idle';

  protected ready(): void {
    const named = this.getAttribute('game') || undefined;
    const mine = (game: Game): game is G => game.kind === this.kind && (named === undefined || game.id === named);
    this.listen('game.opened', (e) => mine(e.data as Game) && this.adopt({ game: e.data as G }));
    this.listen('game.ended', (e) => {
      const data = e.data as GameEndedEvent;
      if (!this.game || data.game !== this.game.id) return;
      this.game = { ...this.game, status: 'ended' };
      this.ended(data);
      this.render();
    });
    this.listen('state', (e) => this.game && (e.data as { key: string }).key === this.stateKey(this.game.id) && this.render());
    void (named ? this.load(named) : this.newest(mine));
  }

  /** The room state key that carries this game's progress. */
  protected abstract stateKey(id: string): string;
  /** The card's content. */
  protected abstract body(game: G): string;
  /** What the tap button does. */
  protected abstract act(): Promise<void>;

  /**
   * The game was read: from `game.opened`, or from `game.get` with what it adds (today's check-ins, a
   * packet's grabs). `fresh` when it is another game than before, whose member state starts over.
   */
  protected adopted(_details: GameDetails, _fresh: boolean): void {}

  /** More than `status: ended` that a kind takes from `game.ended`. */
  protected ended(_data: GameEndedEvent): void {}

  /** The tap as the button shows it: a game that closed before the member tapped is over for them. */
  protected shown(): string {
    return this.tap === 'idle' && this.game?.status !== 'open' ? 'ended' : this.tap;
  }

  /**
   * Sends the tap: `busy` while in flight, then `done` (after `apply` takes the answer) or the refusal's
   * code. An error with no label of its own (a timeout, a lost connection) leaves the button to retry.
   */
  protected async send<T>(op: (client: RoomcastClient, room: string, game: string) => Promise<T>, apply: (answer: T) => void): Promise<void> {
    this.tap = 'busy';
    this.render();
    try {
      apply(await op(this.ctx!.client, this.ctx!.room, this.game!.id));
      this.tap = 'done';
    } catch (err) {
      this.tap = err instanceof RoomcastError ? err.code : 'error';
    }
    this.render();
  }

  /** The tap button; `labels` names what it shows in each state it knows (`idle`, `done`, refusals). */
  protected button(labels: Record<string, string>): string {
    const state = this.shown();
    const text = state === 'busy' ? '…' : labels[state] ?? this.t(state === 'ended' ? 'ended' : 'retry');
    const enabled = state !== 'busy' && !SETTLED.has(state);
    return `<button type="button" class="act" data-phase="${escapeHtml(state)}"${enabled ? '' : ' disabled'}>${escapeHtml(text)}</button>`;
  }

  protected render(): void {
    if (!this.ctx) return;
    const game = this.game;
    this.shadowRoot!.innerHTML = game
      ? `<style>${baseStyle} .title { font-size: 1.1em; } p { margin: 8px 0 0; } ul, ol { margin: 8px 0; padding-left: 1.2em; } ${this.css}</style>
        <div class="card" part="card" data-game="${escapeHtml(game.id)}" data-status="${escapeHtml(game.status)}">${this.body(game)}</div>`
      : '';
    this.shadowRoot!.querySelector('.act')?.addEventListener('click', () => void this.act());
  }

  private async load(id: string): Promise<void> {
    try {
      const details = await this.ctx!.client.game(this.ctx!.room, id);
      if (details.game.kind === this.kind) this.adopt(details as GameDetails & { game: G });
    } catch {
      // Not opened yet (`not_found`): its `game.opened` will bring it.
    }
  }

  private async newest(mine: (game: Game) => game is G): Promise<void> {
    const { games } = await this.ctx!.client.games(this.ctx!.room).catch(() => ({ games: [] as Game[] }));
    const open = games.filter((g): g is G => mine(g) && g.status === 'open').sort((a, b) => a.createdAt - b.createdAt).pop();
    // A game.opened that arrived meanwhile is newer than anything listed.
    if (open && !this.game) await this.load(open.id);
  }

  private adopt(details: GameDetails & { game: G }): void {
    const fresh = details.game.id !== this.game?.id;
    if (fresh) this.tap = 'idle';
    this.game = details.game;
    this.adopted(details, fresh);
    this.render();
  }
}
