/**
 * The cold-start 1006 (docs/operations.md): a node just started, under `--cpu-prof` (whose first
 * allocations used to land in the memory the uWS upgrade had freed, 20 of 20 starts losing a
 * socket), takes a burst of simultaneous upgrades with no warm-up socket before it; every socket of
 * the burst must join and stay open. Both transports.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { issueToken, secretKey } from '../auth/token.ts';
import { connect, transports, type TestClient, type TransportName } from '../testing/clients.ts';
import { callApi } from '../testing/node.ts';
import { spawnNode } from '../testing/process.ts';

const BURST = { ws: 200, 'socket.io': 100 } satisfies Record<TransportName, number>;
const COLD_STARTS = 2;
const key = secretKey('dev-jwt-secret-do-not-use-in-production');

for (const transport of transports) {
  test(`${BURST[transport]} ${transport} sockets at once on a node just started under --cpu-prof all join and stay open (${COLD_STARTS} cold starts)`, async () => {
    const profiles = mkdtempSync(join(tmpdir(), 'roomcast-cold-'));
    try {
      for (let start = 0; start < COLD_STARTS; start++) {
        const node = await spawnNode({}, {}, 1, ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);
        const clients: TestClient[] = [];
        try {
          const api = (path: string, body?: unknown) => callApi(`http://127.0.0.1:${node.ports.http}`, 'dev-api-key', 'POST', path, body);
          assert.equal((await api('/v1/rooms', { id: 'cold', title: 'cold' })).status, 201);
          const tokens = await Promise.all(Array.from({ length: BURST[transport] }, (_, i) => issueToken({ sub: `cold${i}` }, key)));
          const wsUrl = `ws://127.0.0.1:${node.ports.realtime}`;
          const joined = await Promise.all(tokens.map(async (token) => {
            const client = await connect(transport, wsUrl, token);
            clients.push(client);
            return client.request('join', { room: 'cold' }).catch((err: Error) => ({ ok: false, error: { code: 'closed', message: err.message } }));
          }));
          const lost = joined.map((r, i) => [i, r] as const).filter(([, r]) => !r.ok).map(([i, r]) => `#${i}: ${!r.ok && r.error.message}`);
          assert.deepEqual(lost, [], `cold start ${start}: sockets lost`);
          // Still open a moment later: the 1006 came right after the 101, and could come after the join too.
          assert.ok((await Promise.all(clients.map((c) => c.request('ping')))).every((r) => r.ok));
        } finally {
          await Promise.all(clients.map((c) => c.close()));
          node.child.kill('SIGTERM');
          await node.exited;
        }
      }
    } finally {
      rmSync(profiles, { recursive: true, force: true });
    }
  });
}
