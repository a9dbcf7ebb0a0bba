/**
 * Lucky draws on each engine, with real sockets: entries by tap, by keyword comment and by check-in;
 * drawn once with exact prize counts, verifiable by any member; a draw stored but never announced
 * (its node died) is announced by its due work.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawWinners, verifyDraw, type Prize, type Winner } from '../../protocol/draw.ts';
import type { DrawGame } from '../../protocol/games.ts';
import { storesOf } from '../../testing/stores.ts';
import { CHAT, ROOM, gamesSuite } from '../../testing/games.ts';

gamesSuite('lucky draws', ({ node, members, open }) => {
  test('lucky draws: by tap, by comment keyword, by check-in; drawn once with exact prize counts, verifiable', async () => {
    const crowd = await members(40, 'ld');
    const prizes: Prize[] = [{ name: 'tea set', count: 2 }, { name: 'coupon', count: 5 }];
    const drawAt = Date.now() + 60_000;
    const byTap = (await open({ kind: 'draw', id: 'bag1', prizes, entry: 'join', drawAt })) as DrawGame;
    await open({ kind: 'draw', id: 'bag2', prizes: [{ name: 'mug', count: 1 }], entry: 'comment', keyword: '福袋', drawAt });
    await open({ kind: 'checkin', id: 'daily-ld' });
    await open({ kind: 'draw', id: 'bag3', prizes: [{ name: 'pen', count: 1 }], entry: 'checkin', drawAt });
    const opened = await crowd[0]!.waitFor(() => crowd[0]!.events('game.opened').find((e) => (e.data as { id: string }).id === 'bag1'), 'game.opened');
    assert.equal((opened.data as DrawGame).commitment, byTap.commitment);
    assert.equal((opened.data as DrawGame).seed, undefined, 'the seed stays secret until the draw');

    const entered = await Promise.all(crowd.map((m) => m.request('draw.enter', { room: ROOM, game: 'bag1' })));
    assert.ok(entered.every((r) => r.ok));
    const twice = await crowd[0]!.request('draw.enter', { room: ROOM, game: 'bag1' });
    assert.equal(!twice.ok && twice.error.code, 'already_done');
    await crowd[0]!.waitFor(() => crowd[0]!.state()['draw:bag1:entries'] === 40, 'entries count as room state');

    await Promise.all(crowd.slice(0, 10).map((m, i) => m.request('comment', { room: ROOM, text: i % 2 ? '我要福袋!' : 'hello' })));
    const notCheckedIn = await crowd[0]!.request('draw.enter', { room: ROOM, game: 'bag3' });
    assert.equal(!notCheckedIn.ok && notCheckedIn.error.code, 'not_eligible');
    assert.equal((await crowd[0]!.request('checkin', { room: ROOM, game: 'daily-ld' })).ok, true);
    assert.equal((await crowd[0]!.request('draw.enter', { room: ROOM, game: 'bag3' })).ok, true);

    const [manager] = await node().viewers('ws', ROOM, ['ld-manager'], { role: 'manager', chats: [CHAT] });
    const draws = await Promise.all([manager!.request('game.draw', { chat: CHAT, game: 'bag1' }), node().api('POST', `/v1/groups/${CHAT}/games/bag1/draw`)]);
    assert.equal(draws.filter((d) => ('ok' in d ? d.ok : d.status === 200)).length, 1, 'drawn once');
    const result = await crowd[1]!.waitFor(() => crowd[1]!.events('draw.result').find((e) => (e.data as { game: string }).game === 'bag1'), 'draw.result');
    const { winners, seed, commitment } = result.data as { winners: Winner[]; seed: string; commitment: string };
    assert.equal(winners.filter((w) => w.prize === 'tea set').length, 2);
    assert.equal(winners.filter((w) => w.prize === 'coupon').length, 5);
    assert.equal(new Set(winners.map((w) => w.user)).size, 7, 'without replacement');
    const details = await crowd[1]!.request('game.get', { room: ROOM, game: 'bag1' });
    const { entries, users } = (details.ok ? details.data : {}) as { entries: string[]; users?: unknown };
    assert.equal(entries.length, 40);
    // Members see everyone by their opaque id in the room; who they are is the brand's alone.
    const subs = new Set(crowd.map((_, i) => `ldw${i}`).concat(crowd.map((_, i) => `lds${i}`)));
    assert.ok([...entries, ...winners.map((w) => w.user)].every((id) => /^v[\w-]{16}$/.test(id) && !subs.has(id)), 'no sub in what members see');
    assert.equal(users, undefined);
    assert.deepEqual(await verifyDraw({ seed, commitment, entries, prizes, winners }), { ok: true });
    assert.equal((await verifyDraw({ seed, commitment, entries: entries.slice(1), prizes, winners })).ok, false);

    for (const game of ['bag2', 'bag3']) assert.equal((await manager!.request('game.draw', { chat: CHAT, game })).ok, true);
    const bag2 = await node().api('GET', `/v1/groups/${CHAT}/games/bag2`);
    assert.equal(bag2.body.entries.length, 5, 'the five keyword comments entered');
    const who = bag2.body.users[bag2.body.game.winners[0].user] as string;
    assert.ok(who.startsWith('ldw') || who.startsWith('lds'), 'the brand learns who won');
    const bag3 = await node().api('GET', `/v1/groups/${CHAT}/games/bag3`);
    assert.equal(bag3.body.entries.length, 1);
    assert.deepEqual(Object.values(bag3.body.users), ['ldw0']);
    const late = await crowd[2]!.request('draw.enter', { room: ROOM, game: 'bag1' });
    assert.equal(!late.ok && late.error.code, 'ended');
    const listed = await crowd[2]!.request('game.list', { room: ROOM });
    const statuses = Object.fromEntries(((listed.ok ? listed.data : {}) as { games: Array<{ id: string; status: string }> }).games.map((g) => [g.id, g.status]));
    assert.deepEqual([statuses.bag1, statuses.bag2, statuses.bag3, statuses['daily-ld']], ['drawn', 'drawn', 'drawn', 'open']);
  });
  test('a draw a node stored but died before announcing is announced when its due work comes', async () => {
    const crowd = await members(6, 'an');
    const prizes: Prize[] = [{ name: 'mug', count: 2 }];
    await open({ kind: 'draw', id: 'bag-crash', prizes, drawAt: Date.now() + 5000 });
    await Promise.all(crowd.map((m) => m.request('draw.enter', { room: ROOM, game: 'bag-crash' })));
    // What a node leaves behind when it dies right after storing the result: drawn, never announced.
    const store = storesOf(node().node.engine);
    const [entries, seed] = await Promise.all([store.draws.entries(ROOM, 'bag-crash'), store.draws.seed(ROOM, 'bag-crash')]);
    const winners = await drawWinners(seed!, entries, prizes);
    assert.ok(await store.games.transition(ROOM, 'bag-crash', ['open'], 'drawing', {}));
    assert.ok(await store.games.transition(ROOM, 'bag-crash', ['drawing'], 'drawn', { seed: seed!, winners, drawnAt: Date.now(), entries: entries.length }));
    const heard = await crowd[0]!.waitFor(() => crowd[0]!.events('draw.result').find((e) => (e.data as { game: string }).game === 'bag-crash'), 'its due work announces it', 15_000);
    assert.deepEqual((heard.data as { winners: Winner[] }).winners, winners);
    const { body } = await node().api('GET', `/v1/groups/${CHAT}/games/bag-crash`);
    assert.equal(typeof body.game.announcedAt, 'number');
  });
});
