/**
 * Offers for an audience: a first-order-only sale (新人购) refuses a viewer who has paid before, on
 * another node than the one that took the payment; a tag-only group-buy and flash sale are
 * invisible outside their audience (snapshot, announcements, the open groups) and refuse
 * outsiders; an empty audience is a bad request.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { FakeMall } from '../../../load/fake-mall/mall.ts';
import { connect, waitFor, type TestClient } from '../../testing/clients.ts';
import { deletePrefix, startTestNode, uniquePrefix, type EngineKind, type TestNode } from '../../testing/node.ts';

const tea = { id: 'tea', title: 'Tea', price: 1000 };
const code = (reply: { ok: boolean; error?: { code: string } }) => (reply.ok ? 'ok' : reply.error!.code);
const campaignIds = (joined: { data?: unknown }) => ((joined.data as { snapshot: { campaigns: Array<{ id: string }> } }).snapshot.campaigns).map((c) => c.id).sort();

for (const engine of ['memory', 'redis', 'cluster'] as EngineKind[]) {
  // The embedded engine is one process; on Redis two nodes share the prefix: the payment lands on
  // one, the first-order tap on the other.
  const twoNodes = engine !== 'memory';
  describe(`offers for an audience (${engine}${twoNodes ? ', two nodes' : ''})`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    async function setup(): Promise<{ a: TestNode; b: TestNode; mall: FakeMall }> {
      const mall = await FakeMall.start({ secret: 'dev-mall-secret' });
      cleanups.push(() => mall.close());
      const prefix = uniquePrefix();
      const config = { mall: { url: mall.url, retryBaseMs: 50 } };
      const a = await startTestNode({ engine, prefix, config });
      cleanups.push(() => a.close());
      const b = twoNodes ? await startTestNode({ engine, prefix, config }) : a;
      if (twoNodes) cleanups.push(() => b.close());
      if (engine === 'redis') cleanups.push(() => deletePrefix(prefix));
      mall.notifyTo(`${a.baseUrl}/v1/mall/notify`);
      return { a, b, mall };
    }

    test('first order only: refused once the viewer has paid, on any node; a new viewer buys', async () => {
      const { a, b, mall } = await setup();
      assert.equal((await a.api('POST', '/v1/rooms', { id: 'fo', title: 'fo' })).status, 201);
      for (const sale of [{ id: 'any', stock: 10, perUserLimit: 2 }, { id: 'new', stock: 10, firstOrderOnly: true, perUserLimit: 2 }]) {
        assert.equal((await a.api('POST', '/v1/rooms/fo/flash-sales', { product: tea, price: 900, ...sale })).status, 201);
        assert.equal((await a.api('POST', `/v1/rooms/fo/flash-sales/${sale.id}/start`)).status, 200);
      }
      // In-process nodes share socket.io's attachment: the first node's viewers use native ws.
      const [old] = await a.viewers('ws', 'fo', ['old']);
      const bought = await old!.request('flash.buy', { room: 'fo', sale: 'any', requestId: 'r1' });
      assert.equal(code(bought), 'ok');
      const order = ((bought as { data?: unknown }).data as { order: { id: string } }).order.id;
      await waitFor(() => mall.orders.has(order) || undefined, 'the order in the mall');
      assert.equal((await mall.pay(order)).status, 200);
      await waitFor(async () => (await a.api('GET', `/v1/orders/${order}`)).body.order.state === 'paid' || undefined, 'paid');

      const [oldOnB, fresh] = await b.viewers(twoNodes ? 'socket.io' : 'ws', 'fo', ['old', 'fresh']);
      assert.equal(code(await oldOnB!.request('flash.buy', { room: 'fo', sale: 'new', requestId: 'r2' })), 'not_eligible');
      assert.equal(code(await fresh!.request('flash.buy', { room: 'fo', sale: 'new', requestId: 'r3' })), 'ok');
      // A reservation is not a paid order: the new viewer's next first-order tap still counts as new.
      assert.equal(code(await fresh!.request('flash.buy', { room: 'fo', sale: 'new', requestId: 'r3b' })), 'ok');
      assert.equal((await a.api('GET', '/v1/rooms/fo/flash-sales/new')).body.sale.sold, 2);
      assert.equal(code(await oldOnB!.request('flash.buy', { room: 'fo', sale: 'any', requestId: 'r4' })), 'ok', 'an offer for everyone still sells to them');

      // The same holds for a first-order-only group-buy and assist.
      assert.equal((await a.api('POST', '/v1/rooms/fo/group-buys', { id: 'g', product: tea, price: 500, size: 2, firstOrderOnly: true })).status, 201);
      assert.equal((await a.api('POST', '/v1/rooms/fo/assists', { id: 'as', target: 2, firstOrderOnly: true })).status, 201);
      assert.equal(code(await oldOnB!.request('group.open', { room: 'fo', campaign: 'g', requestId: 'g1' })), 'not_eligible');
      assert.equal(code(await oldOnB!.request('assist.start', { room: 'fo', campaign: 'as', requestId: 'a1' })), 'not_eligible');
      assert.equal(code(await fresh!.request('group.open', { room: 'fo', campaign: 'g', requestId: 'g2' })), 'ok');
      assert.equal(code(await fresh!.request('assist.start', { room: 'fo', campaign: 'as', requestId: 'a2' })), 'ok');
    });

    test('a tag-only group-buy and flash sale: invisible and refused outside the audience; an empty audience is a bad request', async () => {
      const { a, b } = await setup();
      assert.equal((await a.api('POST', '/v1/rooms', { id: 'vip', title: 'vip' })).status, 201);
      for (const audience of [{}, { tags: [] }, { tags: [], channels: [] }]) {
        const refused = await a.api('POST', '/v1/rooms/vip/group-buys', { product: tea, price: 500, size: 2, audience });
        assert.deepEqual([refused.status, refused.body.error.code], [400, 'bad_request'], JSON.stringify(audience));
        assert.equal((await a.api('POST', '/v1/rooms/vip/flash-sales', { product: tea, price: 500, stock: 1, audience })).status, 400);
      }
      assert.equal((await a.api('POST', '/v1/rooms/vip/group-buys', { id: 'members', product: tea, price: 500, size: 2, audience: { tags: ['vip'] } })).status, 201);
      assert.equal((await a.api('POST', '/v1/rooms/vip/group-buys', { id: 'all', product: tea, price: 700, size: 2 })).status, 201);
      assert.equal((await a.api('POST', '/v1/rooms/vip/flash-sales', { id: 'vs', product: tea, price: 500, stock: 5, audience: { tags: ['vip'], channels: ['wecom'] } })).status, 201);

      const transport = twoNodes ? 'socket.io' : 'ws';
      const joins: Record<string, { ok: boolean; data?: unknown }> = {};
      const open = async (node: TestNode, t: 'ws' | 'socket.io', sub: string, claims: { tags?: string[]; channel?: string }): Promise<TestClient> => {
        const client = await connect(t, node.wsUrl, await node.token({ sub, name: sub, ...claims }));
        cleanups.push(() => client.close());
        joins[sub] = (await client.request('join', { room: 'vip' })) as { ok: boolean; data?: unknown };
        assert.equal(joins[sub]!.ok, true);
        return client;
      };
      const vip1 = await open(a, 'ws', 'vip1', { tags: ['vip'] });
      const vip2 = await open(b, transport, 'vip2', { tags: ['gold', 'vip'] });
      const fromWecom = await open(b, transport, 'wc', { channel: 'wecom' });
      const plain = await open(b, transport, 'plain', { tags: ['gold'] });
      assert.deepEqual(campaignIds(joins.vip1!), ['all', 'members', 'vs']);
      assert.deepEqual(campaignIds(joins.wc!), ['all', 'vs'], 'a channel of the sale, not the group-buy');
      assert.deepEqual(campaignIds(joins.plain!), ['all'], 'outside both audiences: neither is in the snapshot');

      assert.equal(code(await plain.request('group.open', { room: 'vip', campaign: 'members', requestId: 'p' })), 'not_eligible');
      assert.equal(code(await plain.request('group.list', { room: 'vip', campaign: 'members' })), 'not_eligible');
      assert.equal(code(await plain.request('group.open', { room: 'vip', campaign: 'all', requestId: 'p' })), 'ok');
      const opened = await vip1.request('group.open', { room: 'vip', campaign: 'members', requestId: 'v' });
      assert.equal(code(opened), 'ok');
      const listed = await vip2.request('group.list', { room: 'vip', campaign: 'members' });
      const group = ((listed as { data?: unknown }).data as { groups: Array<{ id: string }> }).groups[0]!.id;
      assert.equal(code(await plain.request('group.join', { room: 'vip', group, requestId: 'p' })), 'not_eligible');
      assert.equal(code(await vip2.request('group.join', { room: 'vip', group, requestId: 'v' })), 'ok');

      assert.equal((await a.api('POST', '/v1/rooms/vip/flash-sales/vs/start')).status, 200);
      for (const c of [vip1, vip2, fromWecom]) {
        await c.waitFor(() => c.events('group.formed').length + c.events('flash.started').length >= (c === fromWecom ? 1 : 2), 'the audience hears the group formed and the sale started');
      }
      assert.equal(code(await plain.request('flash.buy', { room: 'vip', sale: 'vs', requestId: 'p' })), 'not_eligible');
      assert.equal(code(await fromWecom.request('flash.buy', { room: 'vip', sale: 'vs', requestId: 'w' })), 'ok');
      // Everything the audience heard was published before this: the outsider's socket had it by now.
      await vip1.request('like', { room: 'vip', n: 1 });
      assert.deepEqual([plain.events('group.formed').length, plain.events('flash.started').length], [0, 0], 'the outsider heard of neither');
    });
  });
}
