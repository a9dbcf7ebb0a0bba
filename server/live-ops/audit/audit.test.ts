/**
 * The audit trail on both engines: host, manager and API actions append `{ at, actor, action,
 * target, detail }` once they succeeded (refusals append nothing); read newest first, in pages that
 * neither skip nor repeat while entries keep arriving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from '../../testing/clients.ts';
import { engines, startTestNode, type TestNode } from '../../testing/node.ts';
import type { AuditEntry } from './service.ts';

for (const engine of engines) {
  describe(`audit trail (${engine})`, () => {
    let node: TestNode;
    before(async () => {
      node = await startTestNode({ engine, config: { realtime: { rateLimit: { commentsPerSec: 100, commentsBurst: 100 } } } });
    });
    after(() => node.close());
    const trail = async (room: string, query = '') => (await node.api('GET', `/v1/rooms/${room}/audit${query}`)).body as { entries: AuditEntry[]; next?: number };

    test('API and host actions are appended, newest first, with actor, action, target and detail; refusals are not', async () => {
      const room = `audit-${engine}`;
      await node.api('POST', '/v1/rooms', { id: room, title: 'Audit' });
      await node.api('POST', `/v1/rooms/${room}/flash-sales`, { id: 's1', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5 });
      await node.api('POST', `/v1/rooms/${room}/coupons`, { id: 'c1', title: '5 off', value: 500, quantity: 10 });
      const [host] = await node.viewers('ws', room, ['host-lin'], { role: 'host', rooms: [room], name: 'Lin' });
      const [viewer] = await node.viewers('ws', room, ['fan']);
      assert.equal((await host!.request('room.start', { room })).ok, true);
      assert.equal((await host!.request('flash.start', { room, sale: 's1' })).ok, true);
      assert.equal((await node.api('POST', `/v1/rooms/${room}/coupons/c1/pop`)).status, 200);
      const said = (await viewer!.request('comment', { room, text: 'hi' })) as { data: { id: string } };
      const comments = (await node.api('GET', `/v1/rooms/${room}/comments`)).body.comments as Array<{ user: { id: string } }>;
      const fan = comments[0]!.user.id;
      assert.equal((await host!.request('mute', { room, user: fan, seconds: 60 })).ok, true);
      assert.equal((await host!.request('comment.remove', { room, comment: said.data.id })).ok, true);
      // Refused: not appended.
      assert.equal((await viewer!.request('flash.stop', { room, sale: 's1' })).ok, false);
      assert.equal((await node.api('POST', `/v1/rooms/${room}/mutes`, { user: fan, seconds: 0 })).status, 400);
      assert.equal((await host!.request('flash.start', { room, sale: 's1' })).ok, false, 'already live');

      const { entries } = await trail(room);
      assert.deepEqual(entries.map((e) => e.action), ['comment.remove', 'mute', 'coupon.pop', 'flash.start', 'room.start', 'coupon.create', 'flash.create', 'room.create']);
      assert.deepEqual(entries.map((e) => e.id), [8, 7, 6, 5, 4, 3, 2, 1]);
      const [remove, mute, pop, start] = entries as [AuditEntry, AuditEntry, AuditEntry, AuditEntry];
      assert.deepEqual(mute.actor, { kind: 'host', id: 'host-lin', name: 'Lin' });
      assert.deepEqual([mute.target, mute.detail], [fan, { seconds: 60 }]);
      assert.equal(remove.target, said.data.id);
      assert.deepEqual([pop.actor.kind, pop.actor.id, pop.target], ['api', 'key…-key', 'c1']);
      assert.equal(start.target, 's1');
      assert.ok(entries.every((e, i) => typeof e.at === 'number' && (i === 0 || e.at <= entries[i - 1]!.at)));
      const created = entries.find((e) => e.action === 'coupon.create')!;
      assert.deepEqual([created.target, (created.detail as { title: string }).title], ['c1', '5 off']);
    });

    test('pages neither skip nor repeat while actions keep arriving; a manager\'s game ops land in the group room', async () => {
      const room = `audit-pages-${engine}`;
      await node.api('POST', '/v1/rooms', { id: room, title: 'Pages' });
      const pin = (i: number) => node.api('POST', `/v1/rooms/${room}/pin`, { product: { id: `p${i}`, title: `P${i}`, price: 100 } });
      for (let i = 0; i < 7; i++) await pin(i);
      const seen: number[] = [];
      let page = await trail(room, '?limit=3');
      for (let i = 7; page.entries.length; i++) {
        seen.push(...page.entries.map((e) => e.id));
        await pin(i); // newer entries arriving between pages do not shift the next page
        if (page.next === undefined) break;
        page = await trail(room, `?limit=3&before=${page.next}`);
      }
      assert.deepEqual(seen, [8, 7, 6, 5, 4, 3, 2, 1]);
      assert.equal((await node.api('GET', `/v1/rooms/${room}/audit?limit=0`)).status, 400);
      assert.equal((await node.api('GET', '/v1/rooms/nowhere/audit')).status, 404);

      const manager = await connect('ws', node.wsUrl, await node.token({ sub: 'mgr', role: 'manager', chats: ['wrAudit'] }));
      const opened = await manager.request('game.open', { chat: 'wrAudit', game: { kind: 'checkin', id: 'daily' } });
      assert.equal(opened.ok, true, JSON.stringify(opened));
      assert.equal((await node.api('POST', '/v1/groups/wrAudit/games/daily/end')).status, 200);
      const games = (await trail('group:wrAudit')).entries;
      assert.deepEqual(games.map((e) => [e.action, e.target, e.actor.kind]), [['game.end', 'daily', 'api'], ['game.open', 'daily', 'manager']]);
      await manager.close();
    });
  });
}
