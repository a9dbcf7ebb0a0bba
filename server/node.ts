import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { us_listen_socket } from 'uWebSockets.js';
import { secretKey } from './auth/token.ts';
import type { Config } from './config/schema.ts';
import { Hub } from './core/hub.ts';
import { Session, type CoreContext } from './core/session.ts';
import type { Engine } from './platform/engine.ts';
import { createMemoryEngine } from './engine/memory/index.ts';
import { createRedisEngine } from './platform/engines.ts';
import { redactUrl } from './platform/store/redis/store.ts';
import { createHttpApp } from './http/app.ts';
import { demoRoutes } from './demo/routes.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { CloseCode, RoomcastError } from './protocol/errors.ts';
import { RoomService } from './rooms/service.ts';
import { createHandlers } from './domains.ts';
import { LiveState } from './platform/live-state.ts';
import { commerceRoutes } from './commerce/campaign-routes.ts';
import { Ticker } from './commerce/ticker.ts';
import { Orders } from './orders/service.ts';
import { BullJobQueues } from './platform/jobs/bullmq.ts';
import { queueDashboard } from './platform/jobs/dashboard.ts';
import { MemoryJobQueues } from './platform/jobs/memory.ts';
import { Settlement } from './orders/settlement.ts';
import { HttpMallAdapter } from './orders/mall/http-adapter.ts';
import { mallNotifyRoutes, orderRoutes } from './orders/routes.ts';
import { FlashSales } from './commerce/flash-sale/service.ts';
import { CommerceClock } from './commerce/clock.ts';
import { Coupons } from './commerce/coupon/service.ts';
import { GroupBuys } from './commerce/group-buy/service.ts';
import { Assists } from './commerce/assist/service.ts';
import { loadNativeUws } from './transport/native-uws.ts';
import { SocketIoTransport } from './transport/socketio.ts';
import type { TransportContext } from './transport/transport.ts';
import { UwsTransport } from './transport/uws.ts';
import { HttpWeComClient } from './wecom/api/http-client.ts';
import { wecomCallbackRoutes } from './wecom/callback.ts';
import { WeComCrypto } from './wecom/crypto.ts';
import { reconcileEvery } from './wecom/routing/reconcile.ts';
import { WeComRouting } from './wecom/routing/service.ts';
import { wecomRoutes } from './wecom/routes.ts';
import { Games } from './games/service.ts';
import { gameRoutes } from './games/routes.ts';

export interface RoomcastNode {
  nodeId: string;
  engine: Engine;
  ports: { realtime: number; http: number };
  /** Graceful stop: refuse new work, flush, close sockets with 1001, close the engine. */
  close(): Promise<void>;
}

