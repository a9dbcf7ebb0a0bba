/** Assists (助力) as viewers see them: concurrent helps, completion once, progress to the owner. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { transports } from '../../testing/clients.ts';
import { engines, names, startTestNode, type TestNode } from '../../testing/node.ts';

for (const engine of engines) {
  for (const transport of transports) {
    describe(`assist over ${transport} on ${engine}`, () => {
      let node: TestNode;
      const viewers = (room: string, n: number, prefix: string) => node.viewers(transport, room, names(prefix, n));

      before(async () => {
        node = await startTestNode({ engine });
      });
      after(() => node.close());

      test('exactly 3 of 10 concurrent helps count toward a target of 3; completion fires once with its reward', async () => {
        assert.equal((await node.api('POST', '/v1/rooms', { id: 'as', title: 'as' })).status, 201);
        await node.api('POST', '/v1/rooms/as/coupons', { id: 'thanks', title: 'Thanks', value: 500, quantity: 10 });
        const created = await node.api('POST', '/v1/rooms/as/assists', { id: 'friends', target: 3, reward: { coupon: 'thanks' } });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const [owner, ...friends] = await viewers('as', 11, 'f');
        const started = (await owner!.request('assist.start', { room: 'as', campaign: 'friends', requestId: 's' })) as any;
        assert.equal(started.ok, true, JSON.stringify(started));
        const { id, shareCode, target, helpers } = started.data.assist;
        assert.deepEqual([target, helpers, typeof shareCode], [3, 0, 'string']);

        const self = await owner!.request('assist.help', { assist: id, requestId: 'me' });
        assert.equal(!self.ok && self.error.code, 'self_help');
        const replies = await Promise.all(friends.map((f, i) => f.request('assist.help', i % 2 ? { shareCode, requestId: 'h' } : { assist: id, requestId: 'h' })));
        assert.equal(replies.filter((r) => r.ok).length, 3);
        assert.ok(replies.every((r) => r.ok || r.error.code === 'ended'));
        await owner!.waitFor(() => owner!.events('assist.completed').length === 1 && owner!.events('assist.progress').length === 3, 'progress and completion');
        const completed = owner!.events('assist.completed')[0]!.data as any;
        assert.deepEqual([completed.helpers, completed.reward.coupon.campaign, completed.reward.coupon.user], [3, 'thanks', 'f0']);
        const first = replies.findIndex((r) => r.ok);
        const again = (await friends[first]!.request('assist.help', { assist: id, requestId: 'h' })) as any;
        assert.deepEqual([again.ok, again.data.assist.id, again.data.assist.helpers], [true, id, 3], 'a repeat answers the same outcome, with the assist as it is now');
        const refusedAt = replies.findIndex((r) => !r.ok);
        assert.deepEqual(await friends[refusedAt]!.request('assist.help', { assist: id, requestId: 'h' }), replies[refusedAt], 'and a refusal the same refusal');
        const figures = (await node.api('GET', '/v1/rooms/as/assists/friends')).body.assist;
        assert.deepEqual([figures.started, figures.completed], [1, 1]);
        const unknown = await friends[0]!.request('assist.help', { shareCode: 'ZZZZZZZZ', requestId: 'u' });
        assert.equal(!unknown.ok && unknown.error.code, 'not_found');
        const neither = await friends[0]!.request('assist.help', { requestId: 'u' });
        assert.equal(!neither.ok && neither.error.code, 'bad_request');
      });
    });
  }
}
