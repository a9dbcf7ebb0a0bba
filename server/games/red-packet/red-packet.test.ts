/**
 * Red packets on each engine, with real sockets and real concurrency: a crowd grabbing at once
 * takes exactly the shares there are, each member once, summing to the total; expiry ends them and
 * reports what nobody grabbed; a total that cannot cover its count is refused with nothing written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RedPacketGame } from '../../protocol/games.ts';
import { CHAT, ROOM, gamesSuite } from '../../testing/games.ts';

gamesSuite('red packets', ({ node, members, open }) => {
  test('200 members grab a 50-share red packet at once: 50 grabs, shares sum to the total, nobody twice', async () => {
    const crowd = await members(200, 'rp');
    const packet = (await open({ kind: 'red-packet', id: 'rp1', total: 8888, count: 50 })) as RedPacketGame;
    const replies = await Promise.all(crowd.map((m) => m.request('redpacket.grab', { room: ROOM, game: packet.id })));
    const won = replies.filter((r) => r.ok);
    assert.equal(won.length, 50);
    // The last share ends the packet: a tap decided after that is `ended` rather than `sold_out`.
    const refusals = new Set(replies.filter((r) => !r.ok).map((r) => !r.ok && r.error.code));
    assert.ok([...refusals].every((code) => code === 'sold_out' || code === 'ended'), [...refusals].join());
    const amounts = won.map((r) => (r.data as { grab: { amount: number } }).grab.amount);
    assert.equal(amounts.reduce((a, b) => a + b, 0), 8888);
    assert.ok(amounts.every((a) => a >= 1));

    const { body } = await node().api('GET', `/v1/groups/${CHAT}/games/${packet.id}`);
    assert.equal(body.grabs.length, 50);
    assert.equal(new Set(body.grabs.map((g: { user: string }) => g.user)).size, 50, 'nobody twice');
    // Grabbers by their opaque ids; the brand's API says who each one is, members' game.get does not.
    assert.ok(body.grabs.every((g: { user: string }) => /^v[\w-]{16}$/.test(g.user) && body.users[g.user]?.startsWith('rp')));
    const seen = await crowd[0]!.request('game.get', { room: ROOM, game: packet.id });
    const asMember = (seen.ok ? seen.data : {}) as { grabs: Array<{ user: string }>; users?: unknown };
    assert.deepEqual(asMember.grabs.map((g) => g.user).sort(), body.grabs.map((g: { user: string }) => g.user).sort());
    assert.equal(asMember.users, undefined);
    assert.equal(body.game.status, 'ended', 'the last share ends it');
    assert.equal(body.game.unclaimed, 0);
    const winner = crowd[replies.findIndex((r) => r.ok)]!;
    const again = await winner.request('redpacket.grab', { room: ROOM, game: packet.id });
    assert.equal(!again.ok && again.error.code, 'ended');
    await winner.waitFor(() => winner.events('game.ended').some((e) => (e.data as { game: string }).game === packet.id), 'game.ended');
  });
  test('a second grab is already_done; after expiry grabs are ended and the unclaimed money is reported', async () => {
    const [a, b] = await members(2, 'rx');
    await open({ kind: 'red-packet', id: 'rp2', total: 300, count: 3, expiresSec: 3 });
    assert.equal((await a!.request('redpacket.grab', { room: ROOM, game: 'rp2' })).ok, true);
    const twice = await a!.request('redpacket.grab', { room: ROOM, game: 'rp2' });
    assert.equal(!twice.ok && twice.error.code, 'already_done');
    await new Promise((r) => setTimeout(r, 3100));
    const late = await b!.request('redpacket.grab', { room: ROOM, game: 'rp2' });
    assert.equal(!late.ok && late.error.code, 'ended');
    const ended = await b!.waitFor(() => b!.events('game.ended').find((e) => (e.data as { game: string }).game === 'rp2'), 'the expiry ends it', 10_000);
    const { body } = await node().api('GET', `/v1/groups/${CHAT}/games/rp2`);
    assert.equal((ended.data as { unclaimed: number }).unclaimed, 300 - body.grabs[0].amount);
    assert.equal(body.game.unclaimed, 300 - body.grabs[0].amount);
  });
  test('a red packet whose total cannot cover its count is refused, and nothing is written', async () => {
    const res = await node().api('POST', `/v1/groups/${CHAT}/games`, { kind: 'red-packet', id: 'rp-bad', total: 5, count: 6 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'bad_request');
    assert.equal((await node().api('GET', `/v1/groups/${CHAT}/games/rp-bad`)).status, 404);
    // A game id never carries ':' (its keys append ':seed', ':entries'... to it).
    const colon = await node().api('POST', `/v1/groups/${CHAT}/games`, { kind: 'checkin', id: 'a:seed' });
    assert.equal(colon.status, 400);
    assert.match(colon.body.error.message, /^id:/);
  });
});
