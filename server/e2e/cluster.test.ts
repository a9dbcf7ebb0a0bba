/** Two Roomcast processes on one Redis, and on a Redis Cluster, as operators run them. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { issueToken, secretKey } from '../auth/token.ts';
import { connect, type TestClient } from '../testing/clients.ts';
import { callApi, deletePrefix, testCluster, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';

const secret = secretKey('dev-jwt-secret-do-not-use-in-production');
const config = { rooms: { presenceIntervalMs: 200, presenceTtlMs: 1500, demoRoom: '' } };
const api = (node: NodeProcess, method: string, path: string, body?: unknown) =>
  callApi(`http://127.0.0.1:${node.ports.http}`, 'dev-api-key', method, path, body);

for (const backend of ['redis', 'cluster'] as const) {
  describe(`two nodes on ${backend === 'redis' ? 'one Redis' : 'a Redis Cluster'}`, () => {
    const prefix = uniquePrefix();
    let a: NodeProcess;
    let b: NodeProcess;
    const clients: TestClient[] = [];

    async function viewer(node: NodeProcess, transport: 'ws' | 'socket.io', sub: string): Promise<TestClient> {
      const client = await connect(transport, `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub }, secret));
      clients.push(client);
      const reply = await client.request('join', { room: 'live' });
      assert.equal(reply.ok, true, JSON.stringify(reply));
      return client;
    }

    before(async () => {
      const env = { ...(backend === 'redis' ? { REDIS_URL: testRedisUrl() } : { REDIS_CLUSTER: await testCluster() }), REDIS_PREFIX: prefix };
      [a, b] = await Promise.all([spawnNode({ ...env, NODE_ID: 'a' }, config), spawnNode({ ...env, NODE_ID: 'b' }, config)]);
      assert.equal((await api(a, 'POST', '/v1/rooms', { id: 'live', title: 'Two nodes' })).status, 201);
      assert.equal((await api(b, 'POST', '/v1/rooms/live/start')).status, 200);
    });

    after(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      for (const node of [a, b]) if (node && node.child.exitCode === null) node.child.kill('SIGTERM');
      await Promise.all([a?.exited, b?.exited]);
      if (backend === 'redis') await deletePrefix(prefix);
    });

    test('viewers on both nodes hear a pin made through either node, with one seq; online counts both; a node killed with SIGKILL drops out of it', async () => {
      const onA = await Promise.all([0, 1, 2, 3, 4].map((i) => viewer(a, i % 2 ? 'socket.io' : 'ws', `a-${i}`)));
      const onB = await Promise.all([0, 1, 2].map((i) => viewer(b, i % 2 ? 'ws' : 'socket.io', `b-${i}`)));
      const everyone = [...onA, ...onB];

      const product = { id: 'p1', title: 'Tea set', price: 8800 };
      assert.equal((await api(b, 'POST', '/v1/rooms/live/pin', { product })).status, 200);
      for (const client of everyone) {
        const [pinned] = await client.waitFor(() => client.events('product.pinned').length > 0 && client.events('product.pinned'), 'pin on every node');
        assert.deepEqual([pinned!.data, pinned!.seq], [product, 2]);
      }

      await Promise.all(everyone.map((c) => c.waitFor(() => c.state().online === 8, `online 8, have ${c.state().online}`)));

      assert.equal((await onB[0]!.request('comment', { room: 'live', text: 'from b' })).ok, true);
      await onA[0]!.waitFor(() => onA[0]!.events('comment').some((e) => (e.data as { text: string }).text === 'from b'), 'comment across nodes');

      b.child.kill('SIGKILL');
      await b.exited;
      await Promise.all(onA.map((c) => c.waitFor(() => c.state().online === 5, 'online 5 after node b died', 10_000)));
      assert.equal((await api(a, 'GET', '/v1/rooms/live')).body.room.online, 5);
    });
  });
}
