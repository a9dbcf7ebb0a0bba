/** Group-buys as viewers see them: seats taken at join time under a race, forming once, failing once. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { transports } from '../../testing/clients.ts';
import { engines, names, startTestNode, type TestNode } from '../../testing/node.ts';

const product = { id: 'sku-pot', title: 'Clay pot', price: 9900 };

for (const engine of engines) {
  for (const transport of transports) {
    describe(`group-buy over ${transport} on ${engine}`, () => {
      let node: TestNode;
      const viewers = (room: string, n: number, prefix: string) => node.viewers(transport, room, names(prefix, n));
      const setup = async (room: string, campaign: Record<string, unknown>) => {
        assert.equal((await node.api('POST', '/v1/rooms', { id: room, title: room })).status, 201);
        const created = await node.api('POST', `/v1/rooms/${room}/group-buys`, { product, price: 5900, ...campaign });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        return created.body.groupBuy.id as string;
      };

      before(async () => {
        node = await startTestNode({ engine });
      });
      after(() => node.close());

      test('20 concurrent joins for the last 2 seats: exactly 2; the group forms once, for the room and each member', async () => {
        const campaign = await setup('gb', { id: 'pots', size: 5 });
        const [leader, m1, m2, ...crowd] = await viewers('gb', 23, 'g');
        const opened = (await leader!.request('group.open', { room: 'gb', campaign, requestId: 'open' })) as any;
        assert.equal(opened.ok, true, JSON.stringify(opened));
        const group = opened.data.group;
        assert.deepEqual([group.members, group.size, group.status, typeof group.order], [1, 5, 'open', 'string']);
        for (const m of [m1!, m2!]) assert.equal((await m.request('group.join', { room: 'gb', group: group.id, requestId: 'j' })).ok, true);
        await crowd[0]!.waitFor(() => (crowd[0]!.state()[`group:${group.id}`] as any)?.members === 3, 'the group filling live');
        const listed = (await crowd[0]!.request('group.list', { room: 'gb', campaign })) as any;
        assert.deepEqual(listed.data.groups.map((g: any) => [g.id, g.members]), [[group.id, 3]]);

        const replies = await Promise.all(crowd.map((c) => c.request('group.join', { room: 'gb', group: group.id, requestId: 'race' })));
        assert.equal(replies.filter((r) => r.ok).length, 2);
        assert.ok(replies.every((r) => r.ok || r.error.code === 'group_full'));
        const members = [leader!, m1!, m2!, ...crowd.filter((_, i) => replies[i]!.ok)];
        for (const c of crowd) await c.waitFor(() => c.events('group.formed').length >= 1, 'group.formed in the room');
        for (const m of members) {
          await m.waitFor(() => m.events('group.formed').length === 2, 'group.formed to the room and personally');
          assert.ok(m.events('group.formed').some((e) => typeof (e.data as any).order === 'string'));
        }
        assert.ok(crowd.filter((_, i) => !replies[i]!.ok).every((c) => c.events('group.formed').length === 1), 'outsiders hear it once, from the room');
        const figures = (await node.api('GET', `/v1/rooms/gb/group-buys/${campaign}`)).body.groupBuy;
        assert.deepEqual([figures.opened, figures.formed, figures.failed, figures.open], [1, 1, 0, 0]);
      });

      test('a user is in one open group at a time; an expired group fails once and tells its members', async () => {
        const campaign = await setup('gx', { id: 'short', size: 3, ttlSec: 1 });
        const [a, b, c] = await viewers('gx', 3, 'x');
        const opened = (await a!.request('group.open', { room: 'gx', campaign, requestId: 'o' })) as any;
        const again = await a!.request('group.open', { room: 'gx', campaign, requestId: 'o2' });
        assert.equal(!again.ok && again.error.code, 'already_done');
        const own = await a!.request('group.join', { room: 'gx', group: opened.data.group.id, requestId: 'j' });
        assert.equal(!own.ok && own.error.code, 'already_done');
        assert.equal((await b!.request('group.join', { room: 'gx', group: opened.data.group.id, requestId: 'j' })).ok, true);
        for (const m of [a!, b!]) await m.waitFor(() => m.events('group.failed').length === 1, 'group.failed', 5000);
        assert.equal(c!.events('group.failed').length, 0);
        const late = await c!.request('group.join', { room: 'gx', group: opened.data.group.id, requestId: 'late' });
        assert.equal(!late.ok && late.error.code, 'expired');
        assert.equal((await node.api('GET', `/v1/rooms/gx/group-buys/${campaign}`)).body.groupBuy.failed, 1);
        assert.equal((await a!.request('group.open', { room: 'gx', campaign, requestId: 'o3' })).ok, true, 'free to open again after failing');
        const bad = await a!.request('group.join', { room: 'gx', group: 'nope', requestId: 'z' });
        assert.equal(!bad.ok && bad.error.code, 'not_found');
        assert.equal((await node.api('POST', '/v1/rooms/gx/group-buys', { product, price: 1, size: 1 })).status, 400);
      });
    });
  }
}
