import { randomBytes } from 'node:crypto';
import type { Locks } from '../../platform/lock/locks.ts';
import type { Logger } from '../../observability/logger.ts';
import type { JoinWaySettings, WeComClient } from '../api/client.ts';
import type { Pool, RoomJoinWay } from '../model.ts';
import type { WeComStore } from '../store.ts';
import { chooseChatIds } from './rules.ts';

/**
 * How long a node that died while making a (pool, room) join way keeps the others out (its holder
 * renews it for as long as WeCom takes: the minute budget may queue a call for up to a minute), and
 * how long a viewer's route waits for another node's join way before `unavailable`.
 */
const CREATE_LEASE_MS = 15_000;

/**
 * Join ways (加入群聊 QR codes), one per pool and live room, made on first use; its `state` (a short
 * code) tells every join's room. Each lists the pool's fullest groups under the cap, and is
 * rotated with `update_join_way` when one of them fills.
 */
export class JoinWays {
  private readonly creating = new Map<string, Promise<RoomJoinWay>>();
  private readonly rotating = new Map<string, { running: Promise<void>; again: boolean }>();

  constructor(
    private readonly store: WeComStore,
    private readonly client: WeComClient,
    private readonly locks: Locks,
    private readonly log: Logger,
    private readonly onRotated: (pool: string) => void,
  ) {}

  /**
   * The pool's join way for the room: read, as every route after the first finds it; or made once
   * across nodes (one node makes it under the lock, the others then find it).
   */
  async forRoom(pool: Pool, room: string): Promise<RoomJoinWay> {
    return (await this.store.joinWay(pool.id, room)) ?? this.make(pool, room);
  }

  private make(pool: Pool, room: string): Promise<RoomJoinWay> {
    const key = `${pool.id}\n${room}`;
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.locks.withLock(`wecom-way:${pool.id}:${room}`, { leaseMs: CREATE_LEASE_MS, waitMs: CREATE_LEASE_MS }, async () =>
        (await this.store.joinWay(pool.id, room)) ?? (await this.create(pool, room)),
      ).finally(() => this.creating.delete(key));
      this.creating.set(key, pending);
    }
    return pending;
  }

  /**
   * Brings every join way of the pool to the groups it should list. One rotation per pool at a time
   * on this node (a second request reruns it once after); a join way whose update fails keeps its
   * stored list, which is still what WeCom has, and the next rotation tries again.
   */
  rotate(poolId: string): Promise<void> {
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

  private async create(pool: Pool, room: string): Promise<RoomJoinWay> {
    const groups = await this.store.groups(pool.id);
    const chatIds = chooseChatIds(groups, pool.cap) ?? [groups.at(-1)!.chatId];
    const state = `rc${randomBytes(6).toString('base64url')}`;
    const configId = await this.client.addJoinWay(settings(pool, room, chatIds, state));
    const { qrCode } = await this.client.getJoinWay(configId);
    const way: RoomJoinWay = { pool: pool.id, room, configId, qrCode, state, chatIds };
    await this.store.saveJoinWay(way);
    return way;
  }

  private async rotateOnce(poolId: string): Promise<void> {
    const pool = (await this.store.pools()).find((p) => p.id === poolId);
    if (!pool) return;
    const desired = chooseChatIds(await this.store.groups(poolId), pool.cap);
    if (!desired) return;
    for (const way of await this.store.joinWays(poolId)) {
      if (sameList(way.chatIds, desired)) continue;
      try {
        await this.client.updateJoinWay(way.configId, settings(pool, way.room, desired, way.state));
        await this.store.saveJoinWay({ ...way, chatIds: desired });
        this.onRotated(poolId);
      } catch (err) {
        this.log.warn({ err, pool: poolId, configId: way.configId }, 'wecom: join way not rotated; retried on the next change or reconcile');
      }
    }
  }
}

function settings(pool: Pool, room: string, chatIds: string[], state: string): JoinWaySettings {
  return { scene: 2, chatIds, autoCreateRoom: true, roomBaseName: pool.roomBaseName, roomBaseId: pool.roomBaseId, state, remark: `${pool.id}/${room}`.slice(0, 30) };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
