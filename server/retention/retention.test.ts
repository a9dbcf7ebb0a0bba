/**
 * Retention with short settings: a room ended a second ago has lost every key but its orders; a
 * finished (expired) order leaves after its own days, a live one stays; a room still live keeps
 * everything; the export lists a room's orders as JSON lines first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../testing/clients.ts';
import { engines, startTestNode, type TestNode } from '../testing/node.ts';

const SECOND_IN_DAYS = 1 / 86_400;

for (const engine of engines) {
  describe(`retention on ${engine}`, () => {
    let node: TestNode;
    before(async () => {
      node = await startTestNode({ engine, config: { retention: { roomDays: SECOND_IN_DAYS, orderDays: 2 * SECOND_IN_DAYS, sweepEveryMs: 200 } } });
    });
    after(() => node.close());

    const keysOf = (room: string) => node.node.engine.store.scanKeys(`${node.node.engine.keys.room(room, '')}*`);

    test("an ended room's keys go after roomDays, its live orders stay; a finished order goes after orderDays", async () => {
      for (const room of ['done', 'still-live']) {
        await node.api('POST', '/v1/rooms', { id: room, title: room });
        await node.api('POST', `/v1/rooms/${room}/start`);
        await node.api('POST', `/v1/rooms/${room}/flash-sales`, { id: 'long', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5, payWindowSec: 600 });
        await node.api('POST', `/v1/rooms/${room}/flash-sales`, { id: 'short', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5, payWindowSec: 1 });
        for (const sale of ['long', 'short']) await node.api('POST', `/v1/rooms/${room}/flash-sales/${sale}/start`);
      }
      const [buyer] = await node.viewers('ws', 'done', ['keeper']);
      const live = ((await buyer!.request('flash.buy', { room: 'done', sale: 'long', requestId: 'a' })) as any).data.order.id as string;
      const finished = ((await buyer!.request('flash.buy', { room: 'done', sale: 'short', requestId: 'b' })) as any).data.order.id as string;
      await waitFor(async () => (await node.api('GET', `/v1/orders/${finished}`)).body.order.state === 'expired', 'the short reservation expiring', 10_000);

      const exported = await fetch(`${node.baseUrl}/v1/orders?room=done&since=0`, { headers: { authorization: `Bearer ${node.apiKey}` } });
      assert.match(exported.headers.get('content-type') ?? '', /^application\/x-ndjson/);
      const lines = (await exported.text()).trim().split('\n').map((line) => JSON.parse(line) as { id: string; state: string; user: string });
      assert.deepEqual(lines.map((o) => [o.id, o.state, o.user]).sort(), [[live, 'reserved', 'keeper'], [finished, 'expired', 'keeper']].sort());
      assert.equal((await node.api('GET', '/v1/orders?since=0')).status, 400, 'the room is required');

      const before = (await keysOf('done')).length;
      assert.equal((await node.api('POST', '/v1/rooms/done/end')).status, 200);
      const orderPrefix = node.node.engine.keys.room('done', 'order:');
      const left = await waitFor(async () => {
        const keys = await keysOf('done');
        return keys.every((k) => k.startsWith(orderPrefix)) && keys;
      }, "the ended room's keys going", 10_000);
      assert.ok(left.length < before, `${before} keys before, ${left.length} after`);
      assert.equal((await node.api('GET', '/v1/rooms/done')).status, 404);

      await waitFor(async () => (await node.api('GET', `/v1/orders/${finished}`)).status === 404, 'the finished order leaving', 10_000);
      assert.equal((await node.api('GET', `/v1/orders/${live}`)).body.order.state, 'reserved', 'the live order stays');
      assert.equal(await node.node.engine.store.hget(node.node.engine.keys.global('order-rooms'), finished), null, 'its index entry too');
      // The room that did not end keeps everything.
      assert.equal((await node.api('GET', '/v1/rooms/still-live')).status, 200);
      assert.equal((await node.api('GET', '/v1/rooms/still-live/flash-sales/long')).status, 200);
    });
  });
}
