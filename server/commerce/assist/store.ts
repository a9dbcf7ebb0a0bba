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
import type { Assist, AssistCampaign } from './model.ts';

const startScript = luaScript(new URL('./start-7.lua', import.meta.url));
const helpScript = luaScript(new URL('./help-8.lua', import.meta.url));
const expireScript = luaScript(new URL('./expire-2.lua', import.meta.url));

/** start-7.lua's answer when the share code is taken. */
const SHARE_CODE_TAKEN = -12;
const campaignShape = { numbers: ['price', 'target', 'ttlSec', 'perHelperLimit', 'started', 'completed'], json: ['product', 'reward', 'audience', 'firstOrderOnly'] };
const assistShape = { numbers: ['target', 'createdAt', 'expiresAt', 'completedAt'], json: ['helpers'] };

/** A help on an assist of `campaign` (the assist's own, as campaignOf answers it). */
export interface HelpRequest {
  room: string;
  assist: string;
  campaign: string;
  user: string;
  helpId: string;
  now: number;
  requestTtlMs: number;
  rewardOrderId: string;
  rewardPayWindowMs: number;
}

export interface HelpOutcome {
  assist: Assist;
  replayed: boolean;
  /** This help completed the assist. */
  completedNow: boolean;
}

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
    /** Which room an assist is in, and which assist a share code names (assist.help names no room): by the room as written, by the placed id or code as read. */
    rooms: (room: string) => k.index(room, 'assist-rooms'),
    roomsOf: (assist: string) => k.indexOf(assist, 'assist-rooms'),
    shareCodes: (room: string) => k.index(room, 'share-codes'),
    shareCodesOf: (code: string) => k.indexOf(code, 'share-codes'),
  };
}

export class ShareCodeTaken extends Error {
  override name = 'ShareCodeTaken';
}

/** Assist campaigns and their assists; every decision is one script (start-7, help-8, expire-2). */
export class AssistStore extends Records<AssistCampaign> {
  private readonly keys;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    const keys = { ...assistKeys(engine.keys), orders: orderKeys(engine.keys), liveOps: liveOpsKeys(engine.keys), participation: participationKeys(engine.keys), request: engine.keys.request, schedule: engine.keys.schedule };
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
      [k.campaign(r.room, r.campaign), k.owners(r.room, r.campaign), k.assist(r.room, r.assistId), k.rooms(r.room), k.shareCodes(r.room), k.schedule(r.room), k.participation.outbox(r.room)],
      [r.user, r.now, r.assistId, r.room, r.shareCode, k.prefix(r.room), dueKey(assistDue.expire, r.room, r.assistId)],
    )) as Array<Buffer | number>;
    if (Number(reply[0]) === SHARE_CODE_TAKEN) throw new ShareCodeTaken(r.shareCode);
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `assist campaign ${r.campaign}`);
    return { assist: toAssist(pairs(reply, 2)), created: Number(reply[1]) === 1 };
  }

  /** The campaign an assist belongs to (it never changes), or null when there is no such assist. */
  campaignOf(room: string, assist: string): Promise<string | null> {
    return this.store.hget(this.keys.assist(room, assist), 'campaign');
  }

  /** One help; the completing one completes the assist once (and reserves the reward purchase). A refusal throws. */
  async help(r: HelpRequest): Promise<HelpOutcome> {
    const [outcome] = await this.helpAll([r]);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Helps of one campaign's assists (one room, campaign, request ttl and pay window), decided one by
   * one in the order given, in one step (help-8.lua): each answered as alone, a refusal as its RoomcastError.
   */
  async helpAll(requests: readonly HelpRequest[]): Promise<Array<HelpOutcome | RoomcastError>> {
    const k = this.keys;
    const { room, campaign, requestTtlMs, rewardPayWindowMs } = requests[0]!;
    const keys = [k.campaign(room, campaign), k.helperCounts(room, campaign), k.owners(room, campaign), k.orders.rooms(room), k.orders.unsettled(room), k.liveOps.figures(room), k.liveOps.reach(room), k.participation.outbox(room)];
    const args: Array<string | number> = [requestTtlMs, k.orders.prefix(room), rewardPayWindowMs];
    for (const r of requests) {
      if (r.room !== room || r.campaign !== campaign || r.requestTtlMs !== requestTtlMs || r.rewardPayWindowMs !== rewardPayWindowMs) {
        throw new Error('helpAll: one campaign, request ttl and pay window per call');
      }
      keys.push(k.assist(room, r.assist), k.request(room, r.helpId));
      args.push(r.user, r.now, r.rewardOrderId);
    }
    const replies = (await this.store.run(helpScript, keys, args)) as Array<Array<Buffer | number>>;
    return replies.map((reply, i) => {
      if (Number(reply[0]) < 0) return refusal(Number(reply[0]), `assist ${requests[i]!.assist}`);
      return { assist: toAssist(pairs(reply, 3)), replayed: Number(reply[1]) === 1, completedNow: Number(reply[2]) === 1 };
    });
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
      const room = await this.store.hget(this.keys.roomsOf(ref.assist), ref.assist);
      return room ? { room, id: ref.assist } : null;
    }
    const target = ref.shareCode ? await this.store.hget(this.keys.shareCodesOf(ref.shareCode), ref.shareCode) : null;
    if (!target) return null;
    const at = target.lastIndexOf('|');
    return { room: target.slice(0, at), id: target.slice(at + 1) };
  }
}

function toAssist(hash: Record<string, string>): Assist {
  return decodeHash<Assist>(hash, assistShape);
}
