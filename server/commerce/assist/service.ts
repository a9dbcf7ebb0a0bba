import { randomBytes, randomUUID } from 'node:crypto';
import type { Engine } from '../../platform/engine.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { AssistCompletedEvent, AssistProgressEvent } from '../../protocol/events.ts';
import type { Identity } from '../../protocol/frames.ts';
import { NO_METER, NO_PIPELINE, type CustomerHook, type OrderMeter, type OrderPipeline } from '../../orders/pipeline.ts';
import type { RoomService } from '../../rooms/service.ts';
import type { AssistView } from '../../protocol/views.ts';
import type { Assist, AssistCampaign } from './model.ts';
import { idForRequest } from '../request-ids.ts';
import type { CreateAssist } from './schema.ts';
import { assistDue, AssistStore, ShareCodeTaken, type HelpOutcome, type HelpRequest } from './store.ts';
import { Batcher, type BatchOptions } from '../../platform/batch/batcher.ts';
import { Immutable } from '../../platform/batch/immutable.ts';
import { CouponStore } from '../coupon/store.ts';
import type { DueWork } from '../../platform/scheduler/due-work.ts';
import type { Eligibility } from '../audience/eligibility.ts';

const REQUEST_TTL_MS = 24 * 3600 * 1000;
const REWARD_PAY_WINDOW_MS = 15 * 60 * 1000;
/** Share codes avoid look-alike characters (0/O, 1/I/L): people read them off a share card. */
const SHARE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export type AssistCampaignView = Omit<AssistCampaign, 'room'>;

/**
 * Assist / referral (助力): a viewer starts an assist and shares its code; friends help once each;
 * the help that reaches the target completes it once and grants the reward (a coupon, or a
 * reserved purchase at the campaign's price). Progress goes to the owner's own topic.
 */
export class Assists {
  private readonly store: AssistStore;
  private readonly coupons: CouponStore;
  /** Helps of one campaign's assists, decided in batches: one script call per batch (help-5.lua). */
  private readonly helps: Batcher<HelpRequest, HelpOutcome>;
  /** Where an assist or share code points, and an assist's campaign: never change once made. */
  private readonly places = new Immutable<{ room: string; id: string; campaign: string }>();

  constructor(
    private readonly engine: Engine,
    private readonly rooms: RoomService,
    batching: BatchOptions,
    private readonly eligibility: Eligibility,
    private readonly pipeline: OrderPipeline = NO_PIPELINE,
    private readonly onCustomer: CustomerHook = async () => {},
    private readonly meter: OrderMeter = NO_METER,
  ) {
    this.store = new AssistStore(engine);
    this.coupons = new CouponStore(engine);
    this.helps = new Batcher<HelpRequest, HelpOutcome>((_campaign, requests) => this.store.helpAll(requests), batching);
  }

  /** What comes due for assists: an open assist's expiry. */
  handleDue(due: DueWork): void {
    due.on(assistDue.expire, (room, assist) => this.expire(room, assist));
  }

  async create(room: string, input: CreateAssist): Promise<AssistCampaignView> {
    await this.rooms.get(room);
    if (input.reward.coupon && !(await this.coupons.get(room, input.reward.coupon))) {
      throw new RoomcastError('not_found', `reward.coupon: no coupon ${input.reward.coupon} in room ${room}`);
    }
    const campaign: AssistCampaign = { ...input, id: input.id ?? randomUUID().slice(0, 8), room, status: 'live', started: 0, completed: 0 };
    if (!(await this.store.create(campaign))) throw new RoomcastError('already_done', `assist campaign ${campaign.id} already exists`);
    return view(campaign);
  }

  async get(room: string, id: string): Promise<AssistCampaignView & { open: number }> {
    const campaign = await this.store.get(room, id);
    if (!campaign) throw new RoomcastError('not_found', `no assist campaign ${id} in room ${room}`);
    return { ...view(campaign), open: campaign.started - campaign.completed };
  }

  async list(room: string): Promise<AssistCampaignView[]> {
    return (await this.store.list(room)).map(view);
  }

