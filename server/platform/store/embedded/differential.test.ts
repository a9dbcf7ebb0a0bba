/**
 * Differential test: the embedded store answers as Redis does. Random sequences of every engine
 * operation (so every Lua script and every command the stores send) run one step at a time on the
 * engine over a real Redis and on the engine over the embedded store. After each step the two must
 * have sent the same store calls with byte-identical replies and answered the same; after each
 * sequence they must have published the same bus messages and hold the same keys with the same
 * values. fast-check shrinks a failing sequence to a short one; ROOMCAST_SEED=<n> replays a run.
 *
 * Redis runs privately, with hashes kept in insertion order whatever their size
 * (hash-max-listpack-*): a large hash's HGETALL order is otherwise Redis's hash-table order, which
 * nothing may depend on and nothing can reproduce. Set members are compared sorted, for the same
 * reason. The clock is frozen (and moved by the operations' own `now`), so stamps match.
 */
import assert from 'node:assert/strict';
import { after, before, mock, test } from 'node:test';
import fc from 'fast-check';
import { RoomcastError } from '../../../protocol/errors.ts';
import { EmbeddedStore } from './store.ts';
import { RedisStore } from '../redis/store.ts';
import { Store, type Arg, type Channels, type CommandLine } from '../store.ts';
import { PrivateRedis } from '../../../testing/redis-server.ts';
import { uniquePrefix } from '../../../testing/node.ts';
import { createEngine } from '../../engines.ts';
import type { BusMessage, Engine } from '../../engine.ts';
import { storesOf, type Stores } from '../../../testing/stores.ts';
import { dump } from '../../../testing/snapshot.ts';
import { Locks } from '../../lock/locks.ts';
import { luaScript, type LuaScript } from '../lua-script.ts';

const renewScript = luaScript(new URL('../../lock/renew-1.lua', import.meta.url));

const T0 = 1_764_600_000_000;
const HISTORY = 3;

/** A store that keeps every call it passes on and what came back, for comparing two stores call by call. */
class Recording extends Store {
  readonly log: unknown[] = [];
  readonly kind: 'embedded' | 'redis';
  readonly channels: Channels;

  constructor(readonly inner: Store) {
    super();
    this.kind = inner.kind;
    this.channels = inner.channels;
  }

  call(command: string, ...args: Arg[]) {
    return this.record(['call', command, ...args], this.inner.call(command, ...args), command);
  }

  callBuffer(command: string, ...args: Arg[]) {
    return this.record(['callBuffer', command, ...args], this.inner.callBuffer(command, ...args), command);
  }

  multi(commands: readonly CommandLine[]) {
    return this.record(['multi', ...commands], this.inner.multi(commands));
  }

  run(script: LuaScript, keys: readonly Arg[], args: readonly Arg[]) {
    return this.record(['run', script.name, ...keys, ...args], this.inner.run(script, keys, args));
  }

  ping() {
    return this.inner.ping();
  }

  close() {
    return this.inner.close();
  }

  /** Logged in the order of the calls (concurrent calls may complete in another order over the network). */
  private async record<T>(what: unknown[], answer: Promise<T>, command?: string): Promise<T> {
    const entry: Record<string, unknown> = { what };
    this.log.push(entry);
    try {
      const reply = await answer;
      // A set's member order is Redis's own hash order: compared as a set.
      entry.reply = command?.toUpperCase() === 'SMEMBERS' ? [...(reply as string[])].sort() : reply;
      return reply;
    } catch (err) {
      entry.error = errorCode(err);
      throw err;
    }
  }
}

/** What two failures must share: the refusal's code and message, or the whole error reply. */
function errorCode(err: unknown): string {
  if (err instanceof RoomcastError) return `${err.code}: ${err.message}`;
  const { name, message } = err as Error;
  return `${name}: ${message}`;
}

// ---- the world the operations act on: few names, so operations collide ----

