import type { Logger } from '../../observability/logger.ts';
import type { Engine } from '../../platform/engine.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { WecomInviteEvent } from '../../protocol/events.ts';
import type { RouteAnswer } from '../../protocol/views.ts';
import type { WeComClient } from '../api/client.ts';
import type { Pool } from '../model.ts';
import { WeComStore } from '../store.ts';
import { asRefusal } from './errors.ts';
import { GroupEvents, type GroupEvent } from './group-events.ts';
import { JoinWays } from './join-ways.ts';
import { Pools, type PoolView } from './pools.ts';
import { DISMISSED, rememberRoster } from './rosters.ts';
import { pickPool, type CreatePool, type Viewer } from './rules.ts';

export type { GroupEvent } from './group-events.ts';
export type { PoolView } from './pools.ts';

/**
 * Routing viewers into WeCom customer groups. A viewer's pool is the first (by priority) whose
 * segment rule takes them (rules.ts); the pool's join way for the room (join-ways.ts) lists its
 * fullest groups under the cap. Member counts move with callbacks (group-events.ts) and are
 * reconciled from `groupchat/get`; a group reaching the cap is rotated out of every join way.
 */
export class WeComRouting {
  private readonly store: WeComStore;
  private readonly pools_: Pools;
  private readonly joinWays: JoinWays;
  private readonly groupEvents: GroupEvents;

  constructor(
    private readonly engine: Engine,
    private readonly client: WeComClient,
    defaultCap: number,
    private readonly log: Logger,
    private readonly observe: (what: 'routed' | 'joined' | 'rotated', pool: string) => void = () => {},
  ) {
    this.store = new WeComStore(engine);
    this.pools_ = new Pools(this.store, client, defaultCap);
    this.joinWays = new JoinWays(this.store, client, engine.locks, log, (pool) => observe('rotated', pool));
    this.groupEvents = new GroupEvents(this.store, client, this.joinWays, log, (pool) => observe('joined', pool));
  }

  createPool(input: CreatePool): Promise<PoolView> {
    return this.pools_.create(input);
  }

  pools(): Promise<PoolView[]> {
    return this.pools_.list();
  }

  figures() {
    return this.store.figures();
  }

  /** `wecom.route`: the join way of the viewer's pool for this room. */
  async route(identity: Identity, room: string): Promise<RouteAnswer> {
    const pool = await this.poolFor({ identity, room, bought: await this.store.isBuyer(room, identity.sub) });
    const answer = await this.answer(pool, room).catch((err: unknown) => {
      throw asRefusal(err);
    });
    await this.store.countRouted(room, pool.id);
    this.observe('routed', pool.id);
    return answer;
  }

  /**
   * After a payment or a completed assist: the viewer hears which group this room's buyers go to
   * (`wecom.invite`). Only the room and "bought" choose the pool here: the viewer's tags and channel
   * are in their token, which a payment notification does not carry.
   */
  async invite(user: string, room: string): Promise<void> {
    await this.store.markBuyer(room, user);
    const identity: Identity = { sub: user, name: '', role: 'viewer', tags: [] };
    const pool = pickPool(await this.store.pools(), { identity, room, bought: true });
    if (!pool) return;
    try {
      const answer = await this.answer(pool, room);
      await this.engine.broker.publishToUser(user, { type: 'wecom.invite', data: { room, pool: pool.id, ...answer } satisfies WecomInviteEvent });
    } catch (err) {
      this.log.warn({ err, user, room }, 'wecom: invite not sent');
    }
  }

  /** A `change_external_chat` callback (already verified, decrypted and de-duplicated). */
  onGroupEvent(event: GroupEvent): Promise<void> {
    return this.groupEvents.apply(event);
  }

  /** Counts from `groupchat/get` for every group, then rotation: what callbacks missed is corrected here. */
  async reconcile(): Promise<void> {
    for (const pool of await this.store.pools()) {
      for (const group of await this.store.groups(pool.id)) {
        if (group.members === DISMISSED) continue;
        try {
          await rememberRoster(this.store, await this.client.getGroupChat(group.chatId));
        } catch (err) {
          this.log.warn({ err, chatId: group.chatId }, 'wecom: group not reconciled');
        }
      }
      await this.joinWays.rotate(pool.id);
    }
  }

  private async poolFor(viewer: Viewer): Promise<Pool> {
    const pool = pickPool(await this.store.pools(), viewer);
    if (!pool) throw new RoomcastError('not_found', 'no WeCom pool takes this viewer');
    return pool;
  }

  private async answer(pool: Pool, room: string): Promise<RouteAnswer> {
    const way = await this.joinWays.forRoom(pool, room);
    const groups = await this.store.groups(pool.id);
    const first = groups.find((g) => g.chatId === way.chatIds[0]);
    return { groupName: first?.name ?? pool.name, qrCode: way.qrCode, configId: way.configId };
  }
}
