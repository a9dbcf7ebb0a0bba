import type { Engine } from '../../platform/engine.ts';
import type { Store } from '../../platform/store/store.ts';
import type { FulfilmentStatus } from '../../protocol/games.ts';
import { gameKeys } from '../store.ts';

/** Who a red packet's refund is recorded for: no member, the brand. */
export const REFUND = '(refund)';

/**
 * How each prize of a game was handed out, as the brand's backend answered: per winner or grabber
 * (and `REFUND` for a red packet's unclaimed money), `fulfilled` or `failed` with its reason. A
 * prize with no answer yet is `pending`.
 */
export class FulfilmentStatuses {
  private readonly store: Store;
  private readonly keys;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = gameKeys(engine.keys);
  }

  async record(room: string, game: string, who: string, status: FulfilmentStatus): Promise<void> {
    await this.store.call('HSET', this.keys.fulfilment(room, game), who, JSON.stringify(status));
  }

  async of(room: string, game: string): Promise<Record<string, FulfilmentStatus>> {
    const hash = await this.store.hgetall(this.keys.fulfilment(room, game));
    return Object.fromEntries(Object.entries(hash).map(([who, json]) => [who, JSON.parse(json) as FulfilmentStatus]));
  }
}
