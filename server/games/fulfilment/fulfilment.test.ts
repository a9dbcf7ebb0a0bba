/**
 * Game prizes fulfilled: each lucky-draw winner's prize and each red-packet share becomes one signed
 * job to the brand's backend (a fake speaking the real wire format), handed out once per job even
 * while the receiver fails and is retried; its answer (`fulfilled`, or `failed` with a reason) is on
 * the game for members and the brand; a red packet's unclaimed money is reported once for refund,
 * which the group's manager sees too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeBrand } from '../../../load/fake-brand/brand.ts';
import { waitFor } from '../../testing/clients.ts';
import { CHAT, ROOM } from '../../testing/games.ts';
import { engines, names, startTestNode, type TestNode } from '../../testing/node.ts';
import type { GameDetails } from '../../protocol/games.ts';

const SECRET = 'fulfil-secret-for-tests';

for (const engine of engines) {
  describe(`game prizes fulfilled (${engine})`, () => {
    let brand: FakeBrand;
    let node: TestNode;
    before(async () => {
      brand = await FakeBrand.start({ secret: SECRET });
      node = await startTestNode({ engine, config: { fulfil: { url: brand.fulfilUrl, secret: SECRET }, participation: { everyMs: 50, retryBaseMs: 50, retryMaxMs: 200 } } });
    });
    after(async () => {
      await node.close();
      await brand.close();
    });
    const details = async (game: string): Promise<GameDetails> => (await node.api('GET', `/v1/groups/${CHAT}/games/${game}`)).body;

    test('a draw\'s winners each fulfilled once through a failing receiver; a prize out of stock is failed with its reason', async () => {
      const crowd = await node.viewers('ws', ROOM, names('fw', 12), { chats: [CHAT] });
      assert.equal((await node.api('POST', `/v1/groups/${CHAT}/games`, { kind: 'draw', id: 'bag', prizes: [{ name: 'tea set', count: 2 }, { name: 'mug', count: 3 }], drawAt: Date.now() + 60_000 })).status, 201);
      assert.ok((await Promise.all(crowd.map((m) => m.request('draw.enter', { room: ROOM, game: 'bag' })))).every((r) => r.ok));
      brand.outOfStock.add('mug');
      brand.failNext(503, 4);
      const attempts = brand.attempts;
      // Two drawers race: one stores the winners, and the prizes go out once.
      await Promise.all([node.api('POST', `/v1/groups/${CHAT}/games/bag/draw`), node.api('POST', `/v1/groups/${CHAT}/games/bag/draw`)]);

      const drawn = await waitFor(async () => {
        const d = await details('bag');
        return d.prizes?.every((p) => p.status !== 'pending') && d;
      }, 'every prize answered', 15_000);
      assert.ok(brand.attempts - attempts >= 5 + 4, 'the 503s were retried');
      const jobs = [...brand.jobs.values()].filter((j) => j.job.game === 'bag');
      assert.equal(jobs.length, 5, 'one job per winner');
      assert.ok(jobs.every((j) => j.times === 1), 'each handed out once');
      assert.deepEqual(jobs.map((j) => j.job.kind), Array(5).fill('prize'));
      assert.deepEqual(new Set(jobs.map((j) => j.job.user)), new Set(Object.values(drawn.users!)), 'the winners, by user id');
      assert.ok(jobs.every((j) => j.job.chat === CHAT && j.job.room === ROOM));
      assert.deepEqual(drawn.prizes!.map((p) => [p.prize, p.status]).sort(), [['mug', 'failed'], ['mug', 'failed'], ['mug', 'failed'], ['tea set', 'fulfilled'], ['tea set', 'fulfilled']]);
      assert.ok(drawn.prizes!.filter((p) => p.status === 'failed').every((p) => p.reason === 'mug: out of stock'));
      // Members see the same prizes by opaque ids, never the users behind them.
      const member = await crowd[0]!.request('game.get', { room: ROOM, game: 'bag' });
      const memberPrizes = (member.ok ? member.data : {}) as GameDetails;
      assert.deepEqual(memberPrizes.prizes!.map((p) => p.user).sort(), Object.keys(drawn.users!).sort());
      assert.equal(memberPrizes.users, undefined);
      const [manager] = await node.viewers('ws', ROOM, ['bag-manager'], { role: 'manager', chats: [CHAT] });
      const asManager = await manager!.request('game.get', { room: ROOM, game: 'bag' });
      assert.ok(asManager.ok);
      assert.deepEqual((asManager.data as GameDetails).prizes, memberPrizes.prizes, "the manager sees the prizes as members do");
      assert.equal((asManager.data as GameDetails).users, undefined, 'and not who won');
    });

    test('each red-packet grab fulfilled once; the money nobody grabbed reported once for refund', async () => {
      const crowd = await node.viewers('socket.io', ROOM, names('rp', 5), { chats: [CHAT] });
      assert.equal((await node.api('POST', `/v1/groups/${CHAT}/games`, { kind: 'red-packet', id: 'rp', total: 1000, count: 8 })).status, 201);
      const grabs = await Promise.all(crowd.map((m) => m.request('redpacket.grab', { room: ROOM, game: 'rp' })));
      assert.ok(grabs.every((g) => g.ok));
      const grabbed = grabs.reduce((sum, g) => sum + (g.ok ? (g.data as { grab: { amount: number } }).grab.amount : 0), 0);
      // Two ends at once: one ends it, the other is told it is done; the refund is reported once.
      const ends = await Promise.all([1, 2].map(() => node.api('POST', `/v1/groups/${CHAT}/games/rp/end`)));
      assert.deepEqual(ends.map((r) => r.status).sort(), [200, 409]);

      const ended = await waitFor(async () => {
        const d = await details('rp');
        return d.prizes?.length === 5 && d.prizes.every((p) => p.status === 'fulfilled') && d.refund?.status === 'fulfilled' && d;
      }, 'every share and the refund answered', 15_000);
      const jobs = [...brand.jobs.values()].filter((j) => j.job.game === 'rp');
      assert.equal(jobs.filter((j) => j.job.kind === 'red-packet').length, 5);
      assert.ok(jobs.every((j) => j.times === 1));
      const refund = jobs.find((j) => j.job.kind === 'refund')!.job;
      assert.deepEqual([refund.amount, refund.user], [1000 - grabbed, undefined]);
      assert.equal(ended.refund!.amount, 1000 - grabbed);
      assert.equal(ended.prizes!.reduce((sum, p) => sum + p.amount!, 0), grabbed);
      assert.equal(brand.badSignatures, 0);
      // The group's manager sees the refund too (the manager console shows it); a member does not, and neither sees who grabbed.
      const [manager] = await node.viewers('ws', ROOM, ['rp-manager'], { role: 'manager', chats: [CHAT] });
      const asManager = await manager!.request('game.get', { room: ROOM, game: 'rp' });
      const asMember = await crowd[0]!.request('game.get', { room: ROOM, game: 'rp' });
      assert.ok(asManager.ok && asMember.ok);
      assert.deepEqual((asManager.data as GameDetails).refund, ended.refund);
      assert.equal((asManager.data as GameDetails).users, undefined);
      assert.equal((asMember.data as GameDetails).refund, undefined);
    });

    test('a job the brand refused (4xx) is failed on the game; replayed once the brand is fixed, it is fulfilled', async () => {
      const [member] = await node.viewers('ws', ROOM, ['rf-member'], { chats: [CHAT] });
      assert.equal((await node.api('POST', `/v1/groups/${CHAT}/games`, { kind: 'red-packet', id: 'rf', total: 200, count: 2 })).status, 201);
      brand.failNext(400, 1);
      assert.ok((await member!.request('redpacket.grab', { room: ROOM, game: 'rf' })).ok);
      const refused = await waitFor(async () => (await details('rf')).prizes?.find((p) => p.status === 'failed'), 'the refusal on the game', 15_000);
      assert.equal(refused.reason, 'refused: HTTP 400');
      assert.equal((await node.api('POST', '/v1/participation/dead/replay?sink=fulfil')).body.replayed, 1);
      await waitFor(async () => (await details('rf')).prizes?.[0]?.status === 'fulfilled' || undefined, 'fulfilled once replayed', 15_000);
      const jobs = [...brand.jobs.values()].filter((j) => j.job.game === 'rf');
      assert.deepEqual(jobs.map((j) => [j.job.kind, j.times]), [['red-packet', 1]]);
    });
  });
}
