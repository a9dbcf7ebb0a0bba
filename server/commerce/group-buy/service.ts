import { randomUUID } from 'node:crypto';
import { audienceTopics } from '../../core/topics.ts';
import type { Eligibility } from '../audience/eligibility.ts';
import type { Engine } from '../../platform/engine.ts';
import type { DueWork } from '../../platform/scheduler/due-work.ts';
import { OrderStore } from '../../orders/store.ts';
import { groupDue, GroupBuyStore, groupStateKey, type JoinOutcome, type JoinRequest } from './store.ts';
import { Batcher, type BatchOptions } from '../../platform/batch/batcher.ts';
import { Immutable } from '../../platform/batch/immutable.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { GroupFailedEvent, GroupFormedEvent } from '../../protocol/events.ts';
import type { Identity } from '../../protocol/frames.ts';
import { NO_METER, NO_PIPELINE, type OrderMeter, type OrderPipeline } from '../../orders/pipeline.ts';
import type { RoomService } from '../../rooms/service.ts';
import type { GroupProgress, GroupView } from '../../protocol/views.ts';
import type { Group, GroupBuyCampaign } from './model.ts';
import { idForRequest } from '../request-ids.ts';
import type { Ticker } from '../ticker.ts';
import type { CreateGroupBuy } from './schema.ts';

const REQUEST_TTL_MS = 24 * 3600 * 1000;

export type GroupBuyView = Omit<GroupBuyCampaign, 'room'>;

/**
 * Group-buys (拼团): a viewer opens a group and others join it; seats are taken at join time, the
 * filling seat forms the group once, and a group out of time fails once, releasing every seat.
 * Every viewer in the room watches groups fill through the `group:{id}` state.
 */
export class GroupBuys {
  private readonly store: GroupBuyStore;
  private readonly orders: OrderStore;
  /** Joins of one campaign's groups, decided in batches: one script call per batch (join-6.lua). */
  private readonly joins: Batcher<JoinRequest, JoinOutcome>;
  private readonly campaigns = new Immutable<string>();

  constructor(
    private readonly engine: Engine,
    private readonly rooms: RoomService,
    private readonly ticker: Ticker,
    batching: BatchOptions,
    private readonly eligibility: Eligibility,
    private readonly pipeline: OrderPipeline = NO_PIPELINE,
    private readonly meter: OrderMeter = NO_METER,
  ) {
    this.store = new GroupBuyStore(engine);
    this.orders = new OrderStore(engine);
    this.joins = new Batcher<JoinRequest, JoinOutcome>((_campaign, requests) => this.store.joinAll(requests), batching);
  }

  /** What comes due for group-buys: an open group's expiry. */
  handleDue(due: DueWork): void {
    due.on(groupDue.expire, (room, group) => this.expire(room, group));
  }

  async create(room: string, input: CreateGroupBuy): Promise<GroupBuyView> {
    await this.rooms.get(room);
    const campaign: GroupBuyCampaign = { ...input, id: input.id ?? randomUUID().slice(0, 8), room, status: 'live', opened: 0, formed: 0, failed: 0 };
    if (!(await this.store.create(campaign))) throw new RoomcastError('already_done', `group-buy ${campaign.id} already exists`);
    return view(campaign);
  }

  async get(room: string, id: string): Promise<GroupBuyView & { open: number }> {
    const campaign = await this.store.get(room, id);
    if (!campaign) throw new RoomcastError('not_found', `no group-buy ${id} in room ${room}`);
    return { ...view(campaign), open: campaign.opened - campaign.formed - campaign.failed };
  }

  async list(room: string): Promise<GroupBuyView[]> {
    return (await this.store.list(room)).map(view);
  }

  async open(viewer: Identity, args: { room: string; campaign: string; requestId: string }): Promise<GroupView> {
    const { room, campaign, requestId } = args;
    await this.admit(viewer, room, campaign);
    const { group, replayed } = await this.store.open({
      room, campaign, user: viewer.sub, requestId, now: Date.now(), requestTtlMs: REQUEST_TTL_MS,
      groupId: idForRequest('g', room, campaign, viewer.sub, requestId),
      orderId: this.engine.keys.placed(room, idForRequest('o', room, campaign, viewer.sub, requestId)),
    });
    if (!replayed) {
      this.reserved(group.orders[0]!);
      await this.publishProgress(group);
    }
    return groupView(group, viewer.sub);
  }

