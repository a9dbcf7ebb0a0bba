/**
 * The real-time core seen by real clients over real sockets: the same scenario over both
 * transports and both engines, and it must pass identically.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { connect, NativeClient, transports, type SocketIoClient, type TestClient, type TransportName } from '../testing/clients.ts';
import { engines, startTestNode, type TestNode } from '../testing/node.ts';
import type { Config } from '../config/schema.ts';

const product = { id: 'sku-1', title: 'Silk scarf', price: 19900 };

for (const engine of engines) {
  for (const transport of transports) {
    describe(`realtime over ${transport} on ${engine}`, () => {
      let node: TestNode;
      const clients: TestClient[] = [];
      const open = async (sub: string, extra: Record<string, unknown> = {}) => {
        const client = await connect(transport, node.wsUrl, await node.token({ sub, ...extra }));
        clients.push(client);
        return client;
      };
      const joined = async (sub: string, room: string, extra: Record<string, unknown> = {}) => {
        const client = await open(sub, extra);
        const reply = await client.request('join', { room });
        assert.equal(reply.ok, true, JSON.stringify(reply));
        return client;
      };
      const room = async (id: string) => {
        assert.equal((await node.api('POST', '/v1/rooms', { id, title: id })).status, 201);
        assert.equal((await node.api('POST', `/v1/rooms/${id}/start`)).status, 200);
      };

      before(async () => {
        node = await startTestNode({
          engine,
          config: {
            rooms: { presenceIntervalMs: 100, presenceTtlMs: 1000 },
            realtime: { rateLimit: { opsPerSec: 50, opsBurst: 50, commentsPerSec: 1, commentsBurst: 3, floodDisconnectAfter: 30 } },
          },
        });
      });
      after(async () => {
        await Promise.all(clients.map((c) => c.close()));
        await node.close();
      });

      test('refuses missing, malformed, wrongly signed and expired tokens before the socket opens', async () => {
        const wrongKey = new TextEncoder().encode('another-secret-of-enough-length');
        const forged = await new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(wrongKey);
        const expired = await new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(node.config.auth.jwtSecret));
        for (const token of ['', 'not-a-jwt', forged, expired]) {
          await assert.rejects(connect(transport, node.wsUrl, token), (err: { status?: number }) => err.status === 401);
        }
      });

      test("a comment names its author by their opaque id in the room, never their sub; each viewer learns their own at join", async () => {
        await room('private');
        await room('private-2');
        const author = await open('unionid-author-1', { name: 'Lin' });
        const you = ((await author.request('join', { room: 'private' })) as { ok: true; data: { you: { id: string } } }).data.you.id;
        const elsewhere = ((await author.request('join', { room: 'private-2' })) as { ok: true; data: { you: { id: string } } }).data.you.id;
        assert.match(you, /^v[\w-]{16}$/);
        assert.notEqual(you, elsewhere, 'a different id in every room');
        const reader = await joined('unionid-reader-2', 'private');
        const said = await author.request('comment', { room: 'private', text: 'hello' });
        assert.equal(said.ok, true);
        const [comment] = await reader.waitFor(() => reader.events('comment').length > 0 && reader.events('comment'), 'the comment');
        assert.deepEqual(comment!.data, { id: (said as { data: { id: string } }).data.id, user: { id: you, name: 'Lin' }, text: 'hello' });
        assert.ok(!JSON.stringify(reader.frames).includes('unionid-author-1'), 'the sub is nowhere in what the reader got');
      });

      test('a host pin reaches every viewer once, with the room seq', async () => {
        await room('pin');
        const viewers = await Promise.all(Array.from({ length: 20 }, (_, i) => joined(`viewer-${i}`, 'pin')));
        const host = await joined('host', 'pin', { role: 'host', rooms: ['pin'] });
        assert.deepEqual(await host.request('pin', { room: 'pin', product }), { ok: true });
        const viewer = await open('not-a-host');
        assert.equal((await viewer.request('pin', { room: 'pin', product })).ok, false);
        for (const v of viewers) {
          const [pinned] = await v.waitFor(() => v.events('product.pinned').length > 0 && v.events('product.pinned'), 'the pin');
          assert.deepEqual(pinned!.data, product);
          assert.equal(pinned!.seq, 2, 'room.started was seq 1');
        }
        assert.ok(viewers.every((v) => v.events('product.pinned').length === 1));
      });

      test('online and likes converge for every viewer', async () => {
        await room('likes');
        const viewers = await Promise.all(Array.from({ length: 10 }, (_, i) => joined(`liker-${i}`, 'likes')));
        await Promise.all(viewers.map((v) => Promise.all([1, 2, 3].map(() => v.request('like', { room: 'likes', n: 1 })))));
        for (const v of viewers) {
          await v.waitFor(() => v.state().likes === 30 && v.state().online === 10, `likes 30 and online 10, have ${JSON.stringify(v.state())}`);
        }
        await viewers[0]!.close();
        await viewers[1]!.waitFor(() => viewers[1]!.state().online === 9, 'online 9 after one left');
      });

      test('a comment flood is refused with rate_limited while other viewers are unaffected', async () => {
        await room('flood');
        const flooder = await joined('flooder', 'flood');
        const calm = await joined('calm', 'flood');
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => flooder.request('comment', { room: 'flood', text: `spam ${i}` })));
        const refused = results.filter((r) => !r.ok && r.error.code === 'rate_limited').length;
        assert.equal(results.filter((r) => r.ok).length, 3, 'the comment burst');
        assert.equal(refused, 17);
        assert.equal((await calm.request('comment', { room: 'flood', text: 'hello' })).ok, true);
        await calm.waitFor(() => calm.events('comment').some((e) => (e.data as { text: string }).text === 'hello'), 'the calm comment');
      });

      test('an op flood past the hard bound closes the socket with 1008', async () => {
        const flooder = await open('op-flooder');
        for (let i = 0; i < 120; i++) void flooder.request('ping').catch(() => undefined);
        const { code } = await flooder.closed;
        assert.equal(code, 1008);
        const fine = await open('after-flood');
        assert.equal((await fine.request('ping')).ok, true);
      });

      test('bad frames get bad_request and change nothing', async () => {
        const client = await open('bad-frames');
        const cases: Array<[string, Record<string, unknown>]> = [
          ['nope', {}],
          ['join', {}],
          ['join', { room: 42 }],
          ['comment', { room: 'x', text: '' }],
          ['like', { room: 'x', n: -5 }],
          ['like', { room: 'x', n: 1e9 }],
        ];
        for (const [op, args] of cases) {
          const reply = await client.request(op, args);
          assert.equal(reply.ok, false);
          assert.equal(!reply.ok && reply.error.code, 'bad_request', `${op} ${JSON.stringify(args)}`);
        }
        const missing = await client.request('join', { room: 'no-such-room' });
        assert.equal(!missing.ok && missing.error.code, 'not_found');
        const outsider = await client.request('like', { room: 'likes' });
        assert.equal(!outsider.ok && outsider.error.code, 'forbidden');
        assert.equal((await client.request('ping')).ok, true);
      });

      test('resume after a reconnect delivers the missed critical event', async () => {
        await room('resume');
        const first = await joined('resumer', 'resume');
        const join = await first.request('join', { room: 'resume' });
        const seq = (join as { data: { seq: number } }).data.seq;
        await first.close();
        assert.equal((await node.api('POST', '/v1/rooms/resume/pin', { product })).status, 200);
        const again = await open('resumer');
        const reply = await again.request('join', { room: 'resume', resume: seq });
        assert.equal(reply.ok, true);
        const data = (reply as { data: { resumed: boolean; missed: Array<{ type: string; seq: number }>; seq: number } }).data;
        assert.equal(data.resumed, true);
        assert.deepEqual(data.missed.map((e) => [e.type, e.seq]), [['product.pinned', seq + 1]]);
        assert.equal(data.seq, seq + 1);
        const stale = await again.request('join', { room: 'resume', resume: 10_000 });
        assert.equal((stale as { data: { resumed: boolean } }).data.resumed, false, 'a cursor from the future gets a snapshot');
      });

      test('tag events reach only that audience, live and on resume; personal events reach only their user', async () => {
        await room('tags');
        const vip = await joined('vip-1', 'tags', { tags: ['vip', 'new'] });
        const plain = await joined('plain-1', 'tags');
        const { broker } = node.node.engine;
        await broker.publishEvent('tags', ['room:tags:tag:vip', 'room:tags:tag:new'], { type: 'coupon.popup', data: { coupon: 'c1' } });
        await broker.publishEvent('tags', ['room:tags'], { type: 'product.pinned', data: product });
        await broker.publishToUser('vip-1', { type: 'order.update', data: { id: 'o1' } });
        await plain.waitFor(() => plain.events('product.pinned').length === 1, 'the room event');
        await vip.waitFor(() => vip.events('coupon.popup').length > 0 && vip.events('order.update').length === 1, 'tag and personal events');
        assert.equal(new Set(vip.events('coupon.popup').map((e) => e.seq)).size, 1, 'one event, one seq, though the viewer is in both tags');
        assert.equal(plain.events('coupon.popup').length, 0);
        assert.equal(plain.events('order.update').length, 0);

        const again = await open('plain-1');
        const replay = (await again.request('join', { room: 'tags', resume: 1 })) as { ok: true; data: { missed: Array<{ type: string }> } };
        assert.deepEqual(replay.data.missed.map((e) => e.type), ['product.pinned'], 'no tag event in a plain viewer\'s replay');
        const vipAgain = await open('vip-1', { tags: ['vip', 'new'] });
        const vipReplay = (await vipAgain.request('join', { room: 'tags', resume: 1 })) as { ok: true; data: { missed: Array<{ type: string }> } };
        assert.deepEqual(vipReplay.data.missed.map((e) => e.type), ['coupon.popup', 'product.pinned']);

        assert.deepEqual(await plain.request('leave', { room: 'tags' }), { ok: true });
        await broker.publishEvent('tags', ['room:tags'], { type: 'room.ended', data: {} });
        await vip.waitFor(() => vip.events('room.ended').length === 1, 'the end at a viewer still in the room');
        assert.equal(plain.events('room.ended').length, 0, 'nothing after leave');
      });

      if (transport === 'ws') {
        test('garbage closes with 1007, an oversized frame with 1009, a 2 MiB one is cut; the node keeps serving', async () => {
          const garbage = (await open('garbage')) as NativeClient;
          garbage.sendRaw(new Uint8Array([0xc1, 0xff, 0x00, 0x13]));
          assert.equal((await garbage.closed).code, 1007);
          const over = (await open('over')) as NativeClient;
          over.sendRaw(new Uint8Array(node.config.realtime.maxPayloadBytes + 1));
          assert.equal((await over.closed).code, 1009);
          const huge = (await open('huge')) as NativeClient;
          huge.socket.on('error', () => {});
          huge.sendRaw(new Uint8Array(2 * 1024 * 1024));
          assert.ok([1006, 1009].includes((await huge.closed).code));
          const fine = await open('still-fine');
          assert.equal((await fine.request('ping')).ok, true);
        });
      } else {
        test('a 2 MiB frame disconnects the socket; the node keeps serving', async () => {
          const big = await open('big');
          void big.request('comment', { room: 'x', text: 'x'.repeat(2 * 1024 * 1024) }).catch(() => undefined);
          await big.closed;
          const fine = await open('still-fine');
          assert.equal((await fine.request('ping')).ok, true);
        });
      }
    });
  }
}

/**
 * Viewers that stop reading (their TCP paused) next to one that reads: the server publishes until it
 * has closed one of them, then every paused viewer reads again and the one closed must see the
 * expected close code, while the reader got every event.
 */
