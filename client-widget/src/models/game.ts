import type { Game, GameDetails, GameEndedEvent } from '../../../server/protocol/games.ts';
import type { RoomcastClient } from '../sdk/client.ts';
import type { RoomEvent } from '../sdk/events.ts';

/** Taps after which the button has nothing left to do. */
const SETTLED = new Set(['done', 'already_done', 'sold_out', 'ended']);

/** What a game's tap button shows: its state, its text, and whether it can be tapped. */
export interface TapButton {
  state: string;
  text: string;
  enabled: boolean;
}

/** Where a game model lives: its room's client, and who the viewer is there. */
export interface GameScope {
  client: RoomcastClient;
  room: string;
  /** The viewer's opaque id in the room (the join answer's `you.id`), to tell their own win or grab from others'. */
  you: string | undefined;
}

/**
 * An in-group game as a member sees it, for every renderer (the Web Components `<rc-checkin>`,
 * `<rc-lucky-draw>`, `<rc-red-packet>` and the mini-program components of the same names): it finds
 * its game, follows it, and sends the member's one tap.
 *
 * Named (`game`), it reads that game (`game.get`), or waits for its `game.opened` if it has not
 * opened yet. Unnamed, it takes the newest open game of its kind (`game.list`) and then follows each
 * one of its kind that opens. Every read and event arrives after an await, so a subclass's fields
 * are set before any of them reaches `adopted`.
 */
export abstract class GameModel<G extends Game> {
  game: G | undefined;
  /** The member's tap on this game: `idle`, `busy`, `done`, or the code the server refused it with. */
  tap = 'idle';
  private readonly offs: Array<() => void> = [];

  constructor(protected readonly scope: GameScope, private readonly kind: G['kind'], named: string | undefined, protected readonly changed: () => void) {
    const mine = (game: Game): game is G => game.kind === kind && (named === undefined || game.id === named);
    this.on('game.opened', (e) => mine(e.data as Game) && this.adopt({ game: e.data as G }));
    this.on('game.ended', (e) => {
      const data = e.data as GameEndedEvent;
      if (!this.game || data.game !== this.game.id) return;
      this.game = { ...this.game, status: 'ended' };
      this.ended(data);
      changed();
    });
    this.on('state', (e) => this.game && (e.data as { key: string }).key === this.stateKey(this.game.id) && changed());
    void (named ? this.load(named) : this.newest(mine));
  }

  /** The room state key that carries this game's progress. */
  protected abstract stateKey(id: string): string;
  /** The member's tap. */
  abstract act(): Promise<void>;

  /**
   * The game was read: from `game.opened`, or from `game.get` with what it adds (today's check-ins, a
   * packet's grabs). `fresh` when it is another game than before, whose member state starts over.
   */
  protected adopted(_details: GameDetails, _fresh: boolean): void {}

  /** More than `status: ended` that a kind takes from `game.ended`. */
  protected ended(_data: GameEndedEvent): void {}

  /** The tap as the button shows it: a game that closed before the member tapped is over for them. */
  shown(): string {
    return this.tap === 'idle' && this.game?.status !== 'open' ? 'ended' : this.tap;
  }

  /**
   * The tap button; `labels` names the text of each state it knows (`idle`, `done`, refusals), and
   * `fallback` the rest (`ended`, `retry`).
   */
  button(labels: Record<string, string>, fallback: (key: 'ended' | 'retry') => string): TapButton {
    const state = this.shown();
    const text = state === 'busy' ? '…' : labels[state] ?? fallback(state === 'ended' ? 'ended' : 'retry');
    return { state, text, enabled: state !== 'busy' && !SETTLED.has(state) };
  }

  dispose(): void {
    for (const off of this.offs) off();
  }

  protected stateOf<T>(key: string): T | undefined {
    return this.scope.client.view(this.scope.room).state[key] as T | undefined;
  }

  protected on(type: string, listener: (event: RoomEvent) => void): void {
    this.offs.push(this.scope.client.on(type, (event) => {
      if (!event.room || event.room === this.scope.room) listener(event);
    }));
  }

  /**
   * Sends the tap: `busy` while in flight, then `done` (after `apply` takes the answer) or the refusal's
   * code. An error with no code of its own (a timeout, a lost connection) leaves the button to retry.
   */
  protected async send<T>(op: (client: RoomcastClient, room: string, game: string) => Promise<T>, apply: (answer: T) => void): Promise<void> {
    this.tap = 'busy';
    this.changed();
    try {
      apply(await op(this.scope.client, this.scope.room, this.game!.id));
      this.tap = 'done';
    } catch (err) {
      // A RoomcastError from this SDK, or one from another realm's copy of it: either way, its code.
      this.tap = (err as { code?: string } | undefined)?.code ?? 'error';
    }
    this.changed();
  }

  private async load(id: string): Promise<void> {
    try {
      const details = await this.scope.client.game(this.scope.room, id);
      if (details.game.kind === this.kind) this.adopt(details as GameDetails & { game: G });
    } catch {
      // Not opened yet (`not_found`): its `game.opened` will bring it.
    }
  }

  private async newest(mine: (game: Game) => game is G): Promise<void> {
    const { games } = await this.scope.client.games(this.scope.room).catch(() => ({ games: [] as Game[] }));
    const open = games.filter((g): g is G => mine(g) && g.status === 'open').sort((a, b) => a.createdAt - b.createdAt).pop();
    // A game.opened that arrived meanwhile is newer than anything listed.
    if (open && !this.game) await this.load(open.id);
  }

  private adopt(details: GameDetails & { game: G }): void {
    const fresh = details.game.id !== this.game?.id;
    if (fresh) this.tap = 'idle';
    this.game = details.game;
    this.adopted(details, fresh);
    this.changed();
  }
}
