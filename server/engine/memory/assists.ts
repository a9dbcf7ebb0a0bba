import type { Assist, AssistCampaign, Order } from '../../commerce/model.ts';
import { refused, type ErrorCode } from '../../protocol/errors.ts';
import { ShareCodeTaken, type AssistStore } from '../commerce.ts';
import { scheduledKey } from '../../commerce/schedule-keys.ts';
import { campaignKey, MemoryCampaignStore } from './campaigns.ts';
import { addCount, type CommerceState } from './commerce-state.ts';

/** The same decisions as lua/assist-start-6, assist-help-6 and assist-expire-2, in one process. */
export class MemoryAssistStore extends MemoryCampaignStore<AssistCampaign> implements AssistStore {
  constructor(private readonly state: CommerceState) {
    super(state.assistCampaigns);
  }

  async start(r: { room: string; campaign: string; user: string; assistId: string; shareCode: string; now: number }): Promise<{ assist: Assist; created: boolean }> {
    const { state } = this;
    const c = state.assistCampaigns.live(r.room, r.campaign);
    if (!c) throw refused('not_found', `assist campaign ${r.campaign}`);
    if (c.status !== 'live') throw refused('ended', `assist campaign ${r.campaign}`);
    const previous = state.assists.get(r.assistId);
    if (previous) return { assist: structuredClone(previous), created: false };
    const owners = state.assistOwners.get(campaignKey(r.room, c.id)) ?? new Map<string, string>();
    state.assistOwners.set(campaignKey(r.room, c.id), owners);
    const existing = state.assists.get(owners.get(r.user) ?? '');
    if (existing && existing.status === 'open' && r.now < existing.expiresAt) return { assist: structuredClone(existing), created: false };
    if (state.shareCodes.has(r.shareCode)) throw new ShareCodeTaken(r.shareCode);
    const assist: Assist = {
      id: r.assistId, room: r.room, campaign: c.id, owner: r.user, helpers: [], target: c.target, shareCode: r.shareCode,
      status: 'open', createdAt: r.now, expiresAt: r.now + c.ttlSec * 1000,
    };
    state.assists.set(assist.id, assist);
    state.schedule.set(scheduledKey('assist-expire', r.room, assist.id), assist.expiresAt);
    state.shareCodes.set(r.shareCode, assist.id);
    owners.set(r.user, assist.id);
    c.started += 1;
    return { assist: structuredClone(assist), created: true };
  }

  async help(r: { room: string; assist: string; user: string; helpId: string; now: number; requestTtlMs: number; rewardOrderId: string; rewardPayWindowMs: number }) {
    const { state } = this;
    const requestKey = campaignKey(r.room, r.helpId);
    const a = state.assists.get(r.assist);
    if (state.answered(requestKey, r.now) === 'ok') return { assist: structuredClone(a!), replayed: true, completedNow: false };
    const before = state.refusedBefore(requestKey, r.now);
    if (before) throw refused(before, `assist ${r.assist}`);
    const c = a ? state.assistCampaigns.live(a.room, a.campaign) : undefined;
    const key = campaignKey(r.room, a?.campaign ?? '');
    const code: ErrorCode | undefined = !a || a.room !== r.room ? 'not_found'
      : a.owner === r.user ? 'self_help'
      : a.helpers.includes(r.user) ? 'already_done'
      : a.status === 'completed' ? 'ended'
      : a.status === 'expired' || r.now >= a.expiresAt ? 'expired'
      : (state.helperCounts.get(key)?.get(r.user) ?? 0) >= c!.perHelperLimit ? 'limit_reached'
      : undefined;
    if (code) state.refuse(requestKey, code, r, `assist ${r.assist}`);
    const assist = a!;
    assist.helpers.push(r.user);
    addCount(state.helperCounts, key, r.user, 1);
    state.remember(requestKey, 'ok', r.now, r.requestTtlMs);
    const completedNow = assist.helpers.length === assist.target;
    if (completedNow) {
      Object.assign(assist, { status: 'completed', completedAt: r.now });
      state.assistOwners.get(key)?.delete(assist.owner);
      c!.completed += 1;
      if (c!.price !== undefined && c!.product) {
        const order: Order = {
          id: r.rewardOrderId, room: r.room, user: assist.owner, source: 'assist', campaign: c!.id, product: c!.product.id, qty: 1,
          price: c!.price, amount: c!.price, state: 'reserved', createdAt: r.now, payDeadline: r.now + r.rewardPayWindowMs,
        };
        state.orders.set(order.id, order);
        assist.order = order.id;
      }
    }
    return { assist: structuredClone(assist), replayed: false, completedNow };
  }

  async expire(room: string, id: string, now: number): Promise<boolean> {
    const assist = this.state.assists.get(id);
    if (!assist || assist.room !== room || assist.status !== 'open' || now < assist.expiresAt) return false;
    assist.status = 'expired';
    const owners = this.state.assistOwners.get(campaignKey(room, assist.campaign));
    if (owners?.get(assist.owner) === id) owners.delete(assist.owner);
    return true;
  }

  async assist(room: string, id: string): Promise<Assist | null> {
    const assist = this.state.assists.get(id);
    return assist && assist.room === room ? structuredClone(assist) : null;
  }

  async locate(ref: { assist?: string; shareCode?: string }): Promise<{ room: string; id: string } | null> {
    const id = ref.assist ?? this.state.shareCodes.get(ref.shareCode ?? '');
    const assist = id ? this.state.assists.get(id) : undefined;
    return assist ? { room: assist.room, id: assist.id } : null;
  }
}
