/** The check-in reward rule, as the check-in script decides it (on both engines: it is one script). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defaultRewards, previousDay, type RewardTable } from '../../protocol/calendar.ts';
import type { CheckInGame } from '../../protocol/games.ts';
import { deletePrefix, engines, testRedisUrl, uniquePrefix } from '../../testing/node.ts';
import type { Engine } from '../../platform/engine.ts';
import { createMemoryEngine, createRedisEngine } from '../../platform/engines.ts';
import { storesOf } from '../../testing/stores.ts';

/** The rewards of `days` check-ins in a row by one member (a member checks in once a day per group: one member per game here), from 2026-01-01. */
async function streak(engine: Engine, game: string, rewards: RewardTable, days: number): Promise<number[]> {
  const checkIn: CheckInGame = { id: game, room: 'group:c', chat: 'c', kind: 'checkin', status: 'open', createdAt: 1, title: 't', timeZone: 'Asia/Shanghai', rewards };
  const stores = storesOf(engine);
  assert.equal(await stores.games.create(checkIn, {}), true);
  const out: number[] = [];
  let day = '2026-01-01';
  for (let i = 0; i < days; i++, day = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10)) {
    out.push((await stores.checkIns.checkIn({ room: 'group:c', game, user: game, today: day, yesterday: previousDay(day), rewards, now: Date.now() })).reward);
  }
  return out;
}

for (const kind of engines) {
  describe(`check-in rewards: ${kind}`, () => {
    const prefix = uniquePrefix();
    let engine: Engine;
    before(async () => {
      engine = kind === 'memory' ? createMemoryEngine({ historySize: 10 }) : await createRedisEngine({ url: testRedisUrl(), prefix, historySize: 10 });
    });
    after(async () => {
      await engine.close();
      if (kind === 'redis') await deletePrefix(prefix);
    });

    test('rewards cycle over the table, with a bonus on every multiple of its day', async () => {
      assert.deepEqual(await streak(engine, 'week', defaultRewards, 21), [1, 1, 2, 2, 3, 3, 15, 1, 1, 2, 2, 3, 3, 15, 1, 1, 2, 2, 3, 3, 15]);
      assert.deepEqual(await streak(engine, 'odd', { daily: [10, 20, 30], bonus: { day: 4, points: 100 } }, 8), [10, 20, 30, 110, 20, 30, 10, 120]);
      assert.deepEqual(await streak(engine, 'flat', { daily: [5] }, 3), [5, 5, 5], 'no bonus');
    });
  });
}
