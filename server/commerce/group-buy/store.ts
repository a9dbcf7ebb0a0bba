import type { Engine } from '../../platform/engine.ts';
import type { Keys } from '../../platform/keys.ts';
import { pairs } from '../../platform/records/hashes.ts';
import { decodeHash, Records } from '../../platform/records/records.ts';
import { refusal } from '../../platform/records/refusals.ts';
import type { RoomcastError } from '../../protocol/errors.ts';
import { dueKey } from '../../platform/scheduler/due-work.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import { liveOpsKeys } from '../../live-ops/keys.ts';
import { participationKeys } from '../../participation/keys.ts';
import { orderKeys } from '../../orders/store.ts';
import type { Group, GroupBuyCampaign } from './model.ts';

const openScript = luaScript(new URL('./open-13.lua', import.meta.url));
const joinScript = luaScript(new URL('./join-9.lua', import.meta.url));
const expireScript = luaScript(new URL('./expire-7.lua', import.meta.url));

const campaignShape = { numbers: ['price', 'size', 'ttlSec', 'perUserLimit', 'opened', 'formed', 'failed'], json: ['product', 'audience', 'firstOrderOnly'] };
const groupShape = { numbers: ['size', 'createdAt', 'expiresAt', 'formedAt', 'failedAt'], json: ['members', 'orders'] };

/** The due work a group-buy schedules: an open group's expiry. */
export const groupDue = { expire: 'group-expire' } as const;

/** Room state key of a group's progress (PROTOCOL.md). */
export const groupStateKey = (group: string) => `group:${group}`;

/**
 * A campaign's hash and the room's set of them; per campaign, who is in an open group, how many
 * groups each user is in, and its open groups by members; each group's hash.
 */
export function groupBuyKeys(k: Keys) {
  return {
    campaign: (room: string, campaign: string) => k.room(room, `group-buy:${campaign}`),
    campaigns: (room: string) => k.room(room, 'group-buys'),
    openMembers: (room: string, campaign: string) => k.room(room, `group-buy:${campaign}:open-members`),
    counts: (room: string, campaign: string) => k.room(room, `group-buy:${campaign}:counts`),
    openGroups: (room: string, campaign: string) => k.room(room, `group-buy:${campaign}:open-groups`),
    group: (room: string, group: string) => k.room(room, `group:${group}`),
  };
}

export interface SeatRequest {
  room: string;
  user: string;
  orderId: string;
  requestId: string;
  now: number;
  requestTtlMs: number;
}

/** A seat in a group of `campaign` (the group's own, as campaignOf answers it). */
export interface JoinRequest extends SeatRequest {
  group: string;
  campaign: string;
}

export interface JoinOutcome {
  group: Group;
  replayed: boolean;
  /** This seat filled the group. */
  formedNow: boolean;
}

/** A member whose group failed, and what their reservation was before it expired. */
export interface FailedSeat {
  member: string;
  order: string;
  /** `reserved` or `submitted` (now expired), or `paid` (now refunding). */
  stateBefore: string;
}

