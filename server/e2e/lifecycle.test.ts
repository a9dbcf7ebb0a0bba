/** Start-up and shutdown as operators see them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issueToken, secretKey } from '../auth/token.ts';
import { connect, waitFor } from '../testing/clients.ts';
import { PrivateRedis } from '../testing/redis-server.ts';
import { spawnNode } from '../testing/process.ts';

test('SIGTERM closes sockets with 1001 and exits 0', async () => {
  const node = await spawnNode({});
  const client = await connect('ws', `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub: 'u' }, secretKey('dev-jwt-secret-do-not-use-in-production')));
  assert.equal((await client.request('join', { room: 'demo' })).ok, true);
  node.child.kill('SIGTERM');
  assert.equal((await client.closed).code, 1001);
  assert.deepEqual(await node.exited, { code: 0, signal: null });
  assert.match(node.output().split('\n')[0]!, /engine: memory/, 'the first log line names the engine');
});

test('refuses to start on the JavaScript fallback of uWebSockets.js, saying why', async () => {
  await assert.rejects(spawnNode({ UWS_USE_FALLBACK: '1' }), /not the native binary/);
});

test('refuses to start on a bad config value, naming the key', async () => {
  await assert.rejects(spawnNode({ PORT: 'abc' }), /port \(from PORT\)/);
});

test('refuses development secrets with NODE_ENV=production', async () => {
  await assert.rejects(spawnNode({ NODE_ENV: 'production' }), /development secrets refused/);
});

test('Redis going away: /readyz answers 503, the node keeps serving, and recovers when Redis returns', async () => {
  const redis = await PrivateRedis.start();
  const node = await spawnNode({ REDIS_URL: redis.url });
  const get = (path: string) => fetch(`http://127.0.0.1:${node.ports.http}${path}`);
  try {
    assert.equal((await get('/readyz')).status, 200);
    await redis.stop();
    await waitFor(async () => (await get('/readyz')).status === 503, '/readyz 503 without Redis');
    assert.equal((await get('/healthz')).status, 200);
    await redis.restart();
    await waitFor(async () => (await get('/readyz')).status === 200, '/readyz 200 once Redis is back', 15_000);
  } finally {
    node.child.kill('SIGTERM');
    await node.exited;
    await redis.stop();
  }
});
