/**
 * A lucky draw with 1,000 entries on two nodes sharing Redis, one of them SIGKILLed at drawAt: the
 * draw still happens (its due work is handed to the live node), exactly once, with exactly
 * the prize counts, and the revealed seed reproduces the winners.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { issueToken, secretKey } from '../auth/token.ts';
import { groupRoom } from './group-room.ts';
import { verifyDraw, type Prize, type Winner } from '../protocol/draw.ts';
import { connect, waitFor, type TestClient } from '../testing/clients.ts';
import { callApi, deletePrefix, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';

const CHAT = 'wrCrashDraw';
const ROOM = groupRoom(CHAT);
const MEMBERS = 1000;
const PRIZES: Prize[] = [{ name: 'gold', count: 3 }, { name: 'silver', count: 7 }, { name: 'coupon', count: 40 }];
const secret = secretKey('dev-jwt-secret-do-not-use-in-production');
const cleanups: Array<() => Promise<unknown>> = [];
const api = (node: NodeProcess, method: string, path: string, body?: unknown) => callApi(`http://127.0.0.1:${node.ports.http}`, 'dev-api-key', method, path, body);

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function start(prefix: string, id: string): Promise<NodeProcess> {
  const node = await spawnNode({ REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, NODE_ID: id });
  cleanups.push(async () => {
    node.child.kill('SIGKILL');
    await node.exited;
  });
  return node;
}

async function membersOn(nodes: NodeProcess[]): Promise<TestClient[][]> {
  const clients = await Promise.all(Array.from({ length: MEMBERS }, async (_, i) => {
    const node = nodes[i % nodes.length]!;
    const client = await connect('ws', `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub: `m${i}`, chats: [CHAT] }, secret));
    cleanups.push(() => client.close());
    assert.equal((await client.request('join', { room: ROOM })).ok, true);
    return client;
  }));
  return nodes.map((_, n) => clients.filter((_, i) => i % nodes.length === n));
}

test('1,000 entries, two nodes, one SIGKILLed at drawAt: drawn once, exact prize counts, verifiable', async () => {
  const prefix = uniquePrefix();
  cleanups.push(() => deletePrefix(prefix));
  const [a, b] = await Promise.all([start(prefix, 'a'), start(prefix, 'b')]);
  const [onA, onB] = await membersOn([a!, b!]);

  const drawAt = Date.now() + 8000;
  const opened = await api(a!, 'POST', `/v1/groups/${CHAT}/games`, { kind: 'draw', id: 'bag', prizes: PRIZES, drawAt });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const entered = await Promise.all([...onA!, ...onB!].map((m) => m.request('draw.enter', { room: ROOM, game: 'bag' })));
  assert.equal(entered.filter((r) => r.ok).length, MEMBERS, 'every member entered before drawAt');

  await new Promise((r) => setTimeout(r, Math.max(0, drawAt - Date.now())));
  a!.child.kill('SIGKILL');
  await a!.exited;

  // Whichever node claimed the due draw first: if it was A, it comes due again once A's lease runs
  // out (15 s). This test does not force A to hold it; either way the draw must happen once.
  const watcher = onB![0]!;
  const result = await watcher.waitFor(() => watcher.events('draw.result')[0], 'draw.result on the surviving node', 60_000);
  await new Promise((r) => setTimeout(r, 2000));
  for (const member of onB!) assert.ok(member.events('draw.result').length <= 1, 'announced once');
  await waitFor(() => onB!.every((m) => m.events('draw.result').length === 1), 'every member on B heard the result', 10_000);

  const { seed, commitment, winners, entries } = result.data as { seed: string; commitment: string; winners: Winner[]; entries: number };
  assert.equal(entries, MEMBERS);
  for (const prize of PRIZES) assert.equal(winners.filter((w) => w.prize === prize.name).length, prize.count, prize.name);
  assert.equal(new Set(winners.map((w) => w.user)).size, winners.length, 'nobody wins twice');
  const details = await api(b!, 'GET', `/v1/groups/${CHAT}/games/bag`);
  assert.equal(details.body.game.status, 'drawn');
  assert.deepEqual(details.body.game.winners, winners);
  assert.deepEqual(await verifyDraw({ seed, commitment, entries: details.body.entries, prizes: PRIZES, winners }), { ok: true });
  assert.equal((await api(b!, 'POST', `/v1/groups/${CHAT}/games/bag/draw`)).body.error.code, 'already_done');
});
