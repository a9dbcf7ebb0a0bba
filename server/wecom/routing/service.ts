import { randomBytes } from 'node:crypto';
import type { Engine } from '../../platform/engine.ts';
import type { Logger } from '../../observability/logger.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { WecomInviteEvent } from '../../protocol/events.ts';
import type { RouteAnswer } from '../../protocol/views.ts';
import { WeComApiError, WeComUnavailable, type GroupChat, type JoinWaySettings, type WeComClient } from '../api/client.ts';
import type { Pool, PoolGroup, RoomJoinWay } from '../model.ts';
import { chooseChatIds, pickPool, type CreatePool, type Viewer } from './rules.ts';

export interface PoolView extends Pool {
  groups: PoolGroup[];
  joinWays: Array<Pick<RoomJoinWay, 'room' | 'configId' | 'state' | 'chatIds'>>;
}

/** A `change_external_chat` callback, decrypted and parsed. */
export interface GroupEvent {
  chatId: string;
  changeType: 'create' | 'update' | 'dismiss' | string;
  updateDetail?: string;
  memChangeCnt: number;
  members: string[];
}

/** How long one node may hold the right to create a (pool, room) join way. */
const CREATE_LOCK_MS = 15_000;
/** A dismissed group never takes members again: it counts as full forever. */
const DISMISSED = Number.MAX_SAFE_INTEGER;
/** WeCom's errcode for a chat id it does not know. */
const CHAT_NOT_FOUND = 40050;

/**
 * Routing viewers into WeCom customer groups. A viewer's pool is the first (by priority) whose
 * segment rule takes them; each pool has one join way per live room, made on first use, whose
 * `state` (a short code) tells every join's room; the join ways list the pool's fullest groups
 * under the cap. Member counts move with callbacks and are reconciled from `groupchat/get`; a group
 * reaching the cap is rotated out of every join way of its pool with `update_join_way`.
 */
export class WeComRouting {
  private readonly creating = new Map<string, Promise<RoomJoinWay>>();
  private readonly rotating = new Map<string, { running: Promise<void>; again: boolean }>();

  constructor(
    private readonly engine: Engine,
    private readonly client: WeComClient,
    private readonly defaultCap: number,
    private readonly log: Logger,
    private readonly observe: (what: 'routed' | 'joined' | 'rotated', pool: string) => void = () => {},
  ) {}

  private get store() {
    return this.engine.wecom;
  }

  /** Checks every group with WeCom first: a pool never holds a group WeCom does not know. */
  async createPool(input: CreatePool): Promise<PoolView> {
    const pool: Pool = {
      id: input.id ?? randomBytes(4).toString('hex'),
      name: input.name,
      priority: input.priority,
      rule: input.rule,
      cap: input.cap ?? this.defaultCap,
      roomBaseName: input.roomBaseName,
      roomBaseId: input.roomBaseId,
      createdAt: Date.now(),
    };
    const groups: GroupChat[] = [];
    for (const chatId of new Set(input.chatIds)) {
      const owner = await this.store.poolOf(chatId);
      if (owner) throw new RoomcastError('already_done', `chatIds: group ${chatId} is in pool ${owner} already`);
      const chat = await this.client.getGroupChat(chatId).catch((err: unknown) => {
        throw err instanceof WeComApiError && err.errcode === CHAT_NOT_FOUND ? new RoomcastError('bad_request', `chatIds: WeCom has no group ${chatId}`) : asRefusal(err);
      });
      groups.push(chat);
    }
    if (!(await this.store.createPool(pool, groups.map(groupOf)))) throw new RoomcastError('already_done', `pool ${pool.id} already exists`);
    for (const chat of groups) await this.remember(chat);
    return this.view(pool);
  }

  async pools(): Promise<PoolView[]> {
    const pools = (await this.store.pools()).sort((a, b) => a.priority - b.priority || a.createdAt - b.createdAt);
    return Promise.all(pools.map((p) => this.view(p)));
  }

