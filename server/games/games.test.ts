/**
 * In-group games on each engine, with real sockets and real concurrency: red-packet grabs, the
 * check-in storm around midnight, lucky draws (by tap, by comment, after check-in) and their
 * verification, points that never go negative, a group flash sale, and every refusal the issue names.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LiveState } from '../platform/live-state.ts';
import { dayOf } from '../protocol/calendar.ts';
import { groupRoom } from './group-room.ts';
import { drawWinners, verifyDraw, type Prize, type Winner } from '../protocol/draw.ts';
import type { CheckInOutcome, DrawGame, RedPacketGame } from '../protocol/games.ts';
import { Games } from './service.ts';
import { createLogger } from '../observability/logger.ts';
import { storesOf } from '../testing/stores.ts';
import type { Identity } from '../protocol/frames.ts';
import { RoomService } from '../rooms/service.ts';
import { engines, names, startTestNode, type TestNode } from '../testing/node.ts';

const CHAT = 'wrChatGames01';
const ROOM = groupRoom(CHAT);
const DAY_MS = 86_400_000;

for (const engine of engines) {
  describe(`in-group games on ${engine}`, () => {
    let node: TestNode;
    before(async () => {
      node = await startTestNode({ engine });
    });
    after(() => node.close());

    const members = (n: number, prefix: string) => Promise.all([
      node.viewers('ws', ROOM, names(`${prefix}w`, Math.ceil(n / 2)), { chats: [CHAT] }),
      node.viewers('socket.io', ROOM, names(`${prefix}s`, Math.floor(n / 2)), { chats: [CHAT] }),
    ]).then(([a, b]) => [...a, ...b]);
    const open = async (game: Record<string, unknown>) => {
      const res = await node.api('POST', `/v1/groups/${CHAT}/games`, game);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.game;
    };

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

      const { body } = await node.api('GET', `/v1/groups/${CHAT}/games/${packet.id}`);
      assert.equal(body.grabs.length, 50);
      assert.equal(new Set(body.grabs.map((g: { user: string }) => g.user)).size, 50, 'nobody twice');
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
      const { body } = await node.api('GET', `/v1/groups/${CHAT}/games/rp2`);
      assert.equal((ended.data as { unclaimed: number }).unclaimed, 300 - body.grabs[0].amount);
      assert.equal(body.game.unclaimed, 300 - body.grabs[0].amount);
    });

    test('a red packet whose total cannot cover its count is refused, and nothing is written', async () => {
      const res = await node.api('POST', `/v1/groups/${CHAT}/games`, { kind: 'red-packet', id: 'rp-bad', total: 5, count: 6 });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'bad_request');
      assert.equal((await node.api('GET', `/v1/groups/${CHAT}/games/rp-bad`)).status, 404);
      // A game id never carries ':' (its keys append ':seed', ':entries'... to it).
      const colon = await node.api('POST', `/v1/groups/${CHAT}/games`, { kind: 'checkin', id: 'a:seed' });
      assert.equal(colon.status, 400);
      assert.match(colon.body.error.message, /^id:/);
    });

    test('games in a group the manager does not manage are forbidden; strangers cannot join a group room', async () => {
      assert.equal((await node.api('POST', '/v1/rooms', { id: 'lobby', title: 'lobby' })).status, 201);
      const [manager] = await node.viewers('ws', 'lobby', ['mgr'], { role: 'manager', chats: ['wrOtherGroup'] });
      const refused = await manager!.request('game.open', { chat: CHAT, game: { kind: 'checkin' } });
      assert.equal(!refused.ok && refused.error.code, 'forbidden');
      const allowed = await manager!.request('game.open', { chat: 'wrOtherGroup', game: { kind: 'red-packet', total: 100, count: 2 } });
      assert.equal(allowed.ok, true);
      const badInput = await manager!.request('game.open', { chat: 'wrOtherGroup', game: { kind: 'red-packet', total: 1, count: 2 } });
      assert.equal(!badInput.ok && badInput.error.code, 'bad_request');
      await assert.rejects(node.viewers('ws', ROOM, ['stranger']), /forbidden/);
    });

    test('check-in storm around midnight: each member once per day, streaks right', async () => {
      const games = gamesOn(node);
      await open({ kind: 'checkin', id: 'daily' });
      // Midnight in Shanghai is 16:00 UTC.
      const midnight = Date.UTC(2031, 4, 20, 16, 0, 0);
      const crowd = Array.from({ length: 120 }, (_, i) => identity(`ci${i}`));
      const yesterdayNoon = midnight - DAY_MS / 2;
      // Two days ago too for the first half: their streak reaches 3 tonight, the others' 2.
      await Promise.all(crowd.slice(0, 60).map((m) => checkIn(games, m, 'daily', yesterdayNoon - DAY_MS)));
      await Promise.all(crowd.map((m) => checkIn(games, m, 'daily', yesterdayNoon)));
      // Each member taps three times across the boundary, all at once.
      const taps = crowd.flatMap((m) => [-40, 0, 25].map((offset) => ({ m, at: midnight + offset })));
      const outcomes = await Promise.all(taps.map(({ m, at }) => checkIn(games, m, 'daily', at).then(
        (o): CheckInOutcome | string => o,
        (err: { code: string }) => err.code,
      )));
      const today = dayOf(midnight);
      const done = outcomes.filter((o): o is CheckInOutcome => typeof o !== 'string');
      assert.equal(done.length, crowd.length, 'one check-in per member for the new day');
      assert.ok(done.every((o) => o.day === today));
      assert.deepEqual(new Set(outcomes.filter((o) => typeof o === 'string')), new Set(['already_done']));
      for (const [i, m] of crowd.entries()) {
        const mine = outcomes.filter((o, j): o is CheckInOutcome => taps[j]!.m === m && typeof o !== 'string');
        assert.equal(mine.length, 1, `${m.sub} once`);
        assert.equal(mine[0]!.streak, i < 60 ? 3 : 2, `${m.sub}'s streak`);
      }
      assert.equal(Math.max(...done.map((o) => o.count)), crowd.length, 'the day counts every member once');
      // Points: days 1-3 of the default table are 1, 1, 2.
      const { body } = await node.api('GET', `/v1/groups/${CHAT}/points/ci0`);
      assert.equal(body.balance, 4);
      assert.deepEqual(body.ledger.map((l: { reason: string }) => l.reason), ['check-in day 3', 'check-in day 2', 'check-in day 1']);
      // A missed day restarts the streak.
      const back = await checkIn(games, crowd[0]!, 'daily', midnight + 2 * DAY_MS + 1000);
      assert.equal(back.streak, 1);
    });

    test('points never go negative: 20 concurrent spends of 3 on a balance of 10, exactly 3 succeed', async () => {
      const games = gamesOn(node);
      await open({ kind: 'checkin', id: 'daily-pts', rewards: { daily: [10] } });
      await checkIn(games, identity('spender'), 'daily-pts');
      const spends = await Promise.all(Array.from({ length: 20 }, () => node.api('POST', `/v1/groups/${CHAT}/points/spender/spend`, { points: 3, reason: 'coupon swap' })));
      assert.equal(spends.filter((s) => s.status === 200).length, 3);
      assert.deepEqual(new Set(spends.filter((s) => s.status !== 200).map((s) => s.body.error.code)), new Set(['not_eligible']));
      const { body } = await node.api('GET', `/v1/groups/${CHAT}/points/spender`);
      assert.equal(body.balance, 1);
      assert.equal(body.ledger.filter((l: { reason: string }) => l.reason === 'coupon swap').length, 3);
      // Straight at the store, started in one tick: nothing between a check and its deduction.
      await checkIn(games, identity('spender2'), 'daily-pts');
      const store = storesOf(node.node.engine).points;
      const direct = await Promise.allSettled([6, 6].map((points) => store.spend({ room: ROOM, user: 'spender2', points, reason: 'race', now: Date.now() })));
      assert.equal(direct.filter((d) => d.status === 'fulfilled').length, 1);
      assert.equal(await store.balance(ROOM, 'spender2'), 4);
    });

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

      const [manager] = await node.viewers('ws', ROOM, ['ld-manager'], { role: 'manager', chats: [CHAT] });
      const draws = await Promise.all([manager!.request('game.draw', { chat: CHAT, game: 'bag1' }), node.api('POST', `/v1/groups/${CHAT}/games/bag1/draw`)]);
      assert.equal(draws.filter((d) => ('ok' in d ? d.ok : d.status === 200)).length, 1, 'drawn once');
      const result = await crowd[1]!.waitFor(() => crowd[1]!.events('draw.result').find((e) => (e.data as { game: string }).game === 'bag1'), 'draw.result');
      const { winners, seed, commitment } = result.data as { winners: Winner[]; seed: string; commitment: string };
      assert.equal(winners.filter((w) => w.prize === 'tea set').length, 2);
      assert.equal(winners.filter((w) => w.prize === 'coupon').length, 5);
      assert.equal(new Set(winners.map((w) => w.user)).size, 7, 'without replacement');
      const details = await crowd[1]!.request('game.get', { room: ROOM, game: 'bag1' });
      const { entries } = (details.ok ? details.data : {}) as { entries: string[] };
      assert.equal(entries.length, 40);
      assert.deepEqual(await verifyDraw({ seed, commitment, entries, prizes, winners }), { ok: true });
      assert.equal((await verifyDraw({ seed, commitment, entries: entries.slice(1), prizes, winners })).ok, false);

      for (const game of ['bag2', 'bag3']) assert.equal((await manager!.request('game.draw', { chat: CHAT, game })).ok, true);
      const bag2 = await node.api('GET', `/v1/groups/${CHAT}/games/bag2`);
      assert.equal(bag2.body.entries.length, 5, 'the five keyword comments entered');
      assert.ok(bag2.body.game.winners[0].user.startsWith('ldw') || bag2.body.game.winners[0].user.startsWith('lds'));
      const bag3 = await node.api('GET', `/v1/groups/${CHAT}/games/bag3`);
      assert.deepEqual(bag3.body.entries, ['ldw0']);
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
      const store = storesOf(node.node.engine);
      const [entries, seed] = await Promise.all([store.draws.entries(ROOM, 'bag-crash'), store.draws.seed(ROOM, 'bag-crash')]);
      const winners = await drawWinners(seed!, entries, prizes);
      assert.ok(await store.games.transition(ROOM, 'bag-crash', ['open'], 'drawing', {}));
      assert.ok(await store.games.transition(ROOM, 'bag-crash', ['drawing'], 'drawn', { seed: seed!, winners, drawnAt: Date.now(), entries: entries.length }));
      const heard = await crowd[0]!.waitFor(() => crowd[0]!.events('draw.result').find((e) => (e.data as { game: string }).game === 'bag-crash'), 'its due work announces it', 15_000);
      assert.deepEqual((heard.data as { winners: Winner[] }).winners, winners);
      const { body } = await node.api('GET', `/v1/groups/${CHAT}/games/bag-crash`);
      assert.equal(typeof body.game.announcedAt, 'number');
    });

    test('a group flash sale runs on the live-room code, in the group room', async () => {
      const [buyer] = await members(2, 'fs');
      assert.equal((await node.api('POST', `/v1/rooms/${ROOM}/flash-sales`, { id: 'gfs', product: { id: 'p', title: 'Tea', price: 100 }, price: 80, stock: 1 })).status, 201);
      assert.equal((await node.api('POST', `/v1/rooms/${ROOM}/flash-sales/gfs/start`)).status, 200);
      const bought = await buyer!.request('flash.buy', { room: ROOM, sale: 'gfs', qty: 1, requestId: 'r1' });
      assert.equal(bought.ok, true);
      await buyer!.waitFor(() => buyer!.state()['flash:gfs:left'] === 0, 'stock left as group-room state');
    });
  });
}

/** The node's engine behind a Games service of this test, so a test can choose the instant of each check-in. */
function gamesOn(node: TestNode): Games {
  const log = createLogger('silent');
  const { engine } = node.node;
  return new Games(engine, new RoomService(engine), new LiveState(50, log), log);
}

/** A member's check-in at the instant `now`, through the service. */
async function checkIn(games: Games, member: Identity, game: string, now?: number): Promise<CheckInOutcome> {
  return games.checkIns.checkIn(member, await games.ofKind(ROOM, game, 'checkin'), now);
}

function identity(sub: string): Identity {
  return { sub, name: sub, role: 'viewer', tags: [], chats: [CHAT] };
}
