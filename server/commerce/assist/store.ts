import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import type { Assist, AssistCampaign } from '../model.ts';
import { ShareCodeTaken, type AssistStore } from '../../engine/commerce.ts';
import { decodeHash, RedisCampaigns } from '../../platform/records/records.ts';
import { pairs } from '../../platform/records/hashes.ts';
import type { RedisKeys } from '../../platform/keys.ts';
import { scheduledKey } from '../schedule-keys.ts';
import { refusal } from '../../platform/records/refusals.ts';

/** assist-start-6.lua's answer when the share code is taken. */
const SHARE_CODE_TAKEN = -12;
const campaignShape = { numbers: ['price', 'target', 'ttlSec', 'perHelperLimit', 'started', 'completed'], json: ['product', 'reward'] };
const assistShape = { numbers: ['target', 'createdAt', 'expiresAt', 'completedAt'], json: ['helpers'] };

const startScript = luaScript(new URL('./start-6.lua', import.meta.url));
const helpScript = luaScript(new URL('./help-7.lua', import.meta.url));
const expireScript = luaScript(new URL('./expire-2.lua', import.meta.url));

export class RedisAssistStore extends RedisCampaigns<AssistCampaign> implements AssistStore {
  constructor(store: Store, private readonly keys: RedisKeys) {
    super(store, keys.assistCampaign, keys.assistCampaigns, campaignShape);
  }

  async start(r: { room: string; campaign: string; user: string; assistId: string; shareCode: string; now: number }): Promise<{ assist: Assist; created: boolean }> {
    const k = this.keys;
    const reply = (await this.store.run(startScript,
      [k.assistCampaign(r.room, r.campaign), k.assistOwners(r.room, r.campaign), k.assist(r.room, r.assistId), k.assistRooms(), k.shareCodes(), k.schedule()],
      [r.user, r.now, r.assistId, r.room, r.shareCode, k.assistPrefix(r.room), scheduledKey('assist-expire', r.room, r.assistId)],
    )) as Array<Buffer | number>;
    if (Number(reply[0]) === SHARE_CODE_TAKEN) throw new ShareCodeTaken(r.shareCode);
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `assist campaign ${r.campaign}`);
    return { assist: toAssist(pairs(reply, 2)), created: Number(reply[1]) === 1 };
  }

  async help(r: { room: string; assist: string; user: string; helpId: string; now: number; requestTtlMs: number; rewardOrderId: string; rewardPayWindowMs: number }) {
    const k = this.keys;
    const campaign = (await this.store.hget(k.assist(r.room, r.assist), 'campaign')) ?? '-';
    const reply = (await this.store.run(helpScript,
      [k.assist(r.room, r.assist), k.assistCampaign(r.room, campaign), k.assistHelperCounts(r.room, campaign), k.assistOwners(r.room, campaign), k.request(r.room, r.helpId), k.orderRooms(), k.unsettledOrders()],
      [r.user, r.now, r.requestTtlMs, r.rewardOrderId, k.orderPrefix(r.room), r.rewardPayWindowMs],
    )) as Array<Buffer | number>;
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `assist ${r.assist}`);
    return { assist: toAssist(pairs(reply, 3)), replayed: Number(reply[1]) === 1, completedNow: Number(reply[2]) === 1 };
  }

  async expire(room: string, id: string, now: number): Promise<boolean> {
    const campaign = (await this.store.hget(this.keys.assist(room, id), 'campaign')) ?? '-';
    return Number(await this.store.run(expireScript, [this.keys.assist(room, id), this.keys.assistOwners(room, campaign)], [now])) === 1;
  }

  async assist(room: string, id: string): Promise<Assist | null> {
    const hash = await this.store.hgetall(this.keys.assist(room, id));
    return Object.keys(hash).length ? toAssist(hash) : null;
  }

  async locate(ref: { assist?: string; shareCode?: string }): Promise<{ room: string; id: string } | null> {
    if (ref.assist) {
      const room = await this.store.hget(this.keys.assistRooms(), ref.assist);
      return room ? { room, id: ref.assist } : null;
    }
    const target = ref.shareCode ? await this.store.hget(this.keys.shareCodes(), ref.shareCode) : null;
    if (!target) return null;
    const at = target.lastIndexOf('|');
    return { room: target.slice(0, at), id: target.slice(at + 1) };
  }
}

function toAssist(hash: Record<string, string>): Assist {
  return decodeHash<Assist>(hash, assistShape);
}
