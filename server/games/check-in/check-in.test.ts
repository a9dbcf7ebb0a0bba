/** Daily check-in on each engine: a storm of taps around midnight, each member once per day, streaks right. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayOf } from '../../protocol/calendar.ts';
import type { CheckInOutcome } from '../../protocol/games.ts';
import { CHAT, gamesSuite } from '../../testing/games.ts';

const DAY_MS = 86_400_000;

gamesSuite('check-in', ({ node, open, games: gamesOn, checkIn, identity }) => {
  test('check-in storm around midnight: each member once per day, streaks right', async () => {
    const games = gamesOn();
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
    const { body } = await node().api('GET', `/v1/groups/${CHAT}/points/ci0`);
    assert.equal(body.balance, 4);
    assert.deepEqual(body.ledger.map((l: { reason: string }) => l.reason), ['check-in day 3', 'check-in day 2', 'check-in day 1']);
    // A missed day restarts the streak.
    const back = await checkIn(games, crowd[0]!, 'daily', midnight + 2 * DAY_MS + 1000);
    assert.equal(back.streak, 1);
  });
});
