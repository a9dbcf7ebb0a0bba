/**
 * Commerce split across two Roomcast processes, as operators run them: on one Redis (REDIS_URL) and
 * on a three-master Redis Cluster (REDIS_CLUSTER). A flash-sale storm, coupons popped to an audience,
 * group seats, assists, and repeats answered the same on either node.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { issueToken, secretKey } from '../auth/token.ts';
import { connect, type TestClient } from '../testing/clients.ts';
import { callApi, deletePrefix, testCluster, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';

const secret = secretKey('dev-jwt-secret-do-not-use-in-production');
const api = (node: NodeProcess, method: string, path: string, body?: unknown) => callApi(`http://127.0.0.1:${node.ports.http}`, 'dev-api-key', method, path, body);
const product = { id: 'p', title: 'Tea', price: 100 };

for (const backend of ['redis', 'cluster'] as const) {
  describe(`two nodes on ${backend === 'redis' ? 'one Redis' : 'a Redis Cluster'}`, () => {
    const prefix = uniquePrefix();
    let nodes: NodeProcess[] = [];
    const clients: TestClient[] = [];

    async function viewer(node: NodeProcess, i: number, claims: Record<string, unknown> = {}): Promise<TestClient> {
      const client = await connect(i % 2 ? 'socket.io' : 'ws', `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub: `v${i}`, ...claims }, secret));
      clients.push(client);
      assert.equal((await client.request('join', { room: 'duo' })).ok, true);
      return client;
    }

    before(async () => {
      const env = { ...(backend === 'redis' ? { REDIS_URL: testRedisUrl() } : { REDIS_CLUSTER: await testCluster() }), REDIS_PREFIX: prefix };
      nodes = await Promise.all(['a', 'b'].map((id) => spawnNode({ ...env, NODE_ID: id })));
      assert.equal((await api(nodes[0]!, 'POST', '/v1/rooms', { id: 'duo', title: 'Two nodes' })).status, 201);
    });

    after(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      for (const node of nodes) node.child.kill('SIGTERM');
      await Promise.all(nodes.map((n) => n.exited));
      if (backend === 'redis') await deletePrefix(prefix);
    });

    test('600 buyers over two nodes for stock 50: exactly 50 orders; repeats answer the same order on either node', async () => {
      const [a, b] = nodes as [NodeProcess, NodeProcess];
      assert.equal((await api(a, 'POST', '/v1/rooms/duo/flash-sales', { id: 's', product, price: 90, stock: 50 })).status, 201);
      const buyers = await Promise.all(Array.from({ length: 600 }, (_, i) => viewer(i < 300 ? a : b, i)));
      assert.equal((await api(b, 'POST', '/v1/rooms/duo/flash-sales/s/start')).status, 200);
      const replies = await Promise.all(buyers.map((c, i) => c.request('flash.buy', { room: 'duo', sale: 's', requestId: `r${i}` })));
      assert.equal(replies.filter((r) => r.ok).length, 50);
      assert.ok(replies.every((r) => r.ok || r.error.code === 'sold_out'));
      for (const c of buyers) await c.waitFor(() => c.state()['flash:s:left'] === 0 && c.events('flash.soldout').length === 1, 'left 0 and sold out on both nodes');
      const sale = (await api(a, 'GET', '/v1/rooms/duo/flash-sales/s')).body.sale;
      assert.deepEqual([sale.left, sale.sold], [0, 50]);

      const winner = replies.findIndex((r) => r.ok);
      const elsewhere = await viewer(winner < 300 ? b : a, winner);
      assert.deepEqual(await elsewhere.request('flash.buy', { room: 'duo', sale: 's', requestId: `r${winner}` }), replies[winner], 'the same request on the other node');
      const order = (replies[winner] as { data: { order: { id: string } } }).data.order.id;
      assert.equal((await api(b, 'GET', `/v1/orders/${order}`)).body.order.state, 'reserved', 'found by its id alone, on either node');
    });

    test('coupons popped to an audience: 80 fans over two nodes claim 30; only the tagged hear the pop-up, others are not_eligible', async () => {
      const [a, b] = nodes as [NodeProcess, NodeProcess];
      assert.equal((await api(a, 'POST', '/v1/rooms/duo/coupons', { id: 'c30', title: '5 off', value: 500, quantity: 30, audience: { tags: ['vip'] } })).status, 201);
      const fans = await Promise.all(Array.from({ length: 80 }, (_, i) => viewer(i % 2 ? a : b, 1000 + i, { tags: ['vip'] })));
      const outsider = await viewer(a, 1999);
      assert.equal((await api(b, 'POST', '/v1/rooms/duo/coupons/c30/pop')).status, 200);
      for (const c of fans.slice(0, 4)) await c.waitFor(() => c.events('coupon.popup').length === 1, 'the pop-up on both nodes');
      const replies = await Promise.all(fans.map((c, i) => c.request('coupon.claim', { room: 'duo', coupon: 'c30', requestId: `c${i}` })));
      assert.equal(replies.filter((r) => r.ok).length, 30);
      assert.equal((await api(b, 'GET', '/v1/rooms/duo/coupons/c30')).body.coupon.issued, 30);
      assert.equal((await outsider.request('coupon.claim', { room: 'duo', coupon: 'c30', requestId: 'x' }) as { error?: { code: string } }).error?.code, 'not_eligible');
      assert.equal(outsider.events('coupon.popup').length, 0);
    });

    test('group seats: 30 joiners race for the one seat left in a group of 3, across nodes; exactly one gets it and the group forms once', async () => {
      const [a, b] = nodes as [NodeProcess, NodeProcess];
      assert.equal((await api(a, 'POST', '/v1/rooms/duo/group-buys', { id: 'trio', product, price: 80, size: 3 })).status, 201);
      const leader = await viewer(a, 2000);
      const opened = (await leader.request('group.open', { room: 'duo', campaign: 'trio', requestId: 'g0' })) as { ok: boolean; data: { group: { id: string } } };
      assert.equal(opened.ok, true);
      const second = await viewer(b, 2001);
      assert.equal((await second.request('group.join', { room: 'duo', group: opened.data.group.id, requestId: 'g1' })).ok, true);
      const racers = await Promise.all(Array.from({ length: 30 }, (_, i) => viewer(i % 2 ? a : b, 2100 + i)));
      const replies = await Promise.all(racers.map((c) => c.request('group.join', { room: 'duo', group: opened.data.group.id, requestId: 'seat' })));
      assert.equal(replies.filter((r) => r.ok).length, 1);
      assert.ok(replies.every((r) => r.ok || r.error.code === 'group_full'));
      await leader.waitFor(() => leader.events('group.formed').length >= 1, 'formed');
      const campaign = (await api(b, 'GET', '/v1/rooms/duo/group-buys/trio')).body.groupBuy;
      assert.deepEqual([campaign.opened, campaign.formed], [1, 1]);
    });

    test('assists: 12 friends help over both nodes by share code, toward a target of 5: completed once, 5 helps, the rest refused', async () => {
      const [a, b] = nodes as [NodeProcess, NodeProcess];
      assert.equal((await api(a, 'POST', '/v1/rooms/duo/assists', { id: 'five', target: 5, reward: {} })).status, 201);
      const owner = await viewer(b, 3000);
      const started = (await owner.request('assist.start', { room: 'duo', campaign: 'five', requestId: 'a0' })) as { data: { assist: { shareCode: string } } };
      const friends = await Promise.all(Array.from({ length: 12 }, (_, i) => viewer(i % 2 ? a : b, 3100 + i)));
      const replies = await Promise.all(friends.map((c, i) => c.request('assist.help', { shareCode: started.data.assist.shareCode, requestId: `h${i}` })));
      assert.equal(replies.filter((r) => r.ok).length, 5);
      await owner.waitFor(() => owner.events('assist.completed').length === 1, 'completed, once');
      const again = await friends[replies.findIndex((r) => r.ok)]!.request('assist.help', { shareCode: started.data.assist.shareCode, requestId: `h${replies.findIndex((r) => r.ok)}` });
      assert.equal(again.ok, true, 'a repeated help answers as the first');
      assert.equal((await api(a, 'GET', '/v1/rooms/duo/assists/five')).body.assist.completed, 1);
    });
  });
}
