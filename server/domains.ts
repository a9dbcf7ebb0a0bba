import type Router from '@koa/router';
import type { Config } from './config/schema.ts';
import { viewerIds } from './auth/viewer-ids.ts';
import type { Handlers } from './core/handlers.ts';
import type { OpHandler } from './core/session.ts';
import type { Logger } from './observability/logger.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Engine } from './platform/engine.ts';
import { BullJobQueues, jobsRedis } from './platform/jobs/bullmq.ts';
import { MemoryJobQueues } from './platform/jobs/memory.ts';
import type { JobQueues } from './platform/jobs/queue.ts';
import { LiveState } from './platform/live-state.ts';
import { DueWork } from './platform/scheduler/due-work.ts';
import type { Identity } from './protocol/frames.ts';
import type { OpName } from './protocol/ops.ts';
import type { Audience } from './protocol/views.ts';
import { assistOps } from './commerce/assist/ops.ts';
import { assistRoutes } from './commerce/assist/routes.ts';
import { Assists } from './commerce/assist/service.ts';
import { couponOps } from './commerce/coupon/ops.ts';
import { couponRoutes } from './commerce/coupon/routes.ts';
import { inAudience } from './commerce/audience/audience.ts';
import { Eligibility } from './commerce/audience/eligibility.ts';
import { Coupons } from './commerce/coupon/service.ts';
import { flashOps } from './commerce/flash-sale/ops.ts';
import { flashSaleRoutes } from './commerce/flash-sale/routes.ts';
import { FlashSales } from './commerce/flash-sale/service.ts';
import { groupOps } from './commerce/group-buy/ops.ts';
import { groupBuyRoutes } from './commerce/group-buy/routes.ts';
import { GroupBuys } from './commerce/group-buy/service.ts';
import { Ticker } from './commerce/ticker.ts';
import { gameOps } from './games/ops.ts';
import { gameRoutes } from './games/routes.ts';
import { Games } from './games/service.ts';
import { adoptGameJobs } from './games/upgrade.ts';
import { HttpMallAdapter } from './orders/mall/http-adapter.ts';
import { mallNotifyRoutes, orderRoutes } from './orders/routes.ts';
import type { OrderMeter } from './orders/pipeline.ts';
import { Orders } from './orders/service.ts';
import { Settlement } from './orders/settlement.ts';
import { OrderStore } from './orders/store.ts';
import { auditOps, auditRouter } from './live-ops/audit/actions.ts';
import { auditOp, auditRoutes } from './live-ops/audit/routes.ts';
import { Audit } from './live-ops/audit/service.ts';
import { consoleOps } from './live-ops/console/ops.ts';
import { figuresOps } from './live-ops/figures/ops.ts';
import { FiguresPusher } from './live-ops/figures/pusher.ts';
import { figuresRoutes } from './live-ops/figures/routes.ts';
import { Figures } from './live-ops/figures/service.ts';
import { fakeContentCheck, noContentCheck } from './live-ops/moderation/content-check.ts';
import { moderationOps } from './live-ops/moderation/ops.ts';
import { moderationRoutes } from './live-ops/moderation/routes.ts';
import { Moderation } from './live-ops/moderation/service.ts';
import { crmWebhook } from './participation/crm.ts';
import { prizeFulfilment } from './games/fulfilment/fulfil.ts';
import { FulfilmentStatuses } from './games/fulfilment/statuses.ts';
import { participationRoutes } from './participation/routes.ts';
import { Participation } from './participation/service.ts';
import { roomOps } from './rooms/ops.ts';
import { roomRoutes } from './rooms/routes.ts';
import { RoomService } from './rooms/service.ts';
import { Retention } from './retention/service.ts';
import { HttpWeComClient } from './wecom/api/http-client.ts';
import { wecomCallbackRoutes } from './wecom/callback.ts';
import { CorpTags } from './wecom/tags/corp-tags.ts';
import { WeComStore } from './wecom/store.ts';
import { warmingRoutes } from './wecom/warming/routes.ts';
import { GroupWarming } from './wecom/warming/warming.ts';
import { wecomTags } from './wecom/tags/sink.ts';
import { TagStore } from './wecom/tags/store.ts';
import { Tagger } from './wecom/tags/tagger.ts';
import { WeComCrypto } from './wecom/crypto.ts';
import { wecomOps } from './wecom/ops.ts';
import { reconcileEvery } from './wecom/routing/reconcile.ts';
import { WeComRouting } from './wecom/routing/service.ts';
import { wecomRoutes } from './wecom/routes.ts';

/** Every domain over one engine, ready for the transports and the HTTP app that node.ts puts around them. */
export interface Domains {
  rooms: RoomService;
  /** Every op of the protocol, by name: what the core's sessions dispatch to. */
  handlers: Record<OpName, OpHandler>;
  /** The API behind the API key. */
  routes: Router[];
  /** Webhooks that authenticate themselves (the mall's payment results, WeCom's callbacks). */
  signedRoutes: Router[];
  queues: JobQueues;
  start(): Promise<void>;
  /**
   * Stops the timers; what is in flight is left to its lease. The job queues stay open until the
   * sockets are closed (node.ts), so an op that arrives while draining still gets its job added.
   */
  stop(): Promise<void>;
}

