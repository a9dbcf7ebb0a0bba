import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const positiveInt = z.number().int().positive();

/** Every option Roomcast reads. Defaults live in config/default.json; env overrides in ./env.ts. */
export const configSchema = z.object({
  /** Realtime port: uWS serves `/v1/ws` and `/socket.io/` here. @default 9000 */
  port,
  /** Koa HTTP API port. @default 8080 */
  httpPort: port,
  /** Interface both servers bind to. @default "0.0.0.0" */
  host: z.string().min(1),
  /**
   * Operator port: /metrics and the queue dashboard (/admin/queues), with /healthz and /readyz.
   * Never on the public ports. @default 8090
   */
  adminPort: port,
  /** Interface the operator port binds to: loopback unless the network in front keeps it private. @default "127.0.0.1" */
  adminHost: z.string().min(1),
  /** Identifies this node in presence; generated when absent. */
  nodeId: z.string().min(1).max(64).optional(),
  /**
   * Node processes on this host, sharing its ports: each a full node on the redis engine. "auto":
   * one per core. More than one needs REDIS_URL and fixed ports. @default 1
   */
  workers: z.union([z.literal('auto'), z.number().int().min(1).max(64)]),
  redis: z.object({
    /** Unset (and no `cluster`): the embedded memory engine. Set: the redis engine on one Redis. */
    url: z.string().url().optional(),
    /**
     * A Redis Cluster's nodes, `host:port,host:port,...` (any of them; the rest are discovered): the
     * redis engine on the cluster, its bus on sharded pub/sub. Not with `url`.
     */
    cluster: z.string().regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, 'host:port,host:port,...').optional(),
    /**
     * After each decision, WAIT until this many replicas have its writes (0: do not wait). Narrows
     * what a failover can lose; cannot close it (docs/operations.md, the failover drill). @default 0
     */
    waitReplicas: z.number().int().min(0).max(5),
    /** The longest a decision waits for its replicas. @default 100 */
    waitTimeoutMs: z.number().int().min(1).max(5000),
    /** Every Redis key and channel starts with this. @default "rc" */
    prefix: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only'),
  }),
  auth: z.object({
    /** HS256 secret shared with the brand's backend that issues viewer tokens. */
    jwtSecret: z.string().min(16, 'must be at least 16 characters'),
    /** Bearer keys accepted on the HTTP API. */
    apiKeys: z.array(z.string().min(8, 'each key must be at least 8 characters')).min(1),
  }),
  realtime: z.object({
    /** Largest client frame accepted; bigger frames close the socket with 1009. @default 16384 */
    maxPayloadBytes: z.number().int().min(512).max(1 << 24),
    /** Per-socket send buffer; a socket past it is closed (slow consumer). @default 1048576 */
    maxBackpressureBytes: z.number().int().min(1024),
    /**
     * Send buffers of all sockets of the node together; past it, the sockets furthest behind are
     * closed as slow consumers, so a room falling behind cannot take the node's memory. @default 268435456
     */
    maxBufferedTotalBytes: z.number().int().min(1024),
    /** Idle sockets are pinged, then closed after this many seconds of silence. @default 60 */
    idleTimeoutSec: z.number().int().min(8).max(960),
    /** @default 4 */
    maxRoomsPerConnection: positiveInt,
    /** Audience tags beyond this many are ignored (each tag is one topic subscription). @default 8 */
    maxTags: positiveInt,
    rateLimit: z.object({
      /** Token bucket for every op of one socket. @default 20 */
      opsPerSec: positiveInt,
      /** @default 40 */
      opsBurst: positiveInt,
      /** A tighter bucket for `comment`. @default 1 */
      commentsPerSec: z.number().positive(),
      /** @default 3 */
      commentsBurst: positiveInt,
      /** Refusals in a row before the socket is closed (1008). @default 100 */
      floodDisconnectAfter: positiveInt,
    }),
  }),
  rooms: z.object({
    /** Fan-out tick: everything queued for a room within one tick leaves as one frame. @default 50 */
    tickMs: z.number().int().min(5).max(1000),
    /** Critical events kept per room for resume. @default 500 */
    historySize: z.number().int().min(10).max(100_000),
    /** Chatter (comments, ticker) sent per room per tick; the rest is counted in `dropped`. @default 8 */
    chatterPerTick: positiveInt,
    /** How often a node reports its viewers and reads the room's total. @default 1000 */
    presenceIntervalMs: z.number().int().min(100),
    /** A node that stops reporting stops being counted after this long. @default 5000 */
    presenceTtlMs: z.number().int().min(500),
    /** Created at start-up when absent, so `npm start` has a room to open. Empty string: none. @default "demo" */
    demoRoom: z.string(),
  }),
  commerce: z.object({
    /**
     * Taps on one campaign (buys of a sale, claims of a coupon, joins of a group-buy, helps of an
     * assist) that arrive within this window of the first, or while a decision on it is in flight,
     * are decided in one script call, one by one in arrival order. 0: within the same turn of the
     * event loop. @default 1
     */
    batchWindowMs: z.number().int().min(0).max(50),
    /** The most taps one script call decides. @default 200 */
    batchMaxSize: z.number().int().min(1).max(1000),
  }),
  retention: z.object({
    /** Days after a room ends until its keys (all but its orders) leave Redis. @default 30 */
    roomDays: z.number().positive().max(3650),
    /** Days an order stays in Redis once paid, refunded, expired or cancelled. @default 90 */
    orderDays: z.number().positive().max(3650),
    /** How often one node looks for orders past `orderDays`. @default 3600000 */
    sweepEveryMs: z.number().int().min(100).max(86_400_000),
  }),
  mall: z.object({
    /** The mall's order endpoint; unset: reserved orders are not pushed anywhere. */
    url: z.string().url().optional(),
    /** HMAC secret shared with the mall, both directions. */
    secret: z.string().min(8),
    /** A push slower than this is retried. @default 5000 */
    timeoutMs: z.number().int().min(100).max(60_000),
    /** First retry of a failed push; each next one waits twice as long. @default 1000 */
    retryBaseMs: z.number().int().min(10).max(600_000),
    /** Longest wait between two retries. @default 60000 */
    retryMaxMs: z.number().int().min(10).max(3_600_000),
    /** Pushes before an order's job waits in the failed set for an operator. @default 10 */
    attempts: z.number().int().min(1).max(50),
    /** Pushes and refunds in flight per node. @default 64 */
    concurrency: z.number().int().min(1).max(1000),
    /** How often one node looks for reservations whose settle job was never added. @default 10000 */
    sweepEveryMs: z.number().int().min(100).max(3_600_000),
    /** Reservations younger than this are left to their own settle job. @default 30000 */
    sweepGraceMs: z.number().int().min(0).max(3_600_000),
  }),
  wecom: z.object({
    corpId: z.string().min(1),
    secret: z.string().min(1),
    token: z.string().min(1).max(32),
    aesKey: z.string().length(43, 'the EncodingAESKey is 43 characters'),
    apiBase: z.string().url(),
    /** Members a group takes before it rotates out of join ways (QR joins stop near 200; WeCom's maximum is 500). @default 200 */
    groupCap: z.number().int().min(2).max(500),
    /** This node's share of WeCom's 10,000 calls per minute per API and corp. @default 5000 */
    budgetPerMinute: z.number().int().min(1).max(10_000),
    /** The window that budget counts over: a minute, as WeCom does; shorter only in tests and drills. @default 60000 */
    budgetWindowMs: z.number().int().min(100).max(60_000),
    /** Member counts re-read from groupchat/get this often (by one node at a time). @default 300000 */
    reconcileEveryMs: z.number().int().min(1000),
    /** The brand's mini-program, which welcome and announcement cards open. */
    miniprogram: z.object({
      /** Its appid (associated with the corp in the admin console). Unset: no cards. */
      appId: z.string().min(1).optional(),
      /** The live page; `{room}` is filled in. @default pages/live/index?room={room} */
      livePage: z.string().min(1).max(256),
      /** A pool's group page; `{pool}` is filled in. @default pages/group/index?pool={pool} */
      groupPage: z.string().min(1).max(256),
    }),
    /** A welcome cover is uploaded again this long after the last time (its media id lasts 3 days). @default 216000000 */
    coverRefreshMs: z.number().int().min(1000).max(259_200_000),
    tags: z.object({
      /** The corp tag group Roomcast's tags are made in (at most 30 characters). @default 直播互动 */
      groupName: z.string().min(1).max(30),
      /**
       * Participation event type -> the corp tag it puts on the viewer, `{room}` filled in, such as
       * `{ "order.paid": "直播{room}-已购" }` (docs/participation.md). Empty: no tags. @default {}
       */
      rules: z.record(z.string().regex(/^[a-z]+\.[a-z]+$/), z.string().min(1).max(60)),
      /**
       * A customer's pending tags still on their way this long after their contact callback (a node
       * died putting them on) are put on by the reconcile pass. @default 60000
       */
      sweepGraceMs: z.number().int().min(100).max(86_400_000),
    }),
  }),
  participation: z.object({
    /** How often each node hands new participation events on to the sinks. @default 500 */
    everyMs: z.number().int().min(50).max(60_000),
    /** A sink's request slower than this is sent again later. @default 5000 */
    timeoutMs: z.number().int().min(100).max(60_000),
    /** First wait after a failed request; each next one doubles (with jitter) up to the max. @default 1000, 60000 */
    retryBaseMs: z.number().int().min(10).max(600_000),
    retryMaxMs: z.number().int().min(10).max(3_600_000),
  }),
  crm: z.object({
    /**
     * The brand's CRM webhook: participation events (viewer.joined, order.reserved, order.paid, ...)
     * POSTed as signed JSON lines (docs/participation.md). Unset: no webhook.
     */
    url: z.string().url().optional(),
    /** HMAC secret of the webhook's signature (the mall's scheme); required with `url`. */
    secret: z.string().min(8).optional(),
    /** Events per request. @default 100 */
    batchSize: z.number().int().min(1).max(1000),
  }),
  fulfil: z.object({
    /**
     * The brand's prize fulfilment: each lucky-draw prize and red-packet share (and a red packet's
     * unclaimed money, to refund) POSTed as a signed job that answers `fulfilled` or `failed`
     * (docs/participation.md). Unset: prizes are only announced.
     */
    url: z.string().url().optional(),
    /** HMAC secret of the jobs' signature (the mall's scheme); required with `url`. */
    secret: z.string().min(8).optional(),
  }),
  moderation: z.object({
    /** Brand-wide keywords, matched in every room with the room's own list. @default [] */
    keywords: z.array(z.string().min(1).max(50)).max(1000),
    /**
     * The content-check seam (where WeChat's msgSecCheck plugs in): "off", or "fake", which flags
     * comments containing any of `contentCheckFlags` (development and tests). @default "off"
     */
    contentCheck: z.enum(['off', 'fake']),
    /** Words the fake content check flags. @default [] */
    contentCheckFlags: z.array(z.string().min(1).max(50)).max(1000),
  }),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) }),
  /** SIGTERM: after this long the process exits even if something still hangs. @default 10000 */
  shutdownTimeoutMs: z.number().int().min(100),
  /**
   * The demo pages at /demo/ (viewer, host console) and their development token endpoint. Always off
   * with NODE_ENV=production. @default true
   */
  demo: z.boolean(),
  /**
   * The host console at /console/: a host signs in with a host token from the brand's backend (no
   * API key reaches the page). Independent of the demo; safe in production. @default true
   */
  console: z.boolean(),
  /**
   * The realtime URL the console's page connects to (`wss://live.example.com/v1/ws` behind a proxy);
   * unset: the page's own host name on `port`.
   */
  consoleWsUrl: z.string().url().optional(),
}).superRefine((c, ctx) => {
  if (c.crm.url && !c.crm.secret) ctx.addIssue({ code: 'custom', path: ['crm', 'secret'], message: 'CRM_WEBHOOK_SECRET is required with CRM_WEBHOOK_URL' });
  if (c.fulfil.url && !c.fulfil.secret) ctx.addIssue({ code: 'custom', path: ['fulfil', 'secret'], message: 'FULFIL_SECRET is required with FULFIL_URL' });
  if (c.redis.url && c.redis.cluster) {
    ctx.addIssue({ code: 'custom', path: ['redis', 'cluster'], message: 'set REDIS_URL (one Redis) or REDIS_CLUSTER (a cluster), not both' });
  }
  if (c.rooms.presenceTtlMs <= c.rooms.presenceIntervalMs) {
    ctx.addIssue({ code: 'custom', path: ['rooms', 'presenceTtlMs'], message: 'must be longer than rooms.presenceIntervalMs' });
  }
});

export type Config = z.infer<typeof configSchema>;
