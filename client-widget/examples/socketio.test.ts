/** The socket.io example of docs/widget.md, run as written against a real node. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startTestNode, type TestNode } from '../../server/testing/node.ts';
import { followRoom } from './socketio.ts';

let node: TestNode;
before(async () => {
  node = await startTestNode({ engine: 'memory' });
  await node.api('POST', '/v1/rooms', { id: 'sio', title: 'socket.io' });
  await node.api('POST', '/v1/rooms/sio/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 3 });
});
after(() => node.close());

test('docs/widget.md shows the example file exactly', () => {
  const example = readFileSync(new URL('./socketio.ts', import.meta.url), 'utf8').trim();
  const guide = readFileSync(new URL('../../docs/widget.md', import.meta.url), 'utf8');
  assert.ok(guide.includes(example), 'docs/widget.md must contain client-widget/examples/socketio.ts verbatim');
});

test('the example follows a room, sees the sale start and its stock move, and buys once per requestId', async () => {
  const seen: Array<[string, unknown]> = [];
  const room = await followRoom(node.wsUrl.replace(/^ws/, 'http'), await node.token({ sub: 'sio-buyer' }), 'sio', (type, data) => seen.push([type, data]));
  assert.equal((room.snapshot as { room: { id: string } }).room.id, 'sio');
  await node.api('POST', '/v1/rooms/sio/flash-sales/s/start');
  const first = await room.buy('s', 'tap-1');
  const again = await room.buy('s', 'tap-1');
  assert.equal(first.ok, true);
  assert.deepEqual(again, first);
  await waitUntil(() => seen.some(([type]) => type === 'flash.started') && seen.some(([type, value]) => type === 'state:flash:s:left' && value === 2));
  room.close();
});

async function waitUntil(probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