/** Mostly r1, where each sequence's setup made campaigns and games. */
const room = fc.constantFrom('r1', 'r1', 'r1', 'r2');
const user = fc.constantFrom('u1', 'u2', 'u3', 'u4');
const order = fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', 'o6');
const when = fc.constantFrom(0, 1_000, 60_000, 3_600_000, 2 * 86_400_000).map((d) => T0 + d);
/** Times when what was made at T0 has mostly run out. */
const later = fc.constantFrom(60_000, 2 * 86_400_000).map((d) => T0 + d);
const product = fc.record({ id: fc.constantFrom('p1', 'p2'), title: fc.constantFrom('Tea', '茶 "特价"/礼盒 ✓'), price: fc.integer({ min: 0, max: 10_000 }) });
const price = fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.constant(10_000_000_000));
const ttl = 86_400_000;
/** Absent half the time. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

type Op = [string, ...unknown[]];
type Named = fc.Arbitrary<Op> & { opName: string };
const op = <A extends unknown[]>(name: string, ...args: { [K in keyof A]: fc.Arbitrary<A[K]> }): Named =>
  Object.assign(fc.tuple(...(args as fc.Arbitrary<unknown>[])).map((values): Op => [name, ...values]), { opName: name });

const sale = fc.constantFrom('s1', 's2');
const coupon = fc.constantFrom('c1', 'c1', 'c2');
const groupBuy = fc.constantFrom('g1', 'g1', 'g2');
const group = fc.constantFrom('G1', 'G2', 'G3');
const assistCampaign = fc.constantFrom('a1', 'a1', 'a2');
const assist = fc.constantFrom('A1', 'A2', 'A3');
const game = fc.constantFrom('k1', 'd1', 'p1');
const chat = fc.constantFrom('chat1', 'chat2');

const flashSale = (id: fc.Arbitrary<string>, status: fc.Arbitrary<string>) => fc.record({
    id: sale, room, product, price, stock: fc.integer({ min: 0, max: 4 }), perUserLimit: fc.integer({ min: 1, max: 3 }),
    singleOrderLimit: maybe(fc.integer({ min: 1, max: 2 })), startsAt: maybe(when), endsAt: maybe(when), payWindowSec: fc.constantFrom(1, 60, 900),
    status,
  }).map((s) => ({ ...s, id: s.id, left: s.stock, sold: 0 }));
const couponCampaign = (id: fc.Arbitrary<string>, status: fc.Arbitrary<string>) => fc.record({
  id, room, title: fc.constantFrom('新人券', 'Ten off'), value: fc.integer({ min: 1, max: 500 }), minSpend: fc.integer({ min: 0, max: 1_000 }),
  quantity: fc.integer({ min: 1, max: 3 }), perUserLimit: fc.integer({ min: 1, max: 2 }), audience: fc.constantFrom({}, { tags: ['vip'] }),
  popupSec: fc.constant(30), validDays: fc.constantFrom(1, 7), status, poppedAt: maybe(when), closesAt: maybe(when),
}).map((c) => ({ ...c, left: c.quantity, issued: 0 }));
const groupBuyCampaign = (id: fc.Arbitrary<string>, status: fc.Arbitrary<string>) => fc.record({
  id, room, product, price, size: fc.integer({ min: 2, max: 3 }), ttlSec: fc.constantFrom(60, 86_400), perUserLimit: fc.integer({ min: 1, max: 2 }),
  status, opened: fc.constant(0), formed: fc.constant(0), failed: fc.constant(0),
});
const assistCampaignOf = (id: fc.Arbitrary<string>, status: fc.Arbitrary<string>) => fc.record({
  id, room, product: maybe(product), target: fc.integer({ min: 1, max: 3 }), ttlSec: fc.constantFrom(60, 86_400),
  perHelperLimit: fc.integer({ min: 1, max: 2 }), reward: fc.constantFrom({}, { coupon: 'c1' }), status, started: fc.constant(0), completed: fc.constant(0),
}).chain((c) => (c.product ? price.map((p) => ({ ...c, price: p })) : fc.constant(c)));
const gameOf = (kind: fc.Arbitrary<'checkin' | 'draw' | 'red-packet'>) => fc.tuple(room, kind).chain(([r, k]) => (k === 'checkin'
  ? fc.record({ id: fc.constant('k1'), kind: fc.constant('checkin'), rewards: fc.constantFrom({ daily: [1, 2, 3] }, { daily: [1], bonus: { day: 2, points: 10 } }), timeZone: fc.constant('Asia/Shanghai') })
  : k === 'draw'
    ? fc.record({ id: fc.constant('d1'), kind: fc.constant('draw'), prizes: fc.constant([{ name: 'tea', count: 1 }]), entry: fc.constantFrom('join', 'checkin'), drawAt: when, commitment: fc.constant('c0ffee'), entries: fc.constant(0), timeZone: fc.constant('Asia/Shanghai') })
    : fc.record({ id: fc.constant('p1'), kind: fc.constant('red-packet'), total: fc.constant(100), count: fc.constant(3), expiresAt: when, left: fc.constant(3), grabbed: fc.constant(0) })
).map((g) => ({ ...g, room: r, chat: 'chat1', status: 'open', createdAt: T0, title: '群游戏' })));

/** Each sequence starts by making campaigns and games in room r1 (mostly live), so the decisions have something to decide on. */
const setup = fc.tuple(
  flashSale(fc.constant('s1'), fc.constantFrom('live', 'live', 'scheduled')).map((s) => ({ ...s, room: 'r1' })),
  flashSale(fc.constant('s2'), fc.constantFrom('live', 'ended')).map((s) => ({ ...s, room: 'r1' })),
  couponCampaign(fc.constant('c1'), fc.constant('popped')).map((c) => ({ ...c, room: 'r1', poppedAt: T0, closesAt: T0 + 3_600_000 })),
  groupBuyCampaign(fc.constant('g1'), fc.constant('live')).map((g) => ({ ...g, room: 'r1' })),
  assistCampaignOf(fc.constant('a1'), fc.constant('live')).map((a) => ({ ...a, room: 'r1' })),
  gameOf(fc.constant('checkin')).map((g) => ({ ...g, room: 'r1' })),
  gameOf(fc.constant('draw')).map((g) => ({ ...g, room: 'r1', drawAt: T0 + 3_600_000 })),
  gameOf(fc.constant('red-packet')).map((g) => ({ ...g, room: 'r1', expiresAt: T0 + 3_600_000 })),
).map(([s1, s2, c1, g1, a1, k1, d1, p1]): Op[] => [
  ['flash.create', s1], ['flash.create', s2], ['coupons.create', c1], ['groups.create', g1], ['assists.create', a1],
  ['games.create', k1], ['games.create', d1], ['games.create', p1], ['rooms.create', 'r1', 'Live'], ['wecom.createPool', 'pool1', ['chat1']],
  // An assist and a group in progress, and points to spend, for the helps, joins and spends that follow.
  ['assists.start', { room: 'r1', campaign: 'a1', user: 'u1', assistId: 'A1', shareCode: 'CODE1', now: T0 }],
  ['groups.open', { room: 'r1', campaign: 'g1', user: 'u1', groupId: 'G1', orderId: 'o6', requestId: 'q', now: T0, requestTtlMs: ttl }],
  ...['u1', 'u2', 'u3', 'u4'].map((u): Op => ['games.checkIn', { room: 'r1', game: 'k1', user: u, today: '2026-12-01', now: T0, rewards: { daily: [3] } }]),
]);