  async join(viewer: Identity, args: { room: string; group: string; requestId: string }): Promise<GroupView> {
    const { room, requestId } = args;
    const campaign = await this.campaigns.get(`${room}|${args.group}`, async () => (await this.store.campaignOf(room, args.group)) ?? undefined);
    if (!campaign) throw new RoomcastError('not_found', `group ${args.group}: not found`);
    await this.admit(viewer, room, campaign);
    const { group, replayed, formedNow } = await this.joins.submit(`${room}|${campaign}`, {
      room, group: args.group, campaign, user: viewer.sub, requestId, now: Date.now(), requestTtlMs: REQUEST_TTL_MS,
      orderId: this.engine.keys.placed(room, idForRequest('o', room, args.group, viewer.sub, requestId)),
    });
    if (!replayed) {
      this.reserved(group.orders[group.members.indexOf(viewer.sub)]!);
      await this.publishProgress(group);
    }
    if (formedNow) await this.announceFormed(group, viewer);
    return groupView(group, viewer.sub);
  }

  /**
   * Open groups of a campaign, fullest first: where a viewer's join completes a group soonest. A
   * viewer outside the campaign's audience is not shown them (`not_eligible`); the host sees all.
   */
  async openGroups(room: string, campaign: string, viewer?: Identity): Promise<GroupView[]> {
    if (viewer) await this.admit(viewer, room, campaign);
    return (await this.store.openGroups(room, campaign, 20)).map((g) => groupView(g));
  }

  /**
   * An open group ran out of time: it fails once, unpaid seats' reservations go, paid ones move to
   * `refunding`, members hear why. Run again (a node died mid-way and the schedule handed the work
   * on), it refunds whatever is still `refunding`: refunds are idempotent by order.
   */
  async expire(room: string, id: string): Promise<boolean> {
    const seats = await this.store.expire(room, id, Date.now());
    const group = await this.store.group(room, id);
    if (group?.status === 'failed') await this.refundPaidSeats(group);
    if (!seats || !group) return false;
    const price = (await this.store.get(room, group.campaign))?.price ?? 0;
    for (const { stateBefore } of seats) this.meter(stateBefore === 'paid' ? 'refunding' : 'expired', price);
    await this.publishProgress(group);
    await Promise.all(seats.map(({ member, order, stateBefore }) =>
      this.engine.broker.publishToUser(member, {
        type: 'group.failed',
        data: { group: id, campaign: group.campaign, order, refund: stateBefore === 'paid' } satisfies GroupFailedEvent,
      })));
    return true;
  }

  /** A seat's reservation: to the mall, and counted at the campaign's price (every seat's amount). */
  private reserved(orderId: string): void {
    this.pipeline.reserved(orderId);
    void this.orders.get(orderId).then((order) => order && this.meter('reserved', order.amount), () => undefined);
  }

  private async refundPaidSeats(group: Group): Promise<void> {
    const orders = await Promise.all(group.orders.map((id) => this.orders.get(id)));
    for (const order of orders) if (order?.state === 'refunding') this.pipeline.refund(order.id, `group ${group.id} did not form`);
  }

  private async announceFormed(group: Group, completedBy: Identity): Promise<void> {
    const { broker } = this.engine;
    const data: GroupFormedEvent = { group: group.id, campaign: group.campaign, members: group.members.length };
    const terms = await this.eligibility.termsOf(this.offerKey(group.room, group.campaign), () => this.campaign(group.room, group.campaign));
    await broker.publishEvent(group.room, audienceTopics(group.room, terms?.audience ?? {}), { type: 'group.formed', data });
    await Promise.all(group.members.map((member, i) => broker.publishToUser(member, { type: 'group.formed', data: { ...data, order: group.orders[i] } satisfies GroupFormedEvent })));
    const campaign = await this.store.get(group.room, group.campaign);
    this.ticker.justBought(group.room, { name: completedBy.name, product: campaign?.product.title ?? '', group: true });
  }

  /** `not_eligible` outside the campaign's audience, or for a first-order-only campaign once paid. */
  private admit(viewer: Identity, room: string, campaign: string): Promise<void> {
    return this.eligibility.admit(viewer, this.offerKey(room, campaign), () => this.campaign(room, campaign));
  }

  private async campaign(room: string, id: string): Promise<GroupBuyCampaign | undefined> {
    return (await this.store.get(room, id)) ?? undefined;
  }

  private offerKey(room: string, campaign: string): string {
    return `group|${room}|${campaign}`;
  }

  private publishProgress(group: Group): Promise<void> {
    return this.engine.broker.publishState(group.room, groupStateKey(group.id), { members: group.members.length, size: group.size, status: group.status } satisfies GroupProgress);
  }
}

function groupView(group: Group, user?: string): GroupView {
  const mine = user === undefined ? -1 : group.members.indexOf(user);
  return {
    id: group.id, campaign: group.campaign, members: group.members.length, size: group.size, status: group.status, expiresAt: group.expiresAt,
    ...(mine >= 0 ? { order: group.orders[mine] } : {}),
  };
}

function view({ room: _room, ...campaign }: GroupBuyCampaign): GroupBuyView {
  return campaign;
}
