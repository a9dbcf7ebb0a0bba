/**
 * Every Lua script of Roomcast runs on a three-master Redis Cluster, with the keys its real callers
 * give it: a node on the cluster goes through a live (rooms, flash sales with coupons, payments and
 * a cancellation through the mall, group-buys that form and fail, assists that complete and expire,
 * moderation, figures, the audit trail) and a WeCom group's games (check-in, a draw, a red packet,
 * points). A script whose keys left its room's slot would fail with CROSSSLOT (the store says so by
 * name first); at the end, each script file the modules declare has run at least once.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeBrand } from '../../load/fake-brand/brand.ts';
import { FakeMall } from '../../load/fake-mall/mall.ts';
import { loadedScripts } from '../platform/store/lua-script.ts';
import type { RedisStore } from '../platform/store/redis/store.ts';
import { waitFor, type TestClient } from '../testing/clients.ts';
import { TagStore } from '../wecom/tags/store.ts';
import { startTestNode, type TestNode } from '../testing/node.ts';

let node: TestNode;
let mall: FakeMall;
let brand: FakeBrand;
const ROOM = 'cl-live';
const CHAT = 'wrCluster';
const product = { id: 'tea', title: 'Tea', price: 1000 };
const ok = (reply: { ok: boolean }, what: string) => assert.equal(reply.ok, true, `${what}: ${JSON.stringify(reply)}`);

before(async () => {
  mall = await FakeMall.start({ secret: 'dev-mall-secret' });
  brand = await FakeBrand.start({ secret: 'dev-crm-secret' });
  node = await startTestNode({
    engine: 'cluster',
    config: {
      mall: { url: mall.url, retryBaseMs: 50, sweepEveryMs: 200, sweepGraceMs: 0 },
      crm: { url: brand.crmUrl, secret: 'dev-crm-secret' },
      participation: { everyMs: 100 },
      // Corp tags on: the viewers here are no WeCom member's customers, so their tags wait (pend-1.lua).
      wecom: { tags: { rules: { 'order.reserved': '直播{room}-已下单' } } },
      rooms: { presenceIntervalMs: 200, presenceTtlMs: 1000 },
      realtime: { rateLimit: { commentsPerSec: 100, commentsBurst: 100 } },
    },
  });
  mall.notifyTo(`${node.baseUrl}/v1/mall/notify`);
});
after(async () => {
  await node.close();
  await mall.close();
  await brand.close();
});

test('a live and a group\'s games on a Redis Cluster: every script runs, none leaves its slot', async () => {
  const api = async (method: string, path: string, body?: unknown, status = [200, 201]) => {
    const res = await node.api(method, path, body);
    assert.ok(status.includes(res.status), `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  // The live: a sale with a coupon, a group-buy of two that forms and one that fails, assists.
  await api('POST', '/v1/rooms', { id: ROOM, title: 'Cluster live' });
  await api('POST', `/v1/rooms/${ROOM}/start`);
  await api('POST', `/v1/rooms/${ROOM}/flash-sales`, { id: 's', product, price: 900, stock: 20 });
  await api('POST', `/v1/rooms/${ROOM}/flash-sales/s/start`);
  await api('POST', `/v1/rooms/${ROOM}/coupons`, { id: 'c', title: '1 off', value: 100, quantity: 10 });
  await api('POST', `/v1/rooms/${ROOM}/coupons`, { id: 'reward', title: 'reward', value: 200, quantity: 10 });
  await api('POST', `/v1/rooms/${ROOM}/group-buys`, { id: 'pair', product, price: 800, size: 2, ttlSec: 1 });
  await api('POST', `/v1/rooms/${ROOM}/assists`, { id: 'friends', target: 2, reward: { coupon: 'reward' } });
  await api('POST', `/v1/rooms/${ROOM}/assists`, { id: 'short', target: 5, ttlSec: 1, reward: {} });
  await api('POST', `/v1/rooms/${ROOM}/pin`, { product });
  await api('PUT', `/v1/rooms/${ROOM}/keywords`, { words: ['spam'] });

  const viewers: TestClient[] = await node.viewers('ws', ROOM, ['a', 'b', 'c', 'd', 'e', 'f']);
  const [a, b, c, d, e, f] = viewers as [TestClient, TestClient, TestClient, TestClient, TestClient, TestClient];
  await api('POST', `/v1/rooms/${ROOM}/coupons/c/pop`);
  const claimed = (await a.request('coupon.claim', { room: ROOM, coupon: 'c', requestId: 'c1' })) as { ok: true; data: { coupon: { id: string } } };
  ok(claimed, 'claim');
  const bought = await Promise.all(viewers.map((v, i) => v.request('flash.buy', { room: ROOM, sale: 's', requestId: `b${i}`, ...(i === 0 ? { coupon: claimed.data.coupon.id } : {}) })));
  bought.forEach((r, i) => ok(r, `buy ${i}`));
  const orders = bought.map((r) => (r as { data: { order: { id: string; amount: number } } }).data.order);
  // Orders found by id alone (the mall's notifications): the id names its slot.
  for (const order of orders.slice(0, 2)) await waitFor(async () => (await node.api('GET', `/v1/orders/${order.id}`)).body.order.state === 'submitted', 'settled into the mall', 15_000);
  const paid = await mall.notify({ orderId: orders[0]!.id, mallOrderId: mall.orders.get(orders[0]!.id)!.mallOrderId, status: 'paid', amount: orders[0]!.amount });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  const cancelled = await mall.notify({ orderId: orders[1]!.id, mallOrderId: mall.orders.get(orders[1]!.id)!.mallOrderId, status: 'cancelled' });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));

  const group = (await a.request('group.open', { room: ROOM, campaign: 'pair', requestId: 'g1' })) as { data: { group: { id: string } } };
  ok(await b.request('group.join', { room: ROOM, group: group.data.group.id, requestId: 'g2' }), 'group join');
  ok(await c.request('group.open', { room: ROOM, campaign: 'pair', requestId: 'g3' }), 'a group that will fail');
  const assist = (await d.request('assist.start', { room: ROOM, campaign: 'friends', requestId: 'as1' })) as { ok: boolean; data: { assist: { shareCode: string; id: string } } };
  ok(assist, 'assist start');
  ok(await e.request('assist.help', { shareCode: assist.data.assist.shareCode, requestId: 'h1' }), 'help by share code');
  ok(await f.request('assist.help', { assist: assist.data.assist.id, requestId: 'h2' }), 'help by assist id');
  ok(await e.request('assist.start', { room: ROOM, campaign: 'short', requestId: 'as2' }), 'an assist that will expire');

  // Moderation, resume, likes; the audit trail and figures read back.
  ok(await e.request('comment', { room: ROOM, text: 'hello' }), 'comment');
  const said = (await f.request('comment', { room: ROOM, text: 'spam here' })) as { data: { id: string } };
  const spoken = (await node.api('GET', `/v1/rooms/${ROOM}/comments`)).body.comments as Array<{ id: string; user: { id: string } }>;
  await api('POST', `/v1/rooms/${ROOM}/mutes`, { user: spoken[0]!.user.id, seconds: 60 });
  await api('POST', `/v1/rooms/${ROOM}/bans`, { user: spoken[0]!.user.id });
  await api('POST', `/v1/rooms/${ROOM}/comments/${spoken[0]!.id}/remove`);
  assert.ok(said.data.id);
  a.request('like', { room: ROOM, n: 3 }).catch(() => undefined);
  const [late] = await node.viewers('ws', 'cl-live', ['late']);
  ok(await late!.request('join', { room: ROOM, resume: 1 }), 'resume from history');
  await api('GET', `/v1/rooms/${ROOM}/figures`);
  const audit = (await api('GET', `/v1/rooms/${ROOM}/audit?limit=5`)) as { entries: unknown[] };
  assert.equal(audit.entries.length, 5);

  // A WeCom group's games.
  await api('POST', `/v1/groups/${CHAT}/games`, { kind: 'checkin', id: 'daily' });
  await api('POST', `/v1/groups/${CHAT}/games`, { kind: 'draw', id: 'bag', prizes: [{ name: 'cup', count: 1 }], drawAt: Date.now() + 60_000 });
  await api('POST', `/v1/groups/${CHAT}/games`, { kind: 'red-packet', id: 'rp', total: 300, count: 3 });
  const members = await node.viewers('ws', `group:${CHAT}`, ['m1', 'm2'], { chats: [CHAT] });
  for (const m of members) {
    ok(await m.request('checkin', { room: `group:${CHAT}`, game: 'daily' }), 'check-in');
    ok(await m.request('draw.enter', { room: `group:${CHAT}`, game: 'bag' }), 'draw entry');
    ok(await m.request('redpacket.grab', { room: `group:${CHAT}`, game: 'rp' }), 'grab');
  }
  await api('POST', `/v1/groups/${CHAT}/games/bag/draw`);
  await api('POST', `/v1/groups/${CHAT}/games/rp/end`);
  await api('POST', `/v1/groups/${CHAT}/points/m1/spend`, { points: 1, reason: 'test' });

  // A lock held past its lease is renewed, then released.
  await node.node.engine.locks.withLock('cluster-check', { leaseMs: 300, waitMs: 0 }, () => sleep(700));

  // Expiries come due (the scheduler reads each slot's schedule), and the presence reports.
  const store = node.node.engine.store as RedisStore;
  await waitFor(() => ['commerce/group-buy/expire', 'commerce/assist/expire', 'platform/presence/report-presence', 'platform/bus/increment-state', 'wecom/tags/pend'].every((s) => store.scriptsRun.has(s)) || undefined, 'expiries, presence and likes', 15_000);
  await api('POST', `/v1/rooms/${ROOM}/end`);
  // Viewer a's tags wait (no WeCom member's customer here); once on a customer they leave the pending ones (unpend-2.lua).
  const tags = new TagStore(node.node.engine);
  const waiting = await waitFor(async () => { const names = await tags.pending('a'); return names.length ? names : undefined; }, 'a tag waiting for viewer a', 15_000);
  await tags.unpend('a', waiting);
  assert.deepEqual(await tags.pending('a'), []);

  // Participation events leave every slot's outbox for the CRM: the live's and the group's.
  await waitFor(() => ['order.paid', 'checkin.done', 'packet.grabbed', 'assist.started', 'draw.entered', 'draw.won'].every((type) => brand.received(type).length) || undefined, "the live's and the group's events at the CRM", 15_000);

  // A batch the CRM refuses for good goes to its slot's dead letters, and an operator's replay sends it again (replay-2.lua).
  brand.failNext(400, 1);
  await node.viewers('ws', ROOM, ['refused']);
  await waitFor(async () => (await node.api('GET', '/v1/participation/dead?sink=crm')).body.deadLetters.length || undefined, 'a dead letter', 15_000);
  assert.ok((await api('POST', '/v1/participation/dead/replay?sink=crm')).replayed >= 1);
  await waitFor(() => brand.received('viewer.joined').some((e) => e.user === 'refused') || undefined, 'the replayed event at the CRM', 15_000);

  // Every script file under server/ (`<name>-<keys>.lua`), each declared by its module and run here.
  const files = readdirSync(new URL('../', import.meta.url), { recursive: true, encoding: 'utf8' })
    .flatMap((f) => /^(.*)-\d+\.lua$/.exec(f)?.[1] ?? []).sort();
  assert.deepEqual(loadedScripts().map((s) => s.name).sort(), files, 'the modules declare every script file');
  assert.deepEqual(files.filter((name) => !store.scriptsRun.has(name)), [], `every one of the ${files.length} scripts ran on the cluster`);
});
