/** The room store on both engines: a room is made once, updates merge. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Engine } from '../platform/engine.ts';
import { createMemoryEngine, createRedisEngine } from '../platform/engines.ts';
import { deletePrefix, engines, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { RoomStore } from './store.ts';

for (const kind of engines) {
  describe(`room store: ${kind}`, () => {
    const prefix = uniquePrefix();
    let engine: Engine;
    let rooms: RoomStore;
    before(async () => {
      engine = kind === 'memory' ? createMemoryEngine({ historySize: 5 }) : await createRedisEngine({ url: testRedisUrl(), prefix, historySize: 5 });
      rooms = new RoomStore(engine);
    });
    after(async () => {
      await engine.close();
      if (kind === 'redis') await deletePrefix(prefix);
    });

    test('rooms: create once, update merges, unknown rooms are null', async () => {
      const room = { id: 'rm', title: 'T', status: 'created' as const, createdAt: 1, pinned: null };
      const created = await Promise.all(Array.from({ length: 10 }, () => rooms.create(room)));
      assert.equal(created.filter(Boolean).length, 1);
      assert.deepEqual(await rooms.update('rm', { status: 'live', startedAt: 2 }), { ...room, status: 'live', startedAt: 2 });
      assert.deepEqual(await rooms.get('rm'), { ...room, status: 'live', startedAt: 2 });
      assert.equal(await rooms.get('nope'), null);
      assert.equal(await rooms.update('nope', { title: 'x' }), null);
    });
  });
}
