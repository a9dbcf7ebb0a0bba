import type { Engine } from '../../platform/engine.ts';
import type { LedgerEntry } from '../../protocol/games.ts';
import { groupRoom } from '../group-room.ts';
import { PointsStore } from './store.ts';

/** Ledger lines a member is shown. */
const LEDGER_SHOWN = 20;

/** A group's points: what check-ins earned, what the brand's mall spends, a ledger line for each. */
export class Points {
  private readonly store: PointsStore;

  constructor(engine: Engine) {
    this.store = new PointsStore(engine);
  }

  async of(room: string, user: string): Promise<{ balance: number; ledger: LedgerEntry[] }> {
    const [balance, ledger] = await Promise.all([this.store.balance(room, user), this.store.ledger(room, user, LEDGER_SHOWN)]);
    return { balance, ledger };
  }

  async spend(chat: string, user: string, points: number, reason: string): Promise<number> {
    return this.store.spend({ room: groupRoom(chat), user, points, reason, now: Date.now() });
  }
}