async function slowConsumers(realtime: Partial<Config['realtime']>, paused: number, expect: { code: number; reason: string }, transport: TransportName = 'ws'): Promise<void> {
  const node = await startTestNode({ engine: 'memory', config: { realtime } });
  try {
    assert.equal((await node.api('POST', '/v1/rooms', { id: 'slow', title: 'slow' })).status, 201);
    const clients = await Promise.all(['fast', ...Array.from({ length: paused }, (_, i) => `slow${i}`)].map(async (sub) => {
      const client = await connect(sub === 'fast' ? 'ws' : transport, node.wsUrl, await node.token({ sub }));
      assert.equal((await client.request('join', { room: 'slow' })).ok, true);
      return client;
    }));
    const [fast, ...slow] = clients as [TestClient, ...TestClient[]];
    const tcp = slow.map(tcpOf);
    for (const t of tcp) t.pause();
    const closedSlow = async () => new RegExp(`roomcast_closes_total\\{reason="${expect.reason}"\\} [1-9]`).test(await (await fetch(`${node.adminUrl}/metrics`)).text());
    const publish = (n: number) => Promise.all(Array.from({ length: n }, () =>
      node.node.engine.broker.publishEvent('slow', ['room:slow'], { type: 'bulk', data: 'x'.repeat(1024) })));
    // Fill the kernel's buffers fast, then trickle so the server's buffers grow past the limit.
    let sent = 0;
    for (; sent < 4000; sent += 100) await publish(100);
    for (; !(await closedSlow()) && sent < 40_000; sent += 64) {
      await publish(64);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const t of tcp) t.resume();
    const codes = await Promise.all(slow.map((c) => Promise.race([c.closed.then((c) => c.code), new Promise<number>((r) => setTimeout(() => r(0), 3000))])));
    assert.ok(codes.includes(expect.code), `a paused viewer closed with ${expect.code} (codes ${codes.join(', ')})`);
    assert.ok(codes.every((code) => code === expect.code || code === 0), `no other close than ${expect.code} (codes ${codes.join(', ')})`);
    await fast.waitFor(() => fast.events('bulk').length === sent, `all ${sent} events at the fast viewer`);
    for (const c of clients) await c.close();
  } finally {
    await node.close();
  }
}

for (const transport of transports) {
  test(`a ${transport} viewer that stops reading is closed with 4008 while others get every event`, () =>
    slowConsumers({ maxBackpressureBytes: 8 * 1024 * 1024 }, 1, { code: 4008, reason: 'slow_consumer' }, transport));
}

/** The client's TCP socket, to stop reading from it: ws's own, or the one under socket.io's websocket transport. */
function tcpOf(client: TestClient): { pause(): void; resume(): void } {
  type Tcp = { _socket: { pause(): void; resume(): void } };
  if (client instanceof NativeClient) return (client.socket as unknown as Tcp)._socket;
  const engine = (client as SocketIoClient).socket.io.engine as unknown as { transport: { ws: Tcp } };
  return engine.transport.ws._socket;
}

test('past the node-wide send-buffer budget, viewers far behind are dropped (1006) before their own limit', () =>
  // Each socket alone could hold 64 MiB (more than the test ever sends); together they may hold 1 MiB.
  slowConsumers({ maxBackpressureBytes: 128 * 1024 * 1024, maxBufferedTotalBytes: 1024 * 1024 }, 3, { code: 1006, reason: 'over_budget' }));
