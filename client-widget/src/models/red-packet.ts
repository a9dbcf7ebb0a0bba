import type { GameDetails, GameEndedEvent, RedPacketGame } from '../../../server/protocol/games.ts';
import { GameModel, type GameScope } from './game.ts';

/**
 * A red packet as a member sees it (`<rc-red-packet>`, mini-program `rc-red-packet`): shares left
 * live (state `redpacket:{game}:left`), the grab, and the amount this member grabbed; sold out, ended
 * (expired, or ended by the manager) and already grabbed as the server says them.
 */
export class RedPacketModel extends GameModel<RedPacketGame> {
  /** Fen this member grabbed. */
  amount: number | undefined;

  constructor(scope: GameScope, named: string | undefined, changed: () => void) {
    super(scope, 'red-packet', named, changed);
  }

  protected stateKey(id: string): string {
    return `redpacket:${id}:left`;
  }

  /** A page opened after grabbing finds its own grab among the packet's. */
  protected override adopted(details: GameDetails, fresh: boolean): void {
    if (fresh) this.amount = undefined;
    const mine = details.grabs?.find((g) => g.user === this.scope.you);
    if (!mine) return;
    this.amount = mine.amount;
    this.tap = 'done';
  }

  protected override ended(data: GameEndedEvent): void {
    if (data.sharesLeft !== undefined) this.game = { ...this.game!, left: data.sharesLeft };
  }

  act(): Promise<void> {
    return this.send((client, room, game) => client.grabRedPacket(room, game), ({ grab }) => {
      this.amount = grab.amount;
      this.game = { ...this.game!, left: grab.left };
    });
  }

  override shown(): string {
    return this.tap === 'idle' && this.left() === 0 ? 'sold_out' : super.shown();
  }

  /** Shares only go down, so the lowest count heard (room state, the game, an answer) is the latest. */
  left(): number {
    const game = this.game;
    if (!game) return 0;
    return Math.min(game.left, this.stateOf<number>(this.stateKey(game.id)) ?? game.left);
  }
}