/** Group-buy campaigns and their groups; every decision is one script (open-13, join-9, expire-7), which counts the room's figures too. */
export class GroupBuyStore extends Records<GroupBuyCampaign> {
  private readonly keys;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    const keys = { ...groupBuyKeys(engine.keys), orders: orderKeys(engine.keys), liveOps: liveOpsKeys(engine.keys), participation: participationKeys(engine.keys), request: engine.keys.request, schedule: engine.keys.schedule };
    super(engine, keys.campaign, keys.campaigns, campaignShape);
    this.keys = keys;
  }

  /** A new group led by the user, with their reservation and its expiry scheduled; refusals throw. */
  async open(r: SeatRequest & { campaign: string; groupId: string }): Promise<{ group: Group; replayed: boolean }> {
    const k = this.keys;
    const reply = (await this.store.run(openScript,
      [k.campaign(r.room, r.campaign), k.openMembers(r.room, r.campaign), k.counts(r.room, r.campaign), k.group(r.room, r.groupId),
        k.orders.order(r.room, r.orderId), k.request(r.room, r.groupId), k.openGroups(r.room, r.campaign), k.orders.rooms(r.room), k.schedule(r.room), k.orders.unsettled(r.room),
        k.liveOps.figures(r.room), k.liveOps.reach(r.room), k.participation.outbox(r.room)],
      [r.user, r.now, r.groupId, r.orderId, r.room, r.requestTtlMs, dueKey(groupDue.expire, r.room, r.groupId)],
    )) as Array<Buffer | number>;
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `group-buy ${r.campaign}`);
    return { group: toGroup(pairs(reply, 2)), replayed: Number(reply[1]) === 1 };
  }

  /** The campaign a group belongs to (it never changes), or null when there is no such group. */
  campaignOf(room: string, group: string): Promise<string | null> {
    return this.store.hget(this.keys.group(room, group), 'campaign');
  }

  /** A seat taken at join time; the seat that fills the group forms it (`formedNow`, once). A refusal throws. */
  async join(r: JoinRequest): Promise<JoinOutcome> {
    const [outcome] = await this.joinAll([r]);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Joins of one campaign's groups (one room, one campaign, one request ttl), decided one by one in
   * the order given, in one step (join-9.lua): each answered as alone, a refusal as its RoomcastError.
   */
  async joinAll(requests: readonly JoinRequest[]): Promise<Array<JoinOutcome | RoomcastError>> {
    const k = this.keys;
    const { room, campaign, requestTtlMs } = requests[0]!;
    const keys = [k.campaign(room, campaign), k.openMembers(room, campaign), k.counts(room, campaign), k.openGroups(room, campaign), k.orders.rooms(room), k.orders.unsettled(room), k.liveOps.figures(room), k.liveOps.reach(room), k.participation.outbox(room)];
    const args: Array<string | number> = [room, requestTtlMs];
    for (const r of requests) {
      if (r.room !== room || r.campaign !== campaign || r.requestTtlMs !== requestTtlMs) throw new Error('joinAll: one campaign and one request ttl per call');
      keys.push(k.group(room, r.group), k.orders.order(room, r.orderId), k.request(room, r.orderId));
      args.push(r.user, r.now, r.orderId);
    }
    const replies = (await this.store.run(joinScript, keys, args)) as Array<Array<Buffer | number>>;
    return replies.map((reply, i) => {
      if (Number(reply[0]) < 0) return refusal(Number(reply[0]), `group ${requests[i]!.group}`);
      return { group: toGroup(pairs(reply, 3)), replayed: Number(reply[1]) === 1, formedNow: Number(reply[2]) === 1 };
    });
  }

  /** Fails an open group past its time, once; null when it was not open or not yet due. */
  async expire(room: string, group: string, now: number): Promise<FailedSeat[] | null> {
    const k = this.keys;
    const campaign = (await this.store.hget(k.group(room, group), 'campaign')) ?? '-';
    const reply = (await this.store.run(expireScript,
      [k.group(room, group), k.openMembers(room, campaign), k.counts(room, campaign), k.openGroups(room, campaign), k.campaign(room, campaign), k.liveOps.figures(room), k.liveOps.reach(room)],
      [now, k.orders.prefix(room)],
    )) as Array<Buffer | number>;
    if (Number(reply[0]) !== 1) return null;
    const seats: FailedSeat[] = [];
    for (let i = 1; i + 2 < reply.length; i += 3) seats.push({ member: String(reply[i]), order: String(reply[i + 1]), stateBefore: String(reply[i + 2]) });
    return seats;
  }

  async group(room: string, id: string): Promise<Group | null> {
    const hash = await this.store.hgetall(this.keys.group(room, id));
    return Object.keys(hash).length ? toGroup(hash) : null;
  }

  /** Open groups of a campaign, fullest first. */
  async openGroups(room: string, campaign: string, limit: number): Promise<Group[]> {
    const ids = (await this.store.call('ZREVRANGE', this.keys.openGroups(room, campaign), 0, limit - 1)) as string[];
    const groups = await Promise.all(ids.map((id) => this.group(room, id)));
    return groups.filter((g): g is Group => g !== null && g.status === 'open');
  }
}

function toGroup(hash: Record<string, string>): Group {
  return decodeHash<Group>(hash, groupShape);
}