/** Decisions come up four times as often as reads and creations. */
const decisions: string[] = [];
const decision = (arb: Named) => {
  decisions.push(arb.opName);
  return { arbitrary: arb, weight: 4 };
};
const other = (arb: fc.Arbitrary<Op>) => ({ arbitrary: arb, weight: 1 });

const operations = [
  other(op('flash.create', flashSale(sale, fc.constantFrom('scheduled', 'live', 'ended')))),
  // A batch of buys on one sale, as the flash-sale service sends them (one to four taps).
  decision(op('flash.buy', room, sale, fc.array(fc.record({ user, qty: fc.integer({ min: 1, max: 3 }), orderId: order, requestId: fc.constant('q'), coupon: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.constantFrom('x1', 'x2'), weight: 1 }), now: when }), { minLength: 1, maxLength: 4 }))),
  decision(op('flash.release', room, order, when, fc.constantFrom('expired', 'cancelled'))),
  other(op('flash.transition', room, sale, fc.subarray(['scheduled', 'live', 'ended']), fc.constantFrom('scheduled', 'live', 'ended'), fc.record({ startedAt: maybe(when), endReason: maybe(fc.constantFrom('host', 'time')) }))),
  other(op('flash.publishLeft', room, sale)),
  other(op('flash.list', room)),

  other(op('coupons.create', couponCampaign(coupon, fc.constantFrom('created', 'popped')))),
  decision(op('coupons.claim', room, coupon, fc.array(fc.record({ user, couponId: fc.constantFrom('x1', 'x2', 'x3'), requestId: fc.constant('q'), now: when }), { minLength: 1, maxLength: 3 }))),
  decision(op('coupons.grant', room, coupon, user, fc.constantFrom('x1', 'x4'), when)),
  other(op('coupons.transition', room, coupon, fc.constant(['created']), fc.constant('popped'), fc.record({ poppedAt: when, closesAt: when }))),
  other(op('coupons.publishLeft', room, coupon)),

  other(op('groups.create', groupBuyCampaign(groupBuy, fc.constantFrom('live', 'ended')))),
  decision(op('groups.open', fc.record({ room, campaign: groupBuy, user, groupId: group, orderId: order, requestId: fc.constant('q'), now: when, requestTtlMs: fc.constant(ttl) }))),
  // Joins as the service batches them: the campaign of the first join's group, and the joins of that campaign's groups.
  decision(op('groups.join', room, fc.array(fc.record({ group, user, orderId: order, requestId: fc.constant('q'), now: when }), { minLength: 1, maxLength: 3 }))),
  decision(op('groups.expire', room, group, later)),
  other(op('groups.openGroups', room, groupBuy, fc.constant(5))),

  other(op('assists.create', assistCampaignOf(assistCampaign, fc.constantFrom('live', 'ended')))),
  decision(op('assists.start', fc.record({ room, campaign: assistCampaign, user, assistId: assist, shareCode: fc.constantFrom('CODE1', 'CODE2', 'CODE3'), now: when }))),
  // Helps as the service batches them: the campaign of the first help's assist, and the helps of that campaign's assists.
  decision(op('assists.help', room, fc.array(fc.record({ assist, user, helpId: fc.constantFrom('h1', 'h2', 'h3', 'h4'), now: when, rewardOrderId: order }), { minLength: 1, maxLength: 3 }))),
  decision(op('assists.expire', room, assist, later)),
  other(op('assists.locate', fc.oneof(assist.map((a) => ({ assist: a })), fc.constantFrom('CODE1', 'CODE2').map((c) => ({ shareCode: c }))))),

  other(op('orders.get', order)),
  decision(op('orders.transition', order, fc.subarray(['reserved', 'submitted', 'paid', 'expired', 'cancelled', 'refunding']), fc.constantFrom('submitted', 'paid', 'paid_late', 'refunded'), fc.record({ mallOrderId: maybe(fc.constantFrom('m1', 'm2')) }))),
  other(op('orders.unsettled', when, fc.constant(10))),
  other(op('schedule.at', fc.constantFrom('expire|r1|o1', 'flash-start|r1|s1', 'group-expire|r2|G1'), when)),
  decision(op('schedule.claimDue', when, fc.constant(30_000), fc.integer({ min: 1, max: 3 }))),
  other(op('schedule.done', fc.constantFrom('expire|r1|o1', 'flash-start|r1|s1', 'expire|r1|o2'))),

  other(op('games.create', gameOf(fc.constantFrom('checkin', 'draw', 'red-packet')))),
  decision(op('games.checkIn', fc.record({ room, game: fc.constantFrom('k1', 'k1', 'd1'), user, today: fc.constantFrom('2026-12-01', '2026-12-02'), now: when, rewards: fc.constantFrom({ daily: [1, 2, 3] }, { daily: [5], bonus: { day: 2, points: 10 } }) }))),
  decision(op('games.enter', fc.record({ room, game: fc.constantFrom('d1', 'd1', 'p1'), user, entrant: fc.constantFrom('vA', 'vB', 'vC'), now: when, checkedInOn: maybe(fc.constantFrom('2026-12-01', '2026-12-02')) }))),
  decision(op('games.grab', fc.record({ room, game: fc.constantFrom('p1', 'p1', 'k1'), user, now: when }))),
  other(op('games.endRedPacket', room, game, when)),
  other(op('games.read', room, game, user)),
  decision(op('games.spend', fc.record({ room, user, points: fc.integer({ min: 1, max: 6 }), reason: fc.constantFrom('mall', '兑换 "茶"'), now: when }))),
  other(op('games.transition', room, game, fc.constant(['open']), fc.constantFrom('drawing', 'ended'), fc.record({ endedAt: maybe(when) }))),

  other(op('wecom.createPool', fc.constantFrom('pool1', 'pool2'), fc.subarray(['chat1', 'chat2']))),
  other(op('wecom.addGroup', fc.constantFrom('pool1', 'pool2'), chat, fc.integer({ min: 0, max: 199 }))),
  other(op('wecom.addMembers', chat, fc.integer({ min: -3, max: 3 }))),
  other(op('wecom.setMembers', chat, fc.integer({ min: 0, max: 200 }), fc.subarray(['un1', 'un2', 'un3']))),
  other(op('wecom.saveJoinWay', fc.constantFrom('pool1', 'pool2'), room, fc.constantFrom('st1', 'st2'), fc.subarray(['chat1', 'chat2']))),
  other(op('wecom.record', room, fc.constantFrom('pool1', 'pool2'), user)),
  other(op('wecom.read', chat, user, room, fc.constantFrom('pool1', 'pool2'), fc.constantFrom('st1', 'st2'))),

  other(op('broker.publishEvent', room, fc.subarray(['room:r1', 'room:r1:tag:vip']), fc.constantFrom('flash.started', 'room.ended'), fc.jsonValue())),
  other(op('broker.publishState', room, fc.constantFrom('likes', 'flash:s1:left', 'group:G1'), fc.jsonValue())),
  other(op('broker.incrementState', room, fc.constantFrom('likes', 'online'), fc.integer({ min: -5, max: 1_000 }))),
  other(op('broker.publishChatter', room, fc.string())),
  other(op('broker.publishToUser', user, fc.jsonValue())),
  other(op('broker.history', room, fc.integer({ min: 0, max: 8 }))),
  other(op('broker.read', room)),
  other(op('presence.report', fc.constantFrom('n1', 'n2'), room, fc.integer({ min: 0, max: 9 }), fc.constantFrom(30_000, 60_000))),
  other(op('rooms.create', room, fc.constantFrom('Live', '直播间 "春"'))),
  other(op('rooms.update', room, fc.record({ status: maybe(fc.constantFrom('live', 'ended')), pinned: maybe(fc.option(product, { nil: null })) }))),
  other(op('idempotency.remember', fc.constantFrom('k1', 'k2'), fc.boolean())),
  other(op('idempotency.claimOnce', fc.constantFrom('n1', 'n2'))),
  other(op('locks.withLock', fc.constantFrom('way-a', 'way-b'))),
  other(op('locks.renew', fc.constantFrom('way-a', 'way-b'), fc.constantFrom('holder', 'another'))),
];

