import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { us_listen_socket } from 'uWebSockets.js';
import { secretKey } from './auth/token.ts';
import type { Config } from './config/schema.ts';
import { Hub } from './core/hub.ts';
import { Session, type CoreContext } from './core/session.ts';
import { demoRoutes } from './demo/routes.ts';
import { consoleRoutes } from './live-ops/console/routes.ts';
import { createDomains } from './domains.ts';
import { createAdminApp, createHttpApp } from './http/app.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import type { Engine } from './platform/engine.ts';
import { openEngine } from './platform/engines.ts';
import { BullJobQueues } from './platform/jobs/bullmq.ts';
import { queueDashboard } from './platform/jobs/dashboard.ts';
import { redactUrl } from './platform/store/redis/store.ts';
import { CloseCode, RoomcastError } from './protocol/errors.ts';
import type { RoomService } from './rooms/service.ts';
import { loadNativeUws } from './transport/native-uws.ts';
import { SlowConsumerSweep } from './transport/slow-consumers.ts';
import { SocketIoTransport } from './transport/socketio.ts';
import type { TransportContext } from './transport/transport.ts';
import { UwsTransport } from './transport/uws.ts';

export interface RoomcastNode {
  nodeId: string;
  engine: Engine;
  ports: { realtime: number; http: number; admin: number };
  /** Graceful stop: refuse new work, flush, close sockets with 1001, close the engine. */
  close(): Promise<void>;
}

/** Wires config -> engine -> core -> transports -> HTTP, and listens. */
export async function startRoomcast(config: Config, log: Logger = createLogger(config.log.level)): Promise<RoomcastNode> {
  const uws = loadNativeUws();
  const nodeId = config.nodeId ?? `node-${randomUUID().slice(0, 8)}`;
  const engine = await openEngine(config);
  log.info({ engine: engine.kind, nodeId }, engine.kind === 'memory'
    ? 'engine: memory (REDIS_URL unset; one process, nothing kept across restarts)'
    : config.redis.cluster ? `engine: redis on the Redis Cluster at ${config.redis.cluster}` : `engine: redis at ${redactUrl(config.redis.url!)}`);

  const metrics = createMetrics(() => engine.store.commandsSent);
  const hub = new Hub(engine, { nodeId, ...config.rooms }, metrics, log);
  const domains = createDomains(config, engine, metrics, log);
  const core: CoreContext = { config, engine, hub, metrics, log, handlers: domains.handlers };
  const transportContext: TransportContext = {
    config,
    jwtKey: secretKey(config.auth.jwtSecret),
    metrics,
    log,
    openSession: (connection) => new Session(connection, core),
    framesDue: () => hub.framesDue(),
  };

  const app = uws.App();
  const native = new UwsTransport(uws, app, transportContext);
  const socketIo = new SocketIoTransport(app, transportContext);
  hub.addFanout(native);
  hub.addFanout(socketIo);
  const slowConsumers = new SlowConsumerSweep([native, socketIo], config.realtime, metrics);
  app.any('/*', (res) => {
    res.writeStatus('404 Not Found').writeHeader('content-type', 'application/json')
      .end(JSON.stringify({ error: { code: 'not_found', message: 'realtime port: use /v1/ws or /socket.io/' } }));
  });

  if (config.rooms.demoRoom) await ensureDemoRoom(domains.rooms, config.rooms.demoRoom);

  let draining = false;
  const listenSocket = await listenUws(app, config.host, config.port);
  const realtimePort = () => uws.us_socket_local_port(listenSocket as never);
  const routes = [
    ...domains.routes,
    ...(config.demo ? [demoRoutes(config, transportContext.jwtKey, realtimePort)] : []),
    ...(config.console ? [consoleRoutes(config, realtimePort)] : []),
  ];
  const { queues } = domains;
  const admin = queues instanceof BullJobQueues ? queueDashboard(queues) : undefined;
  const isDraining = () => draining;
  const http = createServer(createHttpApp({ config, engine, metrics, log, routes, signedRoutes: domains.signedRoutes, isDraining }).callback());
  await listenHttp(http, config.httpPort, config.host);
  const adminHttp = createServer(createAdminApp({ config, engine, metrics, log, admin, isDraining }).callback());
  await listenHttp(adminHttp, config.adminPort, config.adminHost);
  hub.start();
  await domains.start();

  const ports = { realtime: realtimePort(), http: (http.address() as AddressInfo).port, admin: (adminHttp.address() as AddressInfo).port };
  log.info({ ...ports }, `listening: ws://localhost:${ports.realtime}/v1/ws, http://localhost:${ports.http}, operator http://${config.adminHost}:${ports.admin} (/metrics, /admin/queues)`);
  if (config.console) log.info(`host console: http://localhost:${ports.http}/console/ (sign in with a host token: npm run token -- --role host --rooms <room>)`);
  if (config.demo) log.info(`demo: viewer http://localhost:${ports.http}/demo/ · host console http://localhost:${ports.http}/demo/host.html · group games http://localhost:${ports.http}/demo/manager.html?chat=demo-group and /demo/group.html?chat=demo-group`);

  let closing: Promise<void> | undefined;
  const close = () => (closing ??= (async () => {
    draining = true;
    uws.us_listen_socket_close(listenSocket);
    await domains.stop();
    await hub.stop();
    slowConsumers.stop();
    await native.closeAll(CloseCode.goingAway, 'server shutting down');
    await socketIo.closeAll();
    await queues.close();
    await closeHttp(http);
    await closeHttp(adminHttp);
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

function listenUws(app: ReturnType<ReturnType<typeof loadNativeUws>['App']>, host: string, port: number): Promise<us_listen_socket> {
  return new Promise((resolve, reject) => {
    app.listen(host, port, (socket) => (socket ? resolve(socket) : reject(new Error(`cannot listen on ${host}:${port} (in use?)`))));
  });
}

function listenHttp(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
