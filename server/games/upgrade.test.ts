/**
 * An upgrade from the version whose draws and red-packet ends were BullMQ delayed jobs (queue
 * `games`): a draw opened before it still draws, at its time, on a node of this version.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { waitFor } from '../testing/clients.ts';
import { CHAT, ROOM } from '../testing/games.ts';
import { deletePrefix, startTestNode, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { dueKey } from '../platform/scheduler/due-work.ts';
import { gameDue } from './store.ts';

test('a draw left as a BullMQ job by the earlier version is taken into the schedule and drawn at its time', async () => {
  const prefix = uniquePrefix();
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const old = new Queue('games', { connection: redis, prefix: `${prefix}:bull` });
  try {
    // The game as the earlier version left it: its record, no schedule item, a delayed job.
    const first = await startTestNode({ engine: 'redis', prefix });
    const drawAt = Date.now() + 1500;
    const opened = await first.api('POST', `/v1/groups/${CHAT}/games`, { kind: 'draw', id: 'bag-old', prizes: [{ name: 'mug', count: 1 }], drawAt });
    assert.equal(opened.status, 201);
    await first.close();
    const schedule = `${prefix}:schedule`;
    assert.equal(await redis.zrem(schedule, dueKey(gameDue.draw, ROOM, 'bag-old')), 1, 'the schedule key is where this version keeps it');
    await old.add('games', { action: 'draw', room: ROOM, game: 'bag-old' }, { jobId: `draw|${encodeURIComponent(ROOM)}|bag-old`, delay: drawAt - Date.now() });
    await old.add('games', { action: 'end', room: ROOM, game: 'packet-gone' }, { jobId: 'end|x|packet-gone', delay: 60_000 });
    assert.equal(await old.getDelayedCount(), 2);

    const upgraded = await startTestNode({ engine: 'redis', prefix });
    try {
      assert.equal(await old.getDelayedCount(), 0, 'the jobs left the old queue');
      const due = await redis.zscore(schedule, dueKey(gameDue.draw, ROOM, 'bag-old'));
      assert.ok(Math.abs(Number(due) - drawAt) < 50, `due at the draw's time (${Number(due) - drawAt} ms off)`);
      assert.ok(await redis.zscore(schedule, dueKey(gameDue.end, ROOM, 'packet-gone')), 'an end is scheduled as an end');
      const drawn = await waitFor(async () => {
        const { body } = await upgraded.api('GET', `/v1/groups/${CHAT}/games/bag-old`);
        return body.game?.status === 'drawn' && body.game;
      }, 'the draw at its time');
      assert.equal(drawn.winners.length, 0, 'nobody entered, nobody won');
    } finally {
      await upgraded.close();
    }
  } finally {
    await old.close();
    redis.disconnect();
    await deletePrefix(prefix);
  }
});