  async start(owner: Identity, args: { room: string; campaign: string; requestId: string }): Promise<AssistView> {
    await this.eligibility.admit(owner, `assist|${args.room}|${args.campaign}`, async () => (await this.store.get(args.room, args.campaign)) ?? undefined);
    const { assist } = await this.startWithFreshCode({
      room: args.room,
      campaign: args.campaign,
      user: owner.sub,
      assistId: this.engine.keys.placed(args.room, idForRequest('a', args.room, args.campaign, owner.sub, args.requestId)),
      now: Date.now(),
    });
    return assistView(assist);
  }

  async help(helper: Identity, args: { assist?: string; shareCode?: string; requestId: string }): Promise<AssistView> {
    const where = await this.places.get(args.assist ? `assist\n${args.assist}` : `code\n${args.shareCode}`, async () => {
      const found = await this.store.locate(args);
      const campaign = found && (await this.store.campaignOf(found.room, found.id));
      return found && campaign ? { ...found, campaign } : undefined;
    });
    if (!where) throw new RoomcastError('not_found', 'no such assist');
    const { assist, replayed, completedNow } = await this.helps.submit(`${where.room}|${where.campaign}`, {
      room: where.room,
      assist: where.id,
      campaign: where.campaign,
      user: helper.sub,
      helpId: idForRequest('h', where.room, where.id, helper.sub, args.requestId),
      now: Date.now(),
      requestTtlMs: REQUEST_TTL_MS,
      rewardOrderId: this.engine.keys.placed(where.room, idForRequest('o', where.room, where.id, '', 'reward')),
      rewardPayWindowMs: REWARD_PAY_WINDOW_MS,
    });
    if (!replayed) {
      await this.engine.broker.publishToUser(assist.owner, { type: 'assist.progress', data: { ...assistView(assist), helper: helper.name } satisfies AssistProgressEvent });
    }
    if (completedNow) await this.complete(assist);
    return assistView(assist);
  }

  /** Share codes are random; the rare one already in use is drawn again. */
  private async startWithFreshCode(request: Omit<Parameters<AssistStore['start']>[0], 'shareCode'>, attempts = 5) {
    for (let i = 1; ; i++) {
      try {
        return await this.store.start({ ...request, shareCode: this.engine.keys.placed(request.room, shareCode()) });
      } catch (err) {
        if (!(err instanceof ShareCodeTaken) || i >= attempts) throw err;
      }
    }
  }

  async expire(room: string, id: string): Promise<boolean> {
    if (!(await this.store.expire(room, id, Date.now()))) return false;
    const assist = (await this.store.assist(room, id))!;
    await this.engine.broker.publishToUser(assist.owner, { type: 'assist.expired', data: assistView(assist) });
    return true;
  }

  private async complete(assist: Assist): Promise<void> {
    const campaign = (await this.store.get(assist.room, assist.campaign))!;
    if (assist.order) {
      this.pipeline.reserved(assist.order);
      this.meter('reserved', campaign.price ?? 0);
    }
    const reward = campaign.reward.coupon
      ? { coupon: await this.coupons.grant(assist.room, campaign.reward.coupon, assist.owner, idForRequest('c', assist.room, assist.id, assist.owner, 'reward'), Date.now()) }
      : assist.order ? { order: assist.order } : {};
    await this.engine.broker.publishToUser(assist.owner, { type: 'assist.completed', data: { ...assistView(assist), reward } satisfies AssistCompletedEvent });
    await this.onCustomer(assist.owner, assist.room);
  }
}

/** 8 characters, each uniform over the alphabet (bytes past the last full multiple are redrawn). */
function shareCode(): string {
  const limit = 256 - (256 % SHARE_ALPHABET.length);
  let code = '';
  while (code.length < 8) {
    for (const b of randomBytes(16)) if (b < limit && code.length < 8) code += SHARE_ALPHABET[b % SHARE_ALPHABET.length];
  }
  return code;
}

function assistView(a: Assist): AssistView {
  return { id: a.id, campaign: a.campaign, helpers: a.helpers.length, target: a.target, status: a.status, expiresAt: a.expiresAt, shareCode: a.shareCode };
}

function view({ room: _room, ...campaign }: AssistCampaign): AssistCampaignView {
  return campaign;
}
