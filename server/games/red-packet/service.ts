import type { Engine } from '../../platform/engine.ts';
import type { LiveState } from '../../platform/live-state.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { RedPacketGame } from '../../protocol/games.ts';
import type { OpenGame } from '../schema.ts';
import type { GameStore } from '../store.ts';
import { splitRedPacket } from './split.ts';
import { RedPacketStore } from './store.ts';

/** Room state key of a red packet's shares left (PROTOCOL.md). */
export const packetLeftStateKey = (game: string) => `redpacket:${game}:left`;

/**
 * Red-packet grab (抢红包): the shares are split when it opens (split.ts), and a grab pops one, one
 * per member; the last share or the expiry ends it, reporting what nobody grabbed.
 */
export class RedPackets {
  private readonly store: RedPacketStore;

  constructor(
    private readonly engine: Engine,
    private readonly games: GameStore,
    private readonly live: LiveState,
    /** Ends the packet (the games' own end, which announces it); called once its last share is gone. */
    private readonly onEmpty: (room: string, id: string, now: number) => void,
  ) {
    this.store = new RedPacketStore(engine);
  }

  newGame(base: Omit<RedPacketGame, 'kind' | 'total' | 'count' | 'expiresAt' | 'left' | 'grabbed'>, input: Extract<OpenGame, { kind: 'red-packet' }>, now: number): { game: RedPacketGame; shares: number[] } {
    const shares = splitRedPacket(input.total, input.count);
    return { game: { ...base, kind: 'red-packet', total: input.total, count: input.count, expiresAt: now + input.expiresSec * 1000, left: input.count, grabbed: 0 }, shares };
  }

  async grab(viewer: Identity, room: string, id: string, now = Date.now()): Promise<{ amount: number; left: number }> {
    const outcome = await this.store.grab({ room, game: id, user: viewer.sub, now });
    this.live.mark(`packet|${room}|${id}`, async () => this.publishProgress((await this.games.get(room, id)) as RedPacketGame));
    // The grab is made: ending the packet is not this member's concern (its due work ends it otherwise).
    if (outcome.left === 0) this.onEmpty(room, id, now);
    return outcome;
  }

  /** Ends an open red packet once; null when it had ended already. */
  end(room: string, id: string, now: number): Promise<{ unclaimed: number; left: number } | null> {
    return this.store.end(room, id, now);
  }

  grabs(game: RedPacketGame): Promise<Array<{ user: string; amount: number }>> {
    return this.store.grabs(game.room, game.id);
  }

  async publishProgress(game: RedPacketGame): Promise<void> {
    await this.engine.broker.publishState(game.room, packetLeftStateKey(game.id), game.left);
  }
}