/** One operation on one engine; what it answers (or its error's code). */
async function apply(engine: Engine, stores: Stores, [name, ...a]: Op): Promise<unknown> {
  const c = stores;
  const args = a as any[];
  const previousDay = (day: string) => (day === '2026-12-02' ? '2026-12-01' : '2026-11-30');
  switch (name) {
    case 'flash.create': {
      const { id, room: r, startsAt, endsAt } = args[0];
      return c.flash.create(args[0], [startsAt && { at: startsAt, key: `flash-start|${r}|${id}` }, endsAt && { at: endsAt, key: `flash-end|${r}|${id}` }].filter(Boolean));
    }
    case 'flash.buy': return c.flash.buyAll(args[2].map((tap: object) => ({ ...tap, room: args[0], sale: args[1], requestTtlMs: ttl })))
      .then((outcomes) => outcomes.map((o) => (o instanceof Error ? { refused: o.code } : o)));
    case 'flash.release': return c.flash.release(args[0], args[1], args[2], args[3]);
    case 'flash.transition': return c.flash.transition(args[0], args[1], args[2], args[3], args[4]);
    case 'flash.publishLeft': return c.flash.publishLeft(args[0], args[1]);
    case 'flash.list': return c.flash.list(args[0]);
    case 'coupons.create': return c.coupons.create(args[0]);
    case 'coupons.claim': return c.coupons.claimAll(args[2].map((claim: object) => ({ ...claim, room: args[0], campaign: args[1], requestTtlMs: ttl })))
      .then((outcomes) => outcomes.map((o) => (o instanceof Error ? { refused: o.code } : o)));
    case 'coupons.grant': return c.coupons.grant(args[0], args[1], args[2], args[3], args[4]);
    case 'coupons.transition': return c.coupons.transition(args[0], args[1], args[2], args[3], args[4]);
    case 'coupons.publishLeft': return c.coupons.publishLeft(args[0], args[1]);
    case 'groups.create': return c.groups.create(args[0]);
    case 'groups.open': return c.groups.open(args[0]);
    case 'groups.join': {
      const [r, joins] = args as [string, Array<{ group: string; user: string; orderId: string; requestId: string; now: number }>];
      const campaigns = await Promise.all(joins.map((j) => c.groups.campaignOf(r, j.group)));
      const batch = joins.filter((_, i) => campaigns[i] && campaigns[i] === campaigns[0]).map((j) => ({ ...j, room: r, campaign: campaigns[0]!, requestTtlMs: ttl }));
      if (!batch.length) return null;
      return c.groups.joinAll(batch).then((outcomes) => outcomes.map((o) => (o instanceof Error ? { refused: o.code } : o)));
    }
    case 'groups.expire': return c.groups.expire(args[0], args[1], args[2]);
    case 'groups.openGroups': return c.groups.openGroups(args[0], args[1], args[2]);
    case 'assists.create': return c.assists.create(args[0]);
    case 'assists.start': return c.assists.start(args[0]);
    case 'assists.help': {
      const [r, helps] = args as [string, Array<{ assist: string; user: string; helpId: string; now: number; rewardOrderId: string }>];
      const campaigns = await Promise.all(helps.map((h) => c.assists.campaignOf(r, h.assist)));
      const batch = helps.filter((_, i) => campaigns[i] && campaigns[i] === campaigns[0])
        .map((h) => ({ ...h, room: r, campaign: campaigns[0]!, requestTtlMs: ttl, rewardPayWindowMs: 900_000 }));
      if (!batch.length) return null;
      return c.assists.helpAll(batch).then((outcomes) => outcomes.map((o) => (o instanceof Error ? { refused: o.code } : o)));
    }
    case 'assists.expire': return c.assists.expire(args[0], args[1], args[2]);
    case 'assists.locate': return c.assists.locate(args[0]);
    case 'orders.get': return c.orders.get(args[0]);
    case 'orders.transition': return c.orders.transition(args[0], args[1], args[2], args[3]);
    case 'orders.unsettled': return c.orders.unsettled(args[0], args[1]);
    case 'schedule.at': return c.schedule.at(args[0], args[1]);
    case 'schedule.claimDue': return c.schedule.claimDue(args[0], args[1], args[2]);
    case 'schedule.done': return c.schedule.done(args[0]);
    case 'games.create': {
      const g = args[0];
      return stores.games.create(g, g.kind === 'draw' ? { seed: 'seed-1' } : g.kind === 'red-packet' ? { shares: [50, 30, 20] } : {});
    }
    case 'games.checkIn': return stores.checkIns.checkIn({ ...args[0], yesterday: previousDay(args[0].today) });
    case 'games.enter': return stores.draws.enter(args[0]);
    case 'games.grab': return stores.packets.grab(args[0]);
    case 'games.endRedPacket': return stores.packets.end(args[0], args[1], args[2]);
    case 'games.read': {
      const [r, g, u] = args;
      const entries = (await stores.draws.entries(r, g)).sort();
      return [await stores.games.get(r, g), await stores.games.list(r), entries, await stores.draws.users(r, g, entries), await stores.draws.seed(r, g), await stores.packets.grabs(r, g),
        await stores.points.balance(r, u), await stores.points.ledger(r, u, 5), await stores.checkIns.count(r, '2026-12-01')];
    }
    case 'games.spend': return stores.points.spend(args[0]);
    case 'games.transition': return stores.games.transition(args[0], args[1], args[2], args[3], args[4]);
    case 'wecom.createPool': {
      const pool = { id: args[0], name: `Pool ${args[0]}`, priority: 1, rule: {}, cap: 200, roomBaseName: 'VIP群', roomBaseId: 1, createdAt: T0 };
      return stores.wecom.createPool(pool as never, (args[1] as string[]).map((chatId) => ({ chatId, name: `群 ${chatId}`, members: 3 })));
    }
    case 'wecom.addGroup': return stores.wecom.addGroup(args[0], { chatId: args[1], name: `群 ${args[1]}`, members: args[2] });
    case 'wecom.addMembers': return stores.wecom.addMembers(args[0], args[1]);
    case 'wecom.setMembers': return stores.wecom.setMembers(args[0], args[1], args[2]);
    case 'wecom.saveJoinWay': return stores.wecom.saveJoinWay({ pool: args[0], room: args[1], state: args[2], chatIds: args[3], configId: `cfg-${args[2]}`, qrCode: 'https://qr' });
    case 'wecom.record': return Promise.all([stores.wecom.countRouted(args[0], args[1]), stores.wecom.recordJoin(args[0], args[1], args[2]), stores.wecom.markBuyer(args[0], args[2])]);
    case 'wecom.read': {
      const [chatId, u, r, pool, state] = args;
      const w = stores.wecom;
      return [await w.pools(), await w.groups(pool), await w.poolOf(chatId), await w.inRoster(chatId, `un${u.slice(1)}`), await w.joinWay(pool, r),
        await w.joinWays(pool), await w.byState(state), await w.figures(), await w.isBuyer(r, u)];
    }
    case 'broker.publishEvent': return engine.broker.publishEvent(args[0], args[1], { type: args[2], data: args[3] });
    case 'broker.publishState': return engine.broker.publishState(args[0], args[1], args[2]);
    case 'broker.incrementState': return engine.broker.incrementState(args[0], args[1], args[2]);
    case 'broker.publishChatter': return engine.broker.publishChatter(args[0], { type: 'comment', data: args[1] });
    case 'broker.publishToUser': return engine.broker.publishToUser(args[0], { type: 'order.update', data: args[1] });
    case 'broker.history': return engine.broker.history(args[0], args[1]);
    case 'broker.read': return Promise.all([engine.broker.lastSeq(args[0]), engine.broker.roomState(args[0])]);
    case 'presence.report': return engine.presence.report(args[0], new Map([[args[1], args[2]]]), args[3]).then((m) => [...m]);
    case 'rooms.create': return stores.rooms.create({ id: args[0], title: args[1], status: 'created', createdAt: T0, pinned: null });
    case 'rooms.update': return stores.rooms.update(args[0], args[1]).then(async (updated) => [updated, await stores.rooms.get(args[0]), await engine.presence.count(args[0])]);
    case 'idempotency.remember': return engine.idempotency.remember(args[0], ttl, async () => {
      if (args[1]) throw new RoomcastError('sold_out', 'gone');
      return { ok: args[0] };
    });
    case 'idempotency.claimOnce': return engine.idempotency.claimOnce(args[0], ttl);
    case 'locks.withLock': return new Locks(engine.store, engine.keys.lock, () => 'holder').withLock(args[0], { leaseMs: ttl, waitMs: 0 }, async () => args[0]);
    // The renewal runs on a timer inside withLock; here by hand, by the holder or by a node whose lease ran out.
    case 'locks.renew': return new Locks(engine.store, engine.keys.lock, () => 'holder').withLock(args[0], { leaseMs: ttl, waitMs: 0 }, () =>
      engine.store.run(renewScript, [engine.keys.lock(args[0])], [args[1], ttl]));
  }
  throw new Error(`no operation ${name}`);
}

