import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import type { Group, GroupBuyCampaign } from '../model.ts';
import type { FailedSeat, GroupBuyStore, SeatRequest } from '../../engine/commerce.ts';
import { decodeHash, RedisCampaigns } from '../../platform/records/records.ts';
import { pairs } from '../../platform/records/hashes.ts';
import type { RedisKeys } from '../../platform/keys.ts';
import { scheduledKey } from '../schedule-keys.ts';
import { refusal } from '../../platform/records/refusals.ts';

const campaignShape = { numbers: ['price', 'size', 'ttlSec', 'perUserLimit', 'opened', 'formed', 'failed'], json: ['product'] };
const groupShape = { numbers: ['size', 'createdAt', 'expiresAt', 'formedAt', 'failedAt'], json: ['members', 'orders'] };

const openScript = luaScript(new URL('./open-10.lua', import.meta.url));
const joinScript = luaScript(new URL('./join-9.lua', import.meta.url));
const expireScript = luaScript(new URL('./expire-5.lua', import.meta.url));

export class RedisGroupBuyStore extends RedisCampaigns<GroupBuyCampaign> implements GroupBuyStore {
  constructor(store: Store, private readonly keys: RedisKeys) {
    super(store, keys.groupBuy, keys.groupBuys, campaignShape);
  }

  async open(r: SeatRequest & { campaign: string; groupId: string }): Promise<{ group: Group; replayed: boolean }> {
    const k = this.keys;
    const reply = (await this.store.run(openScript,
      [k.groupBuy(r.room, r.campaign), k.groupOpenMembers(r.room, r.campaign), k.groupCounts(r.room, r.campaign), k.group(r.room, r.groupId),
        k.order(r.room, r.orderId), k.request(r.room, r.groupId), k.groupsOpen(r.room, r.campaign), k.orderRooms(), k.schedule(), k.unsettledOrders()],
      [r.user, r.now, r.groupId, r.orderId, r.room, r.requestTtlMs, scheduledKey('group-expire', r.room, r.groupId)],
    )) as Array<Buffer | number>;
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `group-buy ${r.campaign}`);
    return { group: toGroup(pairs(reply, 2)), replayed: Number(reply[1]) === 1 };
  }

  async join(r: SeatRequest & { group: string }): Promise<{ group: Group; replayed: boolean; formedNow: boolean }> {
    const k = this.keys;
    const campaign = (await this.store.hget(k.group(r.room, r.group), 'campaign')) ?? '-';
    const reply = (await this.store.run(joinScript,
      [k.groupBuy(r.room, campaign), k.groupOpenMembers(r.room, campaign), k.groupCounts(r.room, campaign), k.group(r.room, r.group),
        k.order(r.room, r.orderId), k.request(r.room, r.orderId), k.groupsOpen(r.room, campaign), k.orderRooms(), k.unsettledOrders()],
      [r.user, r.now, r.orderId, r.room, r.requestTtlMs],
    )) as Array<Buffer | number>;
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `group ${r.group}`);
    return { group: toGroup(pairs(reply, 3)), replayed: Number(reply[1]) === 1, formedNow: Number(reply[2]) === 1 };
  }

  async expire(room: string, group: string, now: number): Promise<FailedSeat[] | null> {
    const k = this.keys;
    const campaign = (await this.store.hget(k.group(room, group), 'campaign')) ?? '-';
    const reply = (await this.store.run(expireScript,
      [k.group(room, group), k.groupOpenMembers(room, campaign), k.groupCounts(room, campaign), k.groupsOpen(room, campaign), k.groupBuy(room, campaign)],
      [now, k.orderPrefix(room)],
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

  async openGroups(room: string, campaign: string, limit: number): Promise<Group[]> {
    const ids = (await this.store.call('ZREVRANGE', this.keys.groupsOpen(room, campaign), 0, limit - 1)) as string[];
    const groups = await Promise.all(ids.map((id) => this.group(room, id)));
    return groups.filter((g): g is Group => g !== null && g.status === 'open');
  }
}

function toGroup(hash: Record<string, string>): Group {
  return decodeHash<Group>(hash, groupShape);
}
