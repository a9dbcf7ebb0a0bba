/** Points on each engine: concurrent spends never take a balance below zero, and each leaves a ledger line. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storesOf } from '../../testing/stores.ts';
import { CHAT, ROOM, gamesSuite } from '../../testing/games.ts';

gamesSuite('points', ({ node, open, games: gamesOn, checkIn, identity }) => {
  test('points never go negative: 20 concurrent spends of 3 on a balance of 10, exactly 3 succeed', async () => {
    const games = gamesOn();
    await open({ kind: 'checkin', id: 'daily-pts', rewards: { daily: [10] } });
    await checkIn(games, identity('spender'), 'daily-pts');
    const spends = await Promise.all(Array.from({ length: 20 }, () => node().api('POST', `/v1/groups/${CHAT}/points/spender/spend`, { points: 3, reason: 'coupon swap' })));
    assert.equal(spends.filter((s) => s.status === 200).length, 3);
    assert.deepEqual(new Set(spends.filter((s) => s.status !== 200).map((s) => s.body.error.code)), new Set(['not_eligible']));
    const { body } = await node().api('GET', `/v1/groups/${CHAT}/points/spender`);
    assert.equal(body.balance, 1);
    assert.equal(body.ledger.filter((l: { reason: string }) => l.reason === 'coupon swap').length, 3);
    // Straight at the store, started in one tick: nothing between a check and its deduction.
    await checkIn(games, identity('spender2'), 'daily-pts');
    const store = storesOf(node().node.engine).points;
    const direct = await Promise.allSettled([6, 6].map((points) => store.spend({ room: ROOM, user: 'spender2', points, reason: 'race', now: Date.now() })));
    assert.equal(direct.filter((d) => d.status === 'fulfilled').length, 1);
    assert.equal(await store.balance(ROOM, 'spender2'), 4);
  });
});
