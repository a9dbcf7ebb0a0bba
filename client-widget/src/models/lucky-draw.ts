import { verifyDraw, type Winner } from '../../../server/protocol/draw.ts';
import type { DrawGame, DrawResultEvent, GameDetails } from '../../../server/protocol/games.ts';
import { GameModel, type GameScope } from './game.ts';

export type Verification = { state: 'idle' | 'busy' | 'ok' } | { state: 'failed'; reason: string };

/**
 * A lucky draw as a member sees it (`<rc-lucky-draw>`, mini-program `rc-lucky-draw`): the prizes,
 * entries live (state `draw:{game}:entries`), the time to `drawAt`, entering (a tap for `entry: join`
 * or `checkin`; the keyword to comment for `entry: comment`); on `draw.result` the winners, the
 * member's own win, and verification: the winners recomputed here from the revealed seed.
 */
export class LuckyDrawModel extends GameModel<DrawGame> {
  verification: Verification = { state: 'idle' };

  constructor(scope: GameScope, named: string | undefined, changed: () => void) {
    super(scope, 'draw', named, changed);
    this.on('draw.result', (e) => {
      const { game, seed, winners, entries } = e.data as DrawResultEvent;
      if (game !== this.game?.id) return;
      // The commitment stays the one the draw opened with: the result's own copy would prove nothing.
      this.game = { ...this.game, status: 'drawn', seed, winners, entries };
      changed();
    });
  }

  protected stateKey(id: string): string {
    return `draw:${id}:entries`;
  }

  protected override adopted(_details: GameDetails, fresh: boolean): void {
    if (fresh) this.verification = { state: 'idle' };
  }

  act(): Promise<void> {
    return this.send((client, room, game) => client.enterDraw(room, game), ({ entries }) => {
      this.game = { ...this.game!, entries: Math.max(entries, this.game!.entries) };
    });
  }

  /** Entries only grow, so the highest count heard (room state, the game, an answer) is the latest. */
  entries(): number {
    const game = this.game;
    return game ? Math.max(game.entries, this.stateOf<number>(this.stateKey(game.id)) ?? 0) : 0;
  }

  /** `drawing` once the draw is due or under way, the milliseconds to it while open, or undefined. */
  countdown(now = Date.now()): number | 'drawing' | undefined {
    const game = this.game;
    if (game?.status === 'drawing') return 'drawing';
    if (game?.status !== 'open') return undefined;
    const ms = game.drawAt - now;
    return ms > 0 ? ms : 'drawing';
  }

  /** This member's win, if any. */
  won(): Winner | undefined {
    return this.game?.winners?.find((w) => w.user === this.scope.you);
  }

  /**
   * Recomputes the winners from the revealed seed, the entry list (`game.get` answers it once drawn)
   * and the prizes, and checks that seed against the commitment the draw opened with.
   */
  async verify(): Promise<void> {
    const { id, seed, commitment, prizes, winners } = this.game!;
    this.verification = { state: 'busy' };
    this.changed();
    try {
      const { entries = [] } = await this.scope.client.game(this.scope.room, id);
      const { ok, reason } = await verifyDraw({ seed: seed!, commitment, entries, prizes, winners: winners! });
      this.verification = ok ? { state: 'ok' } : { state: 'failed', reason: reason! };
    } catch (err) {
      this.verification = { state: 'failed', reason: (err as { code?: string; message?: string }).code ?? String((err as Error).message) };
    }
    this.changed();
  }
}