  async figures() {
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
  async onGroupEvent(event: GroupEvent): Promise<void> {
    if (event.changeType === 'create') return this.adopt(event.chatId);
    if (event.changeType === 'dismiss') {
      const pool = await this.store.poolOf(event.chatId);
      await this.store.setMembers(event.chatId, DISMISSED, []);
      if (pool) await this.rotate(pool);
      return;
    }
    if (event.changeType !== 'update' || (event.updateDetail !== 'add_member' && event.updateDetail !== 'del_member')) return;
    const delta = (event.updateDetail === 'add_member' ? 1 : -1) * event.memChangeCnt;
    const moved = await this.store.addMembers(event.chatId, delta);
    if (!moved) return;
    if (event.updateDetail === 'add_member') await this.attribute(event.chatId, moved.pool, new Set(event.members));
    else await this.reread(event.chatId, moved.members);
    await this.rotate(moved.pool);
  }

  /** Counts from `groupchat/get` for every group, then rotation: what callbacks missed is corrected here. */
  async reconcile(): Promise<void> {
    for (const pool of await this.store.pools()) {
      for (const group of await this.store.groups(pool.id)) {
        if (group.members === DISMISSED) continue;
        try {
          await this.remember(await this.client.getGroupChat(group.chatId));
        } catch (err) {
          this.log.warn({ err, chatId: group.chatId }, 'wecom: group not reconciled');
        }
      }
      await this.rotate(pool.id);
    }
  }

  private async poolFor(viewer: Viewer): Promise<Pool> {
    const pool = pickPool(await this.store.pools(), viewer);
    if (!pool) throw new RoomcastError('not_found', 'no WeCom pool takes this viewer');
    return pool;
  }

  private async answer(pool: Pool, room: string): Promise<RouteAnswer> {
    const way = (await this.store.joinWay(pool.id, room)) ?? (await this.createJoinWay(pool, room));
    const groups = await this.store.groups(pool.id);
    const first = groups.find((g) => g.chatId === way.chatIds[0]);
    return { groupName: first?.name ?? pool.name, qrCode: way.qrCode, configId: way.configId };
  }

  /** One join way per pool and room, across nodes: the node holding the lock makes it, others wait for it. */
  private createJoinWay(pool: Pool, room: string): Promise<RoomJoinWay> {
    const key = `${pool.id}\n${room}`;
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.createOrAwait(pool, room).finally(() => this.creating.delete(key));
      this.creating.set(key, pending);
    }
    return pending;
  }

  private async createOrAwait(pool: Pool, room: string): Promise<RoomJoinWay> {
    if (!(await this.engine.idempotency.claimOnce(`wecom-way:${pool.id}:${room}`, CREATE_LOCK_MS))) {
      for (const deadline = Date.now() + CREATE_LOCK_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        const made = await this.store.joinWay(pool.id, room);
        if (made) return made;
      }
      throw new RoomcastError('unavailable', 'the WeCom join way is still being made; try again');
    }
    const groups = await this.store.groups(pool.id);
    const chatIds = chooseChatIds(groups, pool.cap) ?? [groups.at(-1)!.chatId];
    const state = `rc${randomBytes(6).toString('base64url')}`;
    const configId = await this.client.addJoinWay(this.settings(pool, room, chatIds, state));
    const { qrCode } = await this.client.getJoinWay(configId);
    const way: RoomJoinWay = { pool: pool.id, room, configId, qrCode, state, chatIds };
    await this.store.saveJoinWay(way);
    return way;
  }

  private settings(pool: Pool, room: string, chatIds: string[], state: string): JoinWaySettings {
    return { scene: 2, chatIds, autoCreateRoom: true, roomBaseName: pool.roomBaseName, roomBaseId: pool.roomBaseId, state, remark: `${pool.id}/${room}`.slice(0, 30) };
  }