/** An answer that is not a refusal: not empty, and (for a batch) with a decision that was not refused. */
function succeededWith(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (!Array.isArray(value)) return true;
  return value.some((v) => !(v && typeof v === 'object' && 'refused' in v)) && value.length > 0;
}

async function settle(engine: Engine, stores: Stores, operation: Op): Promise<unknown> {
  try {
    return { value: await apply(engine, stores, operation) };
  } catch (err) {
    return { error: errorCode(err) };
  }
}

/**
 * The embedded store's clock is frozen, Redis's runs: a key's time to live matches Redis's when it
 * is no longer than Redis's plus the sequence's run time (the same expiry, set at the same step).
 */
const RUN_TIME_MS = 20_000;
function sameExpiries(embedded: Record<string, { ttl: number }>, onRedis: Record<string, { ttl: number }>): void {
  for (const [key, entry] of Object.entries(embedded)) {
    const redisTtl = onRedis[key]?.ttl;
    if (redisTtl === undefined) continue;
    const close = entry.ttl === redisTtl || (redisTtl > 0 && entry.ttl >= redisTtl && entry.ttl - redisTtl <= RUN_TIME_MS);
    assert.ok(close, `${key} expires in ${entry.ttl} ms on the embedded store, ${redisTtl} ms on Redis`);
    entry.ttl = redisTtl;
  }
}

