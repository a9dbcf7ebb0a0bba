import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { metricsSource } from './cluster-metrics.ts';

/**
 * One registry per node. Default metrics include process CPU seconds (`process.cpuUsage`), which
 * the benchmarks divide by delivered events.
 */
/** `commands()`: the store's commands sent so far (Store.commandsSent), read at each scrape. */
export function createMetrics(commands: () => number = () => 0) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'roomcast_' });
  const registers = [registry];
  const opDuration = new Histogram({
    name: 'roomcast_op_duration_seconds',
    help: 'Client op handling time',
    labelNames: ['op', 'result'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers,
  });
  // One child per op and result (both few): a storm observes thousands a second, and labels
  // passed as an object are hashed on every observation.
  const opSeries = new Map<string, { observe(seconds: number): void }>();
  return {
    registry,
    /** The exposition /metrics answers (every worker's, added up, on a multi-worker node). */
    text: metricsSource(registry),
    connections: new Gauge({ name: 'roomcast_connections', help: 'Open client connections', labelNames: ['transport'], registers }),
    framesOut: new Counter({ name: 'roomcast_frames_out_total', help: 'Frames delivered to sockets (one per subscriber)', labelNames: ['transport'], registers }),
    bytesOut: new Counter({ name: 'roomcast_bytes_out_total', help: 'Bytes delivered to sockets', labelNames: ['transport'], registers }),
    eventsOut: new Counter({ name: 'roomcast_events_out_total', help: 'Events delivered to sockets (one per event per subscriber)', registers }),
    tickDuration: new Histogram({
      name: 'roomcast_tick_duration_seconds',
      help: 'Time to drain, encode and publish one flush',
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    }),
    chatterDropped: new Counter({ name: 'roomcast_chatter_dropped_total', help: 'Chatter sampled away', labelNames: ['type'], registers }),
    busReconnects: new Counter({ name: 'roomcast_bus_reconnects_total', help: 'Times the bus connection came back and rooms were caught up from history', registers }),
    opDuration,
    observeOp(op: string, result: string, seconds: number): void {
      const key = `${op}\n${result}`;
      let series = opSeries.get(key);
      if (!series) opSeries.set(key, (series = opDuration.labels(op, result)));
      series.observe(seconds);
    },
    wecomCalls: new Counter({ name: 'roomcast_wecom_calls_total', help: 'WeCom API calls, by API and outcome (ok, an errcode, unavailable)', labelNames: ['api', 'outcome'], registers }),
    wecomRouting: new Counter({ name: 'roomcast_wecom_routing_total', help: 'Viewers routed, joins attributed and join ways rotated, by pool', labelNames: ['what', 'pool'], registers }),
    wecomTags: new Counter({ name: 'roomcast_wecom_tags_total', help: 'Viewers whose corp tags were handled: tagged, pending (not a customer yet), already (marked before)', labelNames: ['outcome'], registers }),
    wecomPermissionMissing: new Gauge({ name: 'roomcast_wecom_permission_missing', help: 'WeCom APIs the app may not call (48002, 48001, 60020), by API and errcode: 1 once seen on this node', labelNames: ['api', 'errcode'], registers }),
    wecomCallbacks: new Counter({ name: 'roomcast_wecom_callbacks_total', help: 'WeCom callbacks, by outcome', labelNames: ['outcome'], registers }),
    batchSize: new Histogram({
      name: 'roomcast_batch_size',
      help: 'Taps decided by one script call, by decision',
      labelNames: ['decision'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'roomcast_batch_duration_seconds',
      help: 'Time of one batch\'s script call, sent to answered, by decision',
      labelNames: ['decision'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    }),
    participation: new Counter({ name: 'roomcast_participation_events_total', help: 'Participation events handed to a sink, by sink and outcome (delivered, dead, retry)', labelNames: ['sink', 'outcome'], registers }),
    orders: new Counter({ name: 'roomcast_orders_total', help: 'Orders that entered each state on this node (reserved, submitted, paid, expired, cancelled, refunded, ...)', labelNames: ['state'], registers }),
    gmv: new Counter({ name: 'roomcast_gmv_fen_total', help: 'Amounts (fen) of the orders that entered each state on this node', labelNames: ['state'], registers }),
    closes: new Counter({ name: 'roomcast_closes_total', help: 'Connections closed by the server, by reason', labelNames: ['reason'], registers }),
    storeCommands: new Counter({
      name: 'roomcast_store_commands_total',
      help: 'Commands sent to the engine\'s store (Redis, or the embedded store): a script call counts one, a MULTI of n counts n + 2',
      registers,
      collect() {
        this.reset();
        this.inc(commands());
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