  /** New members who came in by one of our join ways count for that way's room. */
  private async attribute(chatId: string, pool: string, joined: Set<string>): Promise<void> {
    let chat: GroupChat;
    try {
      chat = await this.client.getGroupChat(chatId);
    } catch (err) {
      this.log.warn({ err, chatId }, 'wecom: join not attributed');
      return;
    }
    await this.remember(chat);
    for (const member of chat.members) {
      if (!member.state || (joined.size && !joined.has(member.userId))) continue;
      const origin = await this.store.byState(member.state);
      if (!origin || origin.pool !== pool) continue;
      await this.store.recordJoin(origin.room, pool, member.userId);
      this.observe('joined', pool);
    }
  }

  /**
   * After members left: their unionids come off the roster, so they no longer enter the group's
   * room. The count stays the callbacks' (`members`): a repeated leave must not be corrected away
   * here, de-duplication is what keeps it from counting.
   */
  private async reread(chatId: string, members: number): Promise<void> {
    try {
      await this.remember(await this.client.getGroupChat(chatId), members);
    } catch (err) {
      this.log.warn({ err, chatId }, 'wecom: roster not re-read after a leave');
    }
  }

  /** The group's roster as WeCom just reported it, and its count (WeCom's unless given). */
  private async remember(chat: GroupChat, members = chat.members.length): Promise<void> {
    const unionIds = chat.members.flatMap((m) => (m.unionId ? [m.unionId] : []));
    await this.store.setMembers(chat.chatId, members, unionIds);
  }

  /** A group WeCom opened by itself (auto_create_room) joins the pool whose base name it carries. */
  private async adopt(chatId: string): Promise<void> {
    if (await this.store.poolOf(chatId)) return;
    const chat = await this.client.getGroupChat(chatId);
    const pool = (await this.store.pools())
      .filter((p) => chat.name.startsWith(p.roomBaseName))
      .sort((a, b) => b.roomBaseName.length - a.roomBaseName.length)[0];
    if (!pool) return;
    await this.store.addGroup(pool.id, groupOf(chat));
    await this.remember(chat);
    await this.rotate(pool.id);
  }

  /**
   * Brings every join way of the pool to the groups it should list. One rotation per pool at a time
   * on this node (a second request reruns it once after); a join way whose update fails keeps its
   * stored list, which is still what WeCom has, and the next rotation tries again.
   */
  private rotate(poolId: string): Promise<void> {
    const current = this.rotating.get(poolId);
    if (current) {
      current.again = true;
      return current.running;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = (async () => {
      do {
        entry.again = false;
        await this.rotateOnce(poolId);
      } while (entry.again);
    })().finally(() => this.rotating.delete(poolId));
    this.rotating.set(poolId, entry);
    return entry.running;
  }

  private async rotateOnce(poolId: string): Promise<void> {
    const pool = (await this.store.pools()).find((p) => p.id === poolId);
    if (!pool) return;
    const desired = chooseChatIds(await this.store.groups(poolId), pool.cap);
    if (!desired) return;
    for (const way of await this.store.joinWays(poolId)) {
      if (sameList(way.chatIds, desired)) continue;
      try {
        await this.client.updateJoinWay(way.configId, this.settings(pool, way.room, desired, way.state));
        await this.store.saveJoinWay({ ...way, chatIds: desired });
        this.observe('rotated', poolId);
      } catch (err) {
        this.log.warn({ err, pool: poolId, configId: way.configId }, 'wecom: join way not rotated; retried on the next change or reconcile');
      }
    }
  }

  private async view(pool: Pool): Promise<PoolView> {
    const [groups, ways] = await Promise.all([this.store.groups(pool.id), this.store.joinWays(pool.id)]);
    return {
      ...pool,
      groups: groups.map((g) => (g.members === DISMISSED ? { ...g, members: -1 } : g)),
      joinWays: ways.map(({ room, configId, state, chatIds }) => ({ room, configId, state, chatIds })),
    };
  }
}

/** WeCom failing is the caller's `unavailable` (503), saying what WeCom said; our own refusals pass. */
function asRefusal(err: unknown): unknown {
  if (err instanceof WeComApiError || err instanceof WeComUnavailable) return new RoomcastError('unavailable', err.message);
  return err;
}

function groupOf(chat: GroupChat): PoolGroup {
  return { chatId: chat.chatId, name: chat.name, members: chat.members.length };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