let redis: PrivateRedis;

before(async () => {
  redis = await PrivateRedis.start({ args: ['--hash-max-listpack-entries', '100000', '--hash-max-listpack-value', '100000'] });
  mock.timers.enable({ apis: ['Date'], now: T0 });
});

after(async () => {
  mock.timers.reset();
  await redis.remove();
});

test('random sequences of every engine operation: Redis and the embedded store answer the same bytes and keep the same data', async (t) => {
  const seed = process.env.ROOMCAST_SEED ? Number(process.env.ROOMCAST_SEED) : undefined;
  let steps = 0;
  const succeeded = new Map<string, number>();
  const sequences = fc.tuple(setup, fc.array(fc.oneof(...operations), { minLength: 30, maxLength: 100 })).map(([made, ops]) => [...made, ...ops]);
  await fc.assert(fc.asyncProperty(sequences, async (sequence) => {
    const prefix = uniquePrefix();
    const onRedis = new Recording(await RedisStore.connect(redis.url));
    const embedded = new Recording(new EmbeddedStore());
    const engines = [createEngine(onRedis, prefix, HISTORY), createEngine(embedded, prefix, HISTORY)] as const;
    const stores = [storesOf(engines[0]), storesOf(engines[1])] as const;
    const heard: [BusMessage[], BusMessage[]] = [[], []];
    engines.forEach((engine, i) => engine.broker.onMessage((m) => heard[i]!.push(m)));
    try {
      for (const engine of engines) {
        for (const r of ['r1', 'r2']) await engine.broker.subscribeRoom(r);
        for (const u of ['u1', 'u2', 'u3', 'u4']) await engine.broker.subscribeUser(u);
      }
      for (const [i, operation] of sequence.entries()) {
        const [onRedisAnswer, embeddedAnswer] = [await settle(engines[0], stores[0], operation), await settle(engines[1], stores[1], operation)];
        steps++;
        const value = (onRedisAnswer as { value?: unknown }).value;
        if (succeededWith(value)) succeeded.set(operation[0], (succeeded.get(operation[0]) ?? 0) + 1);
        assert.deepStrictEqual(embedded.log, onRedis.log, `step ${i} (${operation[0]}): the store calls or their replies differ`);
        assert.deepStrictEqual(embeddedAnswer, onRedisAnswer, `step ${i} (${operation[0]}): the answers differ`);
      }
      for (let wait = 0; heard[0].length < heard[1].length && wait < 100; wait++) await new Promise((r) => setTimeout(r, 20));
      assert.deepStrictEqual(heard[1], heard[0], 'the published messages differ');
      const keys = (await onRedis.inner.call('KEYS', `${prefix}:*`)) as string[];
      const [embeddedData, redisData] = [await dump(embedded.inner, (embedded.inner as EmbeddedStore).dump().keys()), await dump(onRedis.inner, keys)];
      sameExpiries(embeddedData, redisData);
      assert.deepStrictEqual(embeddedData, redisData, 'the data differs');
    } finally {
      await Promise.all(engines.map((e) => e.close()));
    }
  }), { numRuns: 50, includeErrorInReport: true, ...(seed === undefined ? {} : { seed }) });
  // The comparison means something only if the decisions got past their refusals: each did, somewhere.
  const unexercised = decisions.filter((name) => !succeeded.get(name));
  assert.deepEqual(unexercised, [], `decisions that never succeeded in ${steps} steps`);
  t.diagnostic(`${steps} steps; successful decisions: ${decisions.map((d) => `${d} ${succeeded.get(d)}`).join(', ')}`);
});