/**
 * Wires each domain's service to the engine and to the domains it uses (a paid order invites its
 * buyer into a WeCom group; reservations go to settlement), each tool's socket ops and HTTP routes,
 * and its due work to the one scheduler.
 */
export function createDomains(config: Config, engine: Engine, metrics: Metrics, log: Logger): Domains {
  const rooms = new RoomService(engine);
  const live = new LiveState(config.rooms.tickMs, log);
  const ticker = new Ticker(engine.broker, config.rooms.chatterPerTick, config.rooms.tickMs, log);
  const bull = jobsRedis(config);
  const queues = engine.kind === 'redis' ? new BullJobQueues(bull.open, bull.prefix, log) : new MemoryJobQueues(log);
  const meter: OrderMeter = (state, amount) => {
    metrics.orders.inc({ state });
    metrics.gmv.inc({ state }, amount);
  };
  const settlement = config.mall.url
    ? new Settlement(
        engine,
        queues,
        new HttpMallAdapter({ url: config.mall.url, secret: config.mall.secret, timeoutMs: config.mall.timeoutMs }),
        {
          policy: { attempts: config.mall.attempts, backoffMs: config.mall.retryBaseMs, maxBackoffMs: config.mall.retryMaxMs, concurrency: config.mall.concurrency },
          sweepEveryMs: config.mall.sweepEveryMs,
          sweepGraceMs: config.mall.sweepGraceMs,
        },
        log,
        meter,
      )
    : undefined;
  if (!settlement) log.info('MALL_URL unset: reserved orders are not pushed to a mall');

  const wecomClient = new HttpWeComClient({
    apiBase: config.wecom.apiBase,
    corpId: config.wecom.corpId,
    secret: config.wecom.secret,
    budgetPerMinute: config.wecom.budgetPerMinute,
    budgetWindowMs: config.wecom.budgetWindowMs,
    rateLimitRetries: 3,
    backoffMs: 1000,
    timeoutMs: 5000,
    observe: (api, outcome) => metrics.wecomCalls.inc({ api, outcome }),
  });
  const wecom = new WeComRouting(engine, wecomClient, config.wecom.groupCap, log, (what, pool) => metrics.wecomRouting.inc({ what, pool }));
  const warming = new GroupWarming(engine, wecomClient, new WeComStore(engine), engine.locks, async (room) => (await rooms.get(room)).title,
    { ...config.wecom.miniprogram, coverRefreshMs: config.wecom.coverRefreshMs }, log);
  const invite = (user: string, room: string) => wecom.invite(user, room);
  const batching = (decision: string) => ({
    windowMs: config.commerce.batchWindowMs,
    maxSize: config.commerce.batchMaxSize,
    observe: (size: number, seconds: number) => {
      metrics.batchSize.observe({ decision }, size);
      metrics.batchSeconds.observe({ decision }, seconds);
    },
  });
  // Offers for an audience, and first orders only (新人购): the "has paid" mark is the payment step's.
  const paidOrders = new OrderStore(engine);
  const eligibility = new Eligibility((user) => paidOrders.hasPaid(user));
  const flash = new FlashSales(engine, rooms, live, ticker, batching('flash.buy'), eligibility, settlement, meter);
  const coupons = new Coupons(engine, rooms, live, batching('coupon.claim'));
  const groups = new GroupBuys(engine, rooms, ticker, batching('group.join'), eligibility, settlement, meter);
  const assists = new Assists(engine, rooms, batching('assist.help'), eligibility, settlement, invite, meter);
  const viewerId = viewerIds(config.auth.jwtSecret);
  const games = new Games(engine, rooms, live, log, viewerId);
  const orders = new Orders(engine, flash, log, invite, settlement, meter);
  const { moderation: moderationConfig } = config;
  const contentCheck = moderationConfig.contentCheck === 'fake' ? fakeContentCheck(moderationConfig.contentCheckFlags) : noContentCheck;
  const moderation = new Moderation(engine, viewerId, moderationConfig.keywords, contentCheck);
  const figures = new Figures(engine, { coupons: (room) => coupons.list(room), groupBuys: (room) => groups.list(room), assists: (room) => assists.list(room) });
  const figuresPusher = new FiguresPusher(figures, 1000, log);
  const audit = new Audit(engine, log);
  // Corp tags on viewers (wecom/tags/): what they took part in, as the rules in wecom.tags name it.
  const tagStore = new TagStore(engine);
  const tagger = new Tagger(wecomClient, tagStore, new CorpTags(wecomClient, tagStore, engine.locks, config.wecom.tags.groupName), log, {
    tagged: (outcome) => metrics.wecomTags.inc({ outcome }),
    missingPermission: (api, errcode) => metrics.wecomPermissionMissing.set({ api, errcode: String(errcode) }, 1),
  });
  const tagRules = config.wecom.tags.rules;
  const { crm, fulfil, participation: delivery } = config;
  const participation = new Participation(
    engine,
    {
      ...(crm.url && crm.secret ? { crm: crmWebhook({ url: crm.url, secret: crm.secret, timeoutMs: delivery.timeoutMs, batchSize: crm.batchSize }) } : {}),
      ...(Object.keys(tagRules).length ? { tags: wecomTags(tagger, tagRules) } : {}),
      ...(fulfil.url && fulfil.secret ? { fulfil: prizeFulfilment({ url: fulfil.url, secret: fulfil.secret, timeoutMs: delivery.timeoutMs }, new FulfilmentStatuses(engine)) } : {}),
    },
    delivery,
    log,
    (sink, outcome, n) => metrics.participation.inc({ sink, outcome }, n),
  );

  const retention = new Retention(engine, config.retention, rooms, log);

  const due = new DueWork(engine.schedule, log);
  for (const tool of [flash, groups, assists, games, retention]) tool.handleDue(due);

  /** The campaigns a joining viewer sees in the snapshot: the flash sales, group-buys and open pop-ups meant for them. */
  const campaigns = async (room: string, viewer: Identity): Promise<unknown[]> => {
    const [sales, popups, groupBuys] = await Promise.all([flash.list(room), coupons.list(room), groups.list(room)]);
    const now = Date.now();
    const open = popups.filter((c) => c.status === 'popped' && c.closesAt! > now);
    const forViewer = <T extends { audience?: Audience }>(offers: T[]) => offers.filter((o) => inAudience(viewer, o.audience));
    return [
      ...forViewer(sales).map((sale) => ({ kind: 'flash', ...sale })),
      ...forViewer(open).map((c) => ({ kind: 'coupon', ...c })),
      ...forViewer(groupBuys.filter((g) => g.status === 'live')).map((g) => ({ kind: 'group-buy', ...g })),
    ];
  };
  const handlers: Handlers<OpName> = {
    ...roomOps(rooms, games, campaigns, viewerId, (room, sub) => moderation.enter(room, sub)),
    // A comment that reached the room may enter a keyword draw (onComment logs its own failures).
    ...moderationOps(moderation, (author, room, text) => void games.draws.onComment(author, room, text)),
    ...figuresOps(figures, figuresPusher),
    ...auditOp(audit),
    ...consoleOps({ sales: (room) => flash.list(room), coupons: (room) => coupons.list(room), groupBuys: (room) => groups.list(room), assists: (room) => assists.list(room) }),
    ...gameOps(games), ...flashOps(flash), ...couponOps(coupons), ...groupOps(groups), ...assistOps(assists), ...wecomOps(wecom, warming),
  };

  const wecomCrypto = new WeComCrypto(config.wecom.token, config.wecom.aesKey, config.wecom.corpId);
  let stopReconciling: () => Promise<void> = async () => {};
  return {
    rooms,
    // Every host, manager and API action appends to its room's audit trail once it succeeded.
    handlers: auditOps(handlers as unknown as Record<OpName, OpHandler>, audit) as Record<OpName, OpHandler>,
    routes: [
      auditRouter(audit),
      roomRoutes(rooms, engine.presence),
      flashSaleRoutes(flash), couponRoutes(coupons), groupBuyRoutes(groups), assistRoutes(assists),
      orderRoutes(orders), wecomRoutes(wecom, warming), warmingRoutes(warming), ...gameRoutes(games), moderationRoutes(moderation), figuresRoutes(figures, (room) => rooms.get(room)), auditRoutes(audit, (room) => rooms.get(room)), participationRoutes(participation),
    ],
    signedRoutes: [
      mallNotifyRoutes(orders, config.mall.secret, engine.idempotency),
      wecomCallbackRoutes(wecomCrypto, wecom, (customer) => tagger.onContactChange(customer), engine.idempotency, log, (outcome) => metrics.wecomCallbacks.inc({ outcome })),
    ],
    queues,
    async start() {
      const adopted = await adoptGameJobs(queues, engine.schedule);
      if (adopted) log.info({ adopted }, 'draws and red-packet ends left as BullMQ jobs by an earlier version moved into the schedule');
      live.start();
      await settlement?.start();
      ticker.start();
      await retention.start();
      due.start();
      participation.start();
      // Covers go up again even when the counts could not be read this time.
      // Pending tags a dead node left on their way go on then too.
      stopReconciling = reconcileEvery(
        () => wecom.reconcile().finally(() => Promise.all([warming.refreshCovers(), tagger.sweepPending(config.wecom.tags.sweepGraceMs)])),
        engine.idempotency, config.wecom.reconcileEveryMs, log,
      );
    },
    async stop() {
      await due.stop();
      await participation.stop();
      await stopReconciling();
      await live.stop();
      ticker.stop();
      figuresPusher.stop();
    },
  };
}