/** Wires config -> engine -> core -> transports -> HTTP, and listens. */
export async function startRoomcast(config: Config, log: Logger = createLogger(config.log.level)): Promise<RoomcastNode> {
  const uws = loadNativeUws();
  const nodeId = config.nodeId ?? `node-${randomUUID().slice(0, 8)}`;
  const engine = await openEngine(config, log);
  log.info({ engine: engine.kind, nodeId }, engine.kind === 'memory'
    ? 'engine: memory (REDIS_URL unset; one process, nothing kept across restarts)'
    : `engine: redis at ${redactUrl(config.redis.url!)}`);

  const metrics = createMetrics();
  const hub = new Hub(engine, { nodeId, ...config.rooms }, metrics, log);
  const rooms = new RoomService(engine);
  const live = new LiveState(config.rooms.tickMs, log);
  const ticker = new Ticker(engine.broker, config.rooms.chatterPerTick, config.rooms.tickMs, log);
  const queues = engine.kind === 'redis' ? new BullJobQueues(config.redis.url!, `${config.redis.prefix}:bull`, log) : new MemoryJobQueues(log);
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
      )
    : undefined;
  if (!settlement) log.info('MALL_URL unset: reserved orders are not pushed to a mall');
  const flash = new FlashSales(engine, rooms, live, ticker, settlement);
  const coupons = new Coupons(engine, rooms, live);
  const groups = new GroupBuys(engine, rooms, ticker, settlement);
  const wecomClient = new HttpWeComClient({
    apiBase: config.wecom.apiBase,
    corpId: config.wecom.corpId,
    secret: config.wecom.secret,
    budgetPerMinute: config.wecom.budgetPerMinute,
    rateLimitRetries: 3,
    backoffMs: 1000,
    timeoutMs: 5000,
    observe: (api, outcome) => metrics.wecomCalls.inc({ api, outcome }),
  });
  const wecom = new WeComRouting(engine, wecomClient, config.wecom.groupCap, log, (what, pool) => metrics.wecomRouting.inc({ what, pool }));
  const invite = (user: string, room: string) => wecom.invite(user, room);
  const assists = new Assists(engine, rooms, settlement, invite);
  const clock = new CommerceClock(engine.commerce.schedule, { flash, groups, assists }, log);
  const games = new Games(engine, rooms, live, queues, log);
  // Before anything can open a game: the queue refuses jobs of a queue with no worker policy yet.
  games.start();
  const core: CoreContext = { config, engine, hub, metrics, log, handlers: createHandlers({ rooms, flash, coupons, groups, assists, wecom, games }) };
  const transportContext: TransportContext = {
    config,
    jwtKey: secretKey(config.auth.jwtSecret),
    metrics,
    log,
    openSession: (connection) => new Session(connection, core),
  };

  const app = uws.App();
  const native = new UwsTransport(uws, app, transportContext);
  const socketIo = new SocketIoTransport(app, transportContext);
  hub.addFanout(native);
  hub.addFanout(socketIo);
  app.any('/*', (res) => {
    res.writeStatus('404 Not Found').writeHeader('content-type', 'application/json')
      .end(JSON.stringify({ error: { code: 'not_found', message: 'realtime port: use /v1/ws or /socket.io/' } }));
  });

  if (config.rooms.demoRoom) await ensureDemoRoom(rooms, config.rooms.demoRoom);

  let draining = false;
  const listenSocket = await listenUws(app, config.host, config.port);
  const orders = new Orders(engine, flash, log, invite, settlement);
  const realtimePort = () => uws.us_socket_local_port(listenSocket as never);
  const routes = [
    ...commerceRoutes({ flash, coupons, groups, assists }),
    orderRoutes(orders),
    wecomRoutes(wecom),
    gameRoutes(games),
    ...(config.demo ? [demoRoutes(config, transportContext.jwtKey, realtimePort)] : []),
  ];
  const wecomCrypto = new WeComCrypto(config.wecom.token, config.wecom.aesKey, config.wecom.corpId);
  const signedRoutes = [
    mallNotifyRoutes(orders, config.mall.secret, engine.idempotency),
    wecomCallbackRoutes(wecomCrypto, wecom, engine.idempotency, log, (outcome) => metrics.wecomCallbacks.inc({ outcome })),
  ];
  const admin = queues instanceof BullJobQueues ? queueDashboard(queues) : undefined;
  const http = createServer(createHttpApp({ config, engine, rooms, metrics, log, routes, signedRoutes, admin, isDraining: () => draining }).callback());
  await new Promise<void>((resolve, reject) => http.once('error', reject).listen(config.httpPort, config.host, resolve));
  hub.start();
  live.start();
  await settlement?.start();
  ticker.start();
  clock.start();
  const stopReconciling = reconcileEvery(wecom, engine.idempotency, config.wecom.reconcileEveryMs, log);

  const ports = { realtime: realtimePort(), http: (http.address() as AddressInfo).port };
  log.info({ ...ports }, `listening: ws://localhost:${ports.realtime}/v1/ws, http://localhost:${ports.http}`);
  if (config.demo) log.info(`demo: viewer http://localhost:${ports.http}/demo/ · host console http://localhost:${ports.http}/demo/host.html · group games http://localhost:${ports.http}/demo/manager.html?chat=demo-group and /demo/group.html?chat=demo-group`);

  let closing: Promise<void> | undefined;
  const close = () => (closing ??= (async () => {
    draining = true;
    uws.us_listen_socket_close(listenSocket);
    await clock.stop();
    await stopReconciling();
    await live.stop();
    ticker.stop();
    await hub.stop();
    await native.closeAll(CloseCode.goingAway, 'server shutting down');
    await socketIo.closeAll();
    await queues.close();
    await closeHttp(http);
    await engine.close();
    log.info('stopped');
  })());

  return { nodeId, engine, ports, close };
}

/** Nodes starting together race to create it: one does, the others find it made. */
async function ensureDemoRoom(rooms: RoomService, id: string): Promise<void> {
  await rooms.create({ id, title: 'Demo room' }).catch((err: unknown) => {
    if (!(err instanceof RoomcastError && err.code === 'already_done')) throw err;
  });
}

async function openEngine(config: Config, log: Logger): Promise<Engine> {
  if (!config.redis.url) return createMemoryEngine({ historySize: config.rooms.historySize });
  const engine = await createRedisEngine({ url: config.redis.url, prefix: config.redis.prefix, historySize: config.rooms.historySize });
  log.debug('redis connected');
  return engine;
}

function listenUws(app: ReturnType<ReturnType<typeof loadNativeUws>['App']>, host: string, port: number): Promise<us_listen_socket> {
  return new Promise((resolve, reject) => {
    app.listen(host, port, (socket) => (socket ? resolve(socket) : reject(new Error(`cannot listen on ${host}:${port} (in use?)`))));
  });
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
