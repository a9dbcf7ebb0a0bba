import type { Group, GroupBuyCampaign, Order } from '../../commerce/model.ts';
import type { ErrorCode } from '../../protocol/errors.ts';
import type { FailedSeat, GroupBuyStore, SeatRequest } from '../commerce.ts';
import { scheduledKey } from '../../commerce/schedule-keys.ts';
import { campaignKey, MemoryCampaignStore } from './campaigns.ts';
import { addCount, type CommerceState } from './commerce-state.ts';

/** The same decisions as lua/group-open-9, group-join-8 and group-expire-5, in one process. */
export class MemoryGroupBuyStore extends MemoryCampaignStore<GroupBuyCampaign> implements GroupBuyStore {
  constructor(private readonly state: CommerceState) {
    super(state.groupBuys);
  }

  async open(r: SeatRequest & { campaign: string; groupId: string }): Promise<{ group: Group; replayed: boolean }> {
    const { state } = this;
    const previous = state.groups.get(campaignKey(r.room, r.groupId));
    if (previous) return { group: structuredClone(previous), replayed: true };
    const c = state.groupBuys.live(r.room, r.campaign);
    const key = campaignKey(r.room, r.campaign);
    const code: ErrorCode | undefined = state.refusedBefore(campaignKey(r.room, r.groupId), r.now) ?? (!c ? 'not_found'
      : c.status !== 'live' ? 'ended'
      : state.groupOpenMembers.get(key)?.has(r.user) ? 'already_done'
      : (state.groupCounts.get(key)?.get(r.user) ?? 0) >= c.perUserLimit ? 'limit_reached'
      : undefined);
    if (code) state.refuse(campaignKey(r.room, r.groupId), code, r, `group-buy ${r.campaign}`);
    const expiresAt = r.now + c!.ttlSec * 1000;
    const group: Group = {
      id: r.groupId, room: r.room, campaign: c!.id, leader: r.user, members: [r.user], orders: [r.orderId],
      size: c!.size, status: 'open', createdAt: r.now, expiresAt,
    };
    state.groups.set(campaignKey(r.room, group.id), group);
    state.schedule.set(scheduledKey('group-expire', r.room, group.id), expiresAt);
    this.reserve(r, c!, group);
    openMembers(state, key).set(r.user, group.id);
    addCount(state.groupCounts, key, r.user, 1);
    c!.opened += 1;
    return { group: structuredClone(group), replayed: false };
  }

  async join(r: SeatRequest & { group: string }): Promise<{ group: Group; replayed: boolean; formedNow: boolean }> {
    const { state } = this;
    const g = state.groups.get(campaignKey(r.room, r.group));
    if (state.orders.has(r.orderId) && g) return { group: structuredClone(g), replayed: true, formedNow: false };
    const c = g ? state.groupBuys.live(r.room, g.campaign) : undefined;
    const key = campaignKey(r.room, g?.campaign ?? '');
    const code: ErrorCode | undefined = state.refusedBefore(campaignKey(r.room, r.orderId), r.now) ?? (!g ? 'not_found'
      : g.status === 'formed' ? 'group_full'
      : g.status === 'failed' || r.now >= g.expiresAt ? 'expired'
      : g.members.length >= g.size ? 'group_full'
      : state.groupOpenMembers.get(key)?.has(r.user) ? 'already_done'
      : c!.status !== 'live' ? 'ended'
      : (state.groupCounts.get(key)?.get(r.user) ?? 0) >= c!.perUserLimit ? 'limit_reached'
      : undefined);
    if (code) state.refuse(campaignKey(r.room, r.orderId), code, r, `group ${r.group}`);
    const group = g!;
    group.members.push(r.user);
    group.orders.push(r.orderId);
    this.reserve(r, c!, group);
    addCount(state.groupCounts, key, r.user, 1);
    const formedNow = group.members.length === group.size;
    if (formedNow) {
      Object.assign(group, { status: 'formed', formedAt: r.now });
      for (const m of group.members) state.groupOpenMembers.get(key)?.delete(m);
      c!.formed += 1;
    } else {
      openMembers(state, key).set(r.user, group.id);
    }
    return { group: structuredClone(group), replayed: false, formedNow };
  }

  async expire(room: string, id: string, now: number): Promise<FailedSeat[] | null> {
    const { state } = this;
    const group = state.groups.get(campaignKey(room, id));
    if (!group || group.status !== 'open' || now < group.expiresAt) return null;
    Object.assign(group, { status: 'failed', failedAt: now });
    state.groupBuys.live(room, group.campaign)!.failed += 1;
    const key = campaignKey(room, group.campaign);
    return group.members.map((member, i) => {
      state.groupOpenMembers.get(key)?.delete(member);
      addCount(state.groupCounts, key, member, -1);
      const order = state.orders.get(group.orders[i]!)!;
      const stateBefore = order.state;
      if (order.state === 'reserved' || order.state === 'submitted') Object.assign(order, { state: 'expired', expiredAt: now });
      else if (order.state === 'paid') Object.assign(order, { state: 'refunding', refundingAt: now });
      return { member, order: order.id, stateBefore };
    });
  }

  async group(room: string, id: string): Promise<Group | null> {
    const group = this.state.groups.get(campaignKey(room, id));
    return group ? structuredClone(group) : null;
  }

  async openGroups(room: string, campaign: string, limit: number): Promise<Group[]> {
    return [...this.state.groups.values()]
      .filter((g) => g.room === room && g.campaign === campaign && g.status === 'open')
      // Fullest first; ties as Redis ZREVRANGE orders them (id descending).
      .sort((a, b) => b.members.length - a.members.length || b.id.localeCompare(a.id))
      .slice(0, limit)
      .map((g) => structuredClone(g));
  }

  private reserve(r: SeatRequest, c: GroupBuyCampaign, group: Group): void {
    const order: Order = {
      id: r.orderId, room: r.room, user: r.user, source: 'group', campaign: c.id, group: group.id, product: c.product.id,
      qty: 1, price: c.price, amount: c.price, state: 'reserved', createdAt: r.now, payDeadline: group.expiresAt,
    };
    this.state.orders.set(order.id, order);
  }

}

function openMembers(state: CommerceState, key: string): Map<string, string> {
  let members = state.groupOpenMembers.get(key);
  if (!members) state.groupOpenMembers.set(key, (members = new Map()));
  return members;
}
