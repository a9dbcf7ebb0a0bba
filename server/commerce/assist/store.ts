import type { Engine } from '../../platform/engine.ts';
import type { Keys } from '../../platform/keys.ts';
import { pairs } from '../../platform/records/hashes.ts';
import { decodeHash, Records } from '../../platform/records/records.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { dueKey } from '../../platform/scheduler/due-work.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import { orderKeys } from '../../orders/store.ts';
import type { Assist, AssistCampaign } from './model.ts';

const startScript = luaScript(new URL('./start-6.lua', import.meta.url));
const helpScript = luaScript(new URL('./help-7.lua', import.meta.url));
const expireScript = luaScript(new URL('./expire-2.lua', import.meta.url));

/** start-6.lua's answer when the share code is taken. */
const SHARE_CODE_TAKEN = -12;
const campaignShape = { numbers: ['price', 'target', 'ttlSec', 'perHelperLimit', 'started', 'completed'], json: ['product', 'reward'] };
const assistShape = { numbers: ['target', 'createdAt', 'expiresAt', 'completedAt'], json: ['helpers'] };

/** The due work an assist schedules: its expiry. */
export const assistDue = { expire: 'assist-expire' } as const;

/**
 * A campaign's hash and the room's set of them; per campaign, each owner's open assist and each
 * helper's count; each assist's hash. Two keys outside the rooms: which room an assist is in, and
 * what a share code points at, since a friend's help names no room.
 */
export function assistKeys(k: Keys) {
  return {
    campaign: (room: string, campaign: string) => k.room(room, `assist-campaign:${campaign}`),
    campaigns: (room: string) => k.room(room, 'assists'),
    owners: (room: string, campaign: string) => k.room(room, `assist-campaign:${campaign}:open-owners`),
    helperCounts: (room: string, campaign: string) => k.room(room, `assist-campaign:${campaign}:helper-counts`),
    /** Assist keys of a room are this prefix and the assist id. */
    prefix: (room: string) => k.room(room, 'assist:'),
    assist: (room: string, assist: string) => k.room(room, `assist:${assist}`),
    rooms: () => k.global('assist-rooms'),
    shareCodes: () => k.global('share-codes'),
  };
}

export class ShareCodeTaken extends Error {
  override name = 'ShareCodeTaken';
}

/** Assist campaigns and their assists; every decision is one script (start-6, help-7, expire-2). */
export class AssistStore extends Records<AssistCampaign> {
  private readonly keys;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    const keys = { ...assistKeys(engine.keys), orders: orderKeys(engine.keys), request: engine.keys.request, schedule: engine.keys.schedule };
    super(engine, keys.campaign, keys.campaigns, campaignShape);
    this.keys = keys;
  }

  /**
   * A new assist, or the user's open one of this campaign, or the one this request made before
   * (`created` false). Throws ShareCodeTaken when the share code is someone else's: draw another.
   */
  async start(r: { room: string; campaign: string; user: string; assistId: string; shareCode: string; now: number }): Promise<{ assist: Assist; created: boolean }> {
    const k = this.keys;
    const reply = (await this.store.run(startScript,
      [k.campaign(r.room, r.campaign), k.owners(r.room, r.campaign), k.assist(r.room, r.assistId), k.rooms(), k.shareCodes(), k.schedule()],
      [r.user, r.now, r.assistId, r.room, r.shareCode, k.prefix(r.room), dueKey(assistDue.expire, r.room, r.assistId)],
    )) as Array<Buffer | number>;
    if (Number(reply[0]) === SHARE_CODE_TAKEN) throw new ShareCodeTaken(r.shareCode);
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `assist campaign ${r.campaign}`);
    return { assist: toAssist(pairs(reply, 2)), created: Number(reply[1]) === 1 };
  }

  /** One help; the completing one completes the assist once (and reserves the reward purchase). */
  async help(r: { room: string; assist: string; user: string; helpId: string; now: number; requestTtlMs: number; rewardOrderId: string; rewardPayWindowMs: number }) {
    const k = this.keys;
    const campaign = (await this.store.hget(k.assist(r.room, r.assist), 'campaign')) ?? '-';
    const reply = (await this.store.run(helpScript,
      [k.assist(r.room, r.assist), k.campaign(r.room, campaign), k.helperCounts(r.room, campaign), k.owners(r.room, campaign), k.request(r.room, r.helpId), k.orders.rooms(), k.orders.unsettled()],
      [r.user, r.now, r.requestTtlMs, r.rewardOrderId, k.orders.prefix(r.room), r.rewardPayWindowMs],
    )) as Array<Buffer | number>;
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `assist ${r.assist}`);
    return { assist: toAssist(pairs(reply, 3)), replayed: Number(reply[1]) === 1, completedNow: Number(reply[2]) === 1 };
  }

  /** Expires an open assist past its time, once. */
  async expire(room: string, id: string, now: number): Promise<boolean> {
    const campaign = (await this.store.hget(this.keys.assist(room, id), 'campaign')) ?? '-';
    return Number(await this.store.run(expireScript, [this.keys.assist(room, id), this.keys.owners(room, campaign)], [now])) === 1;
  }

  async assist(room: string, id: string): Promise<Assist | null> {
    const hash = await this.store.hgetall(this.keys.assist(room, id));
    return Object.keys(hash).length ? toAssist(hash) : null;
  }

  /** Where an assist is, by its id or its share code (assist.help names no room). */
  async locate(ref: { assist?: string; shareCode?: string }): Promise<{ room: string; id: string } | null> {
    if (ref.assist) {
      const room = await this.store.hget(this.keys.rooms(), ref.assist);
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
