import { randomUUID } from 'node:crypto';
import { audienceTopics } from '../../core/topics.ts';
import type { Engine } from '../../platform/engine.ts';
import { CouponStore } from './store.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { CouponPopupEvent } from '../../protocol/events.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { RoomService } from '../../rooms/service.ts';
import type { LiveState } from '../../platform/live-state.ts';
import type { IssuedCoupon } from '../../protocol/views.ts';
import type { CouponCampaign } from './model.ts';
import { idForRequest } from '../request-ids.ts';
import { inAudience } from './audience.ts';
import type { CreateCoupon } from './schema.ts';

const REQUEST_TTL_MS = 24 * 3600 * 1000;

export type CouponView = Omit<CouponCampaign, 'room'>;

/**
 * Coupon pop-ups (弹券): the host pops a coupon to its audience (their tag and channel topics only,
 * nothing filtered per socket) with a countdown; viewers in the audience claim it until it closes.
 */
export class Coupons {
  private readonly store: CouponStore;

  constructor(private readonly engine: Engine, private readonly rooms: RoomService, private readonly live: LiveState) {
    this.store = new CouponStore(engine);
  }

  async create(room: string, input: CreateCoupon): Promise<CouponView> {
    await this.rooms.get(room);
    const campaign: CouponCampaign = { ...input, id: input.id ?? randomUUID().slice(0, 8), room, status: 'created', left: input.quantity, issued: 0 };
    if (!(await this.store.create(campaign))) throw new RoomcastError('already_done', `coupon ${campaign.id} already exists`);
    await this.store.publishLeft(room, campaign.id);
    return view(campaign);
  }

  async get(room: string, id: string): Promise<CouponView> {
    const campaign = await this.store.get(room, id);
    if (!campaign) throw new RoomcastError('not_found', `no coupon ${id} in room ${room}`);
    return view(campaign);
  }

  async list(room: string): Promise<CouponView[]> {
    return (await this.store.list(room)).map(view);
  }

  /** The host pops it: a critical `coupon.popup` to the audience's topics, claimable for popupSec. */
  async pop(room: string, id: string): Promise<CouponView> {
    const now = Date.now();
    const current = await this.get(room, id);
    const campaign = await this.store.transition(room, id, ['created'], 'popped', { poppedAt: now, closesAt: now + current.popupSec * 1000 });
    if (!campaign) throw new RoomcastError('already_done', `coupon ${id} was already popped`);
    const { title, value, minSpend, left, closesAt, popupSec } = campaign;
    await this.engine.broker.publishEvent(room, audienceTopics(room, campaign.audience), {
      type: 'coupon.popup',
      data: { coupon: id, title, value, minSpend, left, closesAt: closesAt!, popupSec } satisfies CouponPopupEvent,
    });
    return view(campaign);
  }

  async claim(viewer: Identity, args: { room: string; coupon: string; requestId: string }): Promise<IssuedCoupon> {
    const campaign = await this.store.get(args.room, args.coupon);
    if (!campaign) throw new RoomcastError('not_found', `no coupon ${args.coupon} in room ${args.room}`);
    if (!inAudience(viewer, campaign.audience)) throw new RoomcastError('not_eligible', `coupon ${args.coupon} is for another audience`);
    const outcome = await this.store.claim({
      room: args.room,
      campaign: args.coupon,
      user: viewer.sub,
      couponId: idForRequest('c', args.room, args.coupon, viewer.sub, args.requestId),
      requestId: args.requestId,
      now: Date.now(),
      requestTtlMs: REQUEST_TTL_MS,
    });
    if (!outcome.replayed) this.live.mark(`coupon|${args.room}|${args.coupon}`, () => this.store.publishLeft(args.room, args.coupon));
    return outcome.coupon;
  }
}

function view({ room: _room, ...campaign }: CouponCampaign): CouponView {
  return campaign;
}
