import { randomUUID } from 'node:crypto';
import { audienceTopics } from '../../core/topics.ts';
import type { Engine } from '../../platform/engine.ts';
import { CouponStore, type ClaimOutcome, type ClaimRequest } from './store.ts';
import { Batcher, type BatchOptions } from '../../platform/batch/batcher.ts';
import { Immutable } from '../../platform/batch/immutable.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { CouponPopupEvent } from '../../protocol/events.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { RoomService } from '../../rooms/service.ts';
import type { LiveState } from '../../platform/live-state.ts';
import type { IssuedCoupon } from '../../protocol/views.ts';
import type { Audience } from '../../protocol/views.ts';
import type { CouponCampaign } from './model.ts';
import { idForRequest } from '../request-ids.ts';
import { inAudience } from '../audience/audience.ts';
import type { CreateCoupon } from './schema.ts';

const REQUEST_TTL_MS = 24 * 3600 * 1000;

export type CouponView = Omit<CouponCampaign, 'room'>;

/**
 * Coupon pop-ups (弹券): the host pops a coupon to its audience (their tag and channel topics only,
 * nothing filtered per socket) with a countdown; viewers in the audience claim it until it closes.
 */
export class Coupons {
  private readonly store: CouponStore;
  /** Claims of one coupon, decided in batches: one script call per batch (claim-4.lua). */
  private readonly claims: Batcher<ClaimRequest, ClaimOutcome>;
  /** A campaign's audience never changes once made: read once per node, not on every claim. */
  private readonly audiences = new Immutable<Audience>();

  constructor(private readonly engine: Engine, private readonly rooms: RoomService, private readonly live: LiveState, batching: BatchOptions) {
    this.store = new CouponStore(engine);
    this.claims = new Batcher<ClaimRequest, ClaimOutcome>((_coupon, requests) => this.store.claimAll(requests), batching);
    rooms.onEnded((room) => this.closeAll(room));
  }

  /**
   * The live ended: open pop-ups close now (`closesAt` moved to the end), so the coupon's view says
   * so; claims were refused `ended` from the room's end already (claim.lua reads the room).
   */
  private async closeAll(room: string): Promise<void> {
    const now = Date.now();
    const open = (await this.store.list(room)).filter((c) => c.status === 'popped' && (c.closesAt ?? 0) > now);
    await Promise.all(open.map((c) => this.store.transition(room, c.id, ['popped'], 'popped', { closesAt: now })));
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
    if ((await this.rooms.get(room)).status === 'ended') throw new RoomcastError('ended', `room ${room} has ended`);
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

  /** Who may claim the coupon: read from the store the first time; not_found when there is no such coupon. */
  private async audience(room: string, id: string): Promise<Audience> {
    const audience = await this.audiences.get(campaignKey(room, id), async () => (await this.store.get(room, id))?.audience);
    if (!audience) throw new RoomcastError('not_found', `no coupon ${id} in room ${room}`);
    return audience;
  }

  async claim(viewer: Identity, args: { room: string; coupon: string; requestId: string }): Promise<IssuedCoupon> {
    if (!inAudience(viewer, await this.audience(args.room, args.coupon))) throw new RoomcastError('not_eligible', `coupon ${args.coupon} is for another audience`);
    const outcome = await this.claims.submit(campaignKey(args.room, args.coupon), {
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

/** The key of a campaign in `audiences`. */
function campaignKey(room: string, id: string): string {
  return `${room}|${id}`;
}

function view({ room: _room, ...campaign }: CouponCampaign): CouponView {
  return campaign;
}
