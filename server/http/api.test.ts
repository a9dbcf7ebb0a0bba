import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { callApi, startTestNode, type TestNode } from '../testing/node.ts';

let node: TestNode;
before(async () => {
  node = await startTestNode({ engine: 'memory' });
});
after(() => node.close());

test('rooms: create, read, start, end, pin; each answer shaped as PROTOCOL.md says', async () => {
  const created = await node.api('POST', '/v1/rooms', { id: 'r1', title: 'Spring launch' });
  assert.equal(created.status, 201);
  assert.deepEqual([created.body.room.id, created.body.room.status], ['r1', 'created']);
  assert.equal((await node.api('POST', '/v1/rooms', { id: 'r1', title: 'again' })).status, 409);
  const generated = await node.api('POST', '/v1/rooms', { title: 'no id' });
  assert.match(generated.body.room.id, /^[0-9a-f-]{36}$/);

  assert.equal((await node.api('POST', '/v1/rooms/r1/start')).body.room.status, 'live');
  assert.equal((await node.api('POST', '/v1/rooms/r1/start')).body.error.code, 'already_done');
  const product = { id: 'p', title: 'Mug', price: 2500 };
  assert.deepEqual((await node.api('POST', '/v1/rooms/r1/pin', { product })).body.room.pinned, product);
  const read = await node.api('GET', '/v1/rooms/r1');
  assert.deepEqual([read.body.room.status, read.body.room.online, read.body.room.pinned], ['live', 0, product]);
  assert.equal((await node.api('POST', '/v1/rooms/r1/end')).body.room.status, 'ended');
  assert.equal((await node.api('POST', '/v1/rooms/r1/start')).body.error.code, 'ended');
});

test('bad input: 401 for a bad API key, 400 naming the field, 404 for unknown rooms and routes', async () => {
  const wrongKey = await callApi(node.baseUrl, 'not-the-key', 'GET', '/v1/rooms/r1');
  assert.deepEqual([wrongKey.status, wrongKey.body.error.code], [401, 'unauthorized']);
  const noKey = await fetch(`${node.baseUrl}/v1/rooms/r1`);
  assert.equal(noKey.status, 401);

  const notJson = await node.api('POST', '/v1/rooms', '{"title":');
  assert.deepEqual([notJson.status, notJson.body.error.code], [400, 'bad_request']);
  const missing = await node.api('POST', '/v1/rooms', {});
  assert.equal(missing.status, 400);
  assert.match(missing.body.error.message, /^title:/);
  const badPrice = await node.api('POST', '/v1/rooms/r1/pin', { product: { id: 'p', title: 'x', price: -1 } });
  assert.match(badPrice.body.error.message, /^product\.price:/);
  const badId = await node.api('POST', '/v1/rooms', { id: 'has space', title: 't' });
  assert.match(badId.body.error.message, /^id:/);

  assert.equal((await node.api('GET', '/v1/rooms/nope')).status, 404);
  assert.equal((await node.api('POST', '/v1/rooms/nope/pin', { product: { id: 'p', title: 'x', price: 1 } })).status, 404);
  assert.equal((await node.api('GET', '/v1/nothing-here')).status, 404);
  const huge = await node.api('POST', '/v1/rooms', JSON.stringify({ title: 'x'.repeat(100_000) }));
  assert.equal(huge.status, 413);
});

test('health and readiness are served without a key on both ports; metrics on the operator port only', async () => {
  for (const base of [node.baseUrl, node.adminUrl]) {
    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { ok: true });
    assert.deepEqual(await (await fetch(`${base}/readyz`)).json(), { ok: true, engine: 'memory' });
  }
  const onPublic = await fetch(`${node.baseUrl}/metrics`, { headers: { authorization: `Bearer ${node.apiKey}` } });
  assert.equal(onPublic.status, 404, 'the public port does not serve metrics, key or not');
  const metrics = await (await fetch(`${node.adminUrl}/metrics`)).text();
  for (const name of ['roomcast_connections', 'roomcast_frames_out_total', 'roomcast_bytes_out_total', 'roomcast_tick_duration_seconds', 'roomcast_chatter_dropped_total', 'roomcast_op_duration_seconds', 'roomcast_process_cpu_user_seconds_total']) {
    assert.ok(metrics.includes(name), name);
  }
});
