import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Outbox } from './outbox.ts';

test('one frame per topic per flush: events in order, state latest-wins, chatter sampled', () => {
  const outbox = new Outbox(2);
  outbox.addEvent('r', 'room:r', { type: 'a', data: 1, seq: 1, ts: 0 });
  outbox.addEvent('r', 'room:r:tag:vip', { type: 'coupon.popup', data: 2, seq: 2, ts: 0 });
  outbox.addEvent('r', 'room:r', { type: 'b', data: 3, seq: 3, ts: 0 });
  for (let i = 0; i < 5; i++) outbox.setState('r', 'likes', i);
  for (let i = 0; i < 5; i++) outbox.addChatter('r', { type: 'comment', data: i, ts: 0 });
  outbox.addUserEvent('u1', { type: 'order.update', data: 'x', ts: 0 });
  const frames = new Map(outbox.drain());
  assert.deepEqual([...frames.keys()].sort(), ['room:r', 'room:r:tag:vip', 'user:u1']);
  const main = frames.get('room:r')!;
  assert.equal(main.t, 'batch');
  if (main.t !== 'batch') return;
  assert.equal(main.seq, 3);
  assert.deepEqual(main.events.slice(0, 2).map((e) => e.type), ['a', 'b']);
  assert.equal(main.events.length, 4, 'two critical events and two sampled comments');
  assert.deepEqual(main.state, { likes: 4 });
  assert.deepEqual(main.dropped, { comment: 3 });
  const vip = frames.get('room:r:tag:vip')!;
  assert.ok(vip.t === 'batch' && vip.dropped === undefined && vip.seq === 3);
  assert.deepEqual([...outbox.drain()], [], 'drained');
});

test('a state value equal to the one last sent is not sent again; one waiting is replaced either way', () => {
  const outbox = new Outbox(8);
  const state = () => [...outbox.drain()].map(([, f]) => (f.t === 'batch' ? f.state : {}));
  outbox.setState('r', 'flash:s1:left', 0);
  assert.deepEqual(state(), [{ 'flash:s1:left': 0 }]);
  outbox.setState('r', 'flash:s1:left', 0);
  assert.equal(outbox.pending(), false, 'the same 0 again: no frame');
  assert.deepEqual(state(), []);
  outbox.setState('r', 'flash:s1:left', 3);
  outbox.setState('r', 'flash:s1:left', 0);
  assert.deepEqual(state(), [{ 'flash:s1:left': 0 }], 'A, B, A within a tick sends the last A');
  outbox.setState('r', 'group:g1', { members: 1 });
  outbox.setState('r', 'group:g1', { members: 1 });
  assert.deepEqual(state(), [{ 'group:g1': { members: 1 } }]);
  outbox.setState('r', 'group:g1', { members: 1 });
  assert.deepEqual(state(), [{ 'group:g1': { members: 1 } }], 'objects are always sent');
  outbox.forget('r');
  outbox.setState('r', 'flash:s1:left', 0);
  assert.deepEqual(state(), [{ 'flash:s1:left': 0 }], 'a room forgotten (no viewers here) starts over');
});
