/**
 * Moderation on both engines; on redis across two nodes sharing one Redis (on memory the one node
 * plays both): keywords hide a comment from everyone but its author while clean ones flow, a mute
 * holds on every node and ends on time, a ban takes the viewer's sockets out of the room on every
 * node and refuses the rejoin, a removed comment leaves every screen; bad input changes nothing.
 * Node a's viewers use the native transport: two nodes in one process share socket.io's uWS
 * attachment (the second's takes the first's socket.io clients); node b's use both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../../testing/clients.ts';
import { engines, startTestNode, uniquePrefix, type TestNode } from '../../testing/node.ts';

const config = {
  realtime: { rateLimit: { commentsPerSec: 100, commentsBurst: 100 } },
  moderation: { keywords: ['代购'], contentCheck: 'fake' as const, contentCheckFlags: ['刷单'] },
};
const texts = (client: TestClient) => client.events('comment').map((e) => (e.data as { text: string }).text);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const engine of engines) {
  describe(`moderation (${engine})`, () => {
    let a: TestNode;
    let b: TestNode;
    let room = '';
    let n = 0;
    /** A fresh room, live, with a host on node a; `viewers` on either node. */
    const setup = async () => {
      room = `mod-${engine}-${++n}`;
      assert.equal((await a.api('POST', '/v1/rooms', { id: room, title: room })).status, 201);
      await a.api('POST', `/v1/rooms/${room}/start`);
      const [host] = await a.viewers('ws', room, [`host-${n}`], { role: 'host', rooms: [room] });
      return host!;
    };
    /** Comments `text` and answers its id. */
    const say = async (client: TestClient, text: string) => {
      const reply = await client.request('comment', { room, text });
      assert.equal(reply.ok, true, JSON.stringify(reply));
      return (reply as { data: { id: string } }).data.id;
    };
    /** The opaque id a viewer's comments carry (what a host acts on). */
    const idOf = async (client: TestClient, reader: TestClient) => {
      const text = `hello ${Math.random()}`;
      await say(client, text);
      const seen = await reader.waitFor(() => reader.events('comment').find((e) => (e.data as { text: string }).text === text), 'the comment');
      return (seen.data as { user: { id: string } }).user.id;
    };

    before(async () => {
      const prefix = uniquePrefix();
      a = await startTestNode({ engine, prefix, config });
      b = engine === 'redis' ? await startTestNode({ engine, prefix, config }) : a;
    });
    after(async () => {
      if (b !== a) await b.close();
      await a.close();
    });

    test('a comment with a keyword reaches no one but its author, who sees it as sent; clean ones flow on both nodes', async () => {
      await setup();
      const put = await a.api('PUT', `/v1/rooms/${room}/keywords`, { words: ['加微信', 'VX123'] });
      assert.deepEqual(put.body, { words: ['加微信', 'VX123'] });
      const [spammer] = await b.viewers('socket.io', room, ['spammer']);
      const [onA] = await a.viewers('ws', room, ['reader-a']);
      const [onB] = await b.viewers('ws', room, ['reader-b']);
      // Folded before matching: spaces, symbols, full-width letters and case.
      for (const text of ['加 微 信 领红包', '私聊 ＶＸ-１２３', '专业代购', '刷单返现']) await say(spammer!, text);
      await say(onA!, '这件有大码吗');
      for (const reader of [onA!, onB!]) await reader.waitFor(() => texts(reader).includes('这件有大码吗'), 'the clean comment on both nodes');
      await spammer!.waitFor(() => texts(spammer!).length >= 5, "the spammer's own comments come back to them");
      assert.deepEqual(texts(spammer!).filter((t) => t !== '这件有大码吗').sort(), ['刷单返现', '专业代购', '加 微 信 领红包', '私聊 ＶＸ-１２３'].sort());
      await pause(200);
      for (const reader of [onA!, onB!]) assert.deepEqual(texts(reader), ['这件有大码吗'], 'no hidden comment reached another viewer');
      const comments = (await a.api('GET', `/v1/rooms/${room}/comments`)).body.comments as Array<{ text: string }>;
      assert.deepEqual(comments.map((c) => c.text), ['这件有大码吗'], 'hidden comments are not among those kept for the host');
    });

    test('a mute holds on every node and ends on time; the muted viewer still watches, likes and buys', async () => {
      const host = await setup();
      await a.api('POST', `/v1/rooms/${room}/flash-sales`, { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5 });
      await a.api('POST', `/v1/rooms/${room}/flash-sales/s/start`);
      const [loud] = await b.viewers('ws', room, ['loud']);
      const [loudOnA] = await a.viewers('ws', room, ['loud']);
      const user = await idOf(loud!, host);
      const muted = await host.request('mute', { room, user, seconds: 1 });
      assert.equal(muted.ok, true, JSON.stringify(muted));
      const listed = await host.request('restrictions', { room });
      assert.deepEqual(listed.ok && listed.data, { muted: [{ user, until: (muted.ok && (muted.data as { mute: { until: number } }).mute.until) }], banned: [] }, 'the host sees whom it muted');
      for (const socket of [loud!, loudOnA!]) {
        const refused = await socket.request('comment', { room, text: 'still here' });
        assert.equal(!refused.ok && refused.error.code, 'muted', `muted on ${socket === loud ? 'node b' : 'node a'}`);
      }
      await loud!.request('like', { room });
      assert.equal((await loud!.request('flash.buy', { room, sale: 's', requestId: 'm1' })).ok, true, 'a muted viewer still buys');
      await host.waitFor(() => (host.state().likes as number) >= 1, 'their like counts');
      await pause(1100);
      await say(loud!, 'back');
      assert.deepEqual((await b.api('GET', `/v1/rooms/${room}/restrictions`)).body, { muted: [], banned: [] }, 'a lapsed mute is not listed');
      // Muted again through the API, then unmuted before it ends.
      assert.equal((await a.api('POST', `/v1/rooms/${room}/mutes`, { user, seconds: 600 })).status, 201);
      assert.equal((await loudOnA!.request('comment', { room, text: 'no' }) as { error?: { code: string } }).error?.code, 'muted');
      assert.equal((await b.api('DELETE', `/v1/rooms/${room}/mutes/${user}`)).status, 200);
      await say(loudOnA!, 'unmuted');
    });

    test('a ban takes the viewer out of the room on every node (told by room.banned) and refuses the rejoin; an unban lets them back', async () => {
      const host = await setup();
      const [onB] = await b.viewers('socket.io', room, ['troll']);
      const [onA] = await a.viewers('ws', room, ['troll']);
      const [bystander] = await b.viewers('ws', room, ['bystander']);
      const user = await idOf(onB!, host);
      assert.equal((await a.api('POST', `/v1/rooms/${room}/bans`, { user })).status, 201);
      for (const socket of [onA!, onB!]) await socket.waitFor(() => socket.events('room.banned').length === 1, 'room.banned on every node');
      assert.deepEqual(onA!.events('room.banned')[0]!.data, { room });
      await a.api('POST', `/v1/rooms/${room}/pin`, { product: { id: 'p2', title: 'Scarf', price: 100 } });
      await bystander!.waitFor(() => bystander!.events('product.pinned').length === 1, 'the room goes on');
      await pause(200);
      for (const socket of [onA!, onB!]) {
        assert.equal(socket.events('product.pinned').length, 0, 'nothing of the room reaches a banned socket');
        assert.equal((await socket.request('comment', { room, text: 'x' }) as { error?: { code: string } }).error?.code, 'forbidden', 'out of the room');
        assert.equal((await socket.request('join', { room }) as { error?: { code: string } }).error?.code, 'banned', 'the rejoin is refused');
      }
      assert.deepEqual((await b.api('GET', `/v1/rooms/${room}/restrictions`)).body, { muted: [], banned: [user] }, 'listed as banned, on any node');
      assert.equal((await host.request('unban', { room, user })).ok, true);
      const lifted = await host.request('restrictions', { room });
      assert.deepEqual(lifted.ok && lifted.data, { muted: [], banned: [] });
      assert.equal((await onB!.request('join', { room })).ok, true, 'back after the unban');
    });

    test('a removed comment leaves every screen: a critical comment.removed on both nodes', async () => {
      await setup();
      const [writer] = await b.viewers('ws', room, ['writer']);
      const [onA] = await a.viewers('ws', room, ['remover-reader']);
      const id = await say(writer!, '广告链接');
      assert.match(id, /^c\d+$/);
      const removed = await a.api('POST', `/v1/rooms/${room}/comments/${id}/remove`);
      assert.deepEqual([removed.status, removed.body], [200, { removed: id }]);
      for (const socket of [writer!, onA!]) {
        const [event] = await socket.waitFor(() => socket.events('comment.removed').length === 1 && socket.events('comment.removed'), 'comment.removed');
        assert.deepEqual(event!.data, { id });
        assert.equal(typeof event!.seq, 'number', 'critical: it carries a seq');
      }
      const kept = (await a.api('GET', `/v1/rooms/${room}/comments`)).body.comments as Array<{ id: string; removed?: boolean }>;
      assert.deepEqual(kept.map((c) => [c.id, c.removed]), [[id, true]]);
    });

    test('bad input: another room\'s host, an unknown viewer or comment, a zero or absurd mute, a list past its bound; nothing partly written', async () => {
      const host = await setup();
      const otherRoom = room;
      await a.api('PUT', `/v1/rooms/${otherRoom}/keywords`, { words: ['旧词'] });
      await setup();
      const [viewer] = await a.viewers('ws', room, ['plain']);
      const user = await idOf(viewer!, viewer!);
      const forbidden = await host.request('mute', { room, user, seconds: 60 });
      assert.equal(!forbidden.ok && forbidden.error.code, 'forbidden', 'a host of another room');
      assert.equal((await viewer!.request('ban', { room, user }) as { error?: { code: string } }).error?.code, 'forbidden', 'a viewer');
      assert.equal((await viewer!.request('restrictions', { room }) as { error?: { code: string } }).error?.code, 'forbidden', 'a viewer may not list them');
      assert.equal((await host.request('restrictions', { room }) as { error?: { code: string } }).error?.code, 'forbidden', 'nor a host of another room');
      const unknown = 'vAAAAAAAAAAAAAAAA';
      assert.equal((await a.api('POST', `/v1/rooms/${room}/mutes`, { user: unknown, seconds: 60 })).status, 404);
      assert.equal((await a.api('POST', `/v1/rooms/${room}/bans`, { user: unknown })).body.error.code, 'not_found');
      assert.equal((await a.api('POST', `/v1/rooms/${room}/comments/c999999/remove`)).status, 404);
      for (const seconds of [0, -5, 1.5, 10 ** 9]) {
        const res = await a.api('POST', `/v1/rooms/${room}/mutes`, { user, seconds });
        assert.deepEqual([res.status, res.body.error.code], [400, 'bad_request'], `seconds ${seconds}`);
      }
      const tooMany = await a.api('PUT', `/v1/rooms/${otherRoom}/keywords`, { words: Array.from({ length: 1001 }, (_, i) => `w${i}`) });
      assert.equal(tooMany.status, 400);
      assert.match(tooMany.body.error.message, /at most 1000 keywords/);
      assert.equal((await a.api('PUT', `/v1/rooms/${otherRoom}/keywords`, { words: ['ok', '  ***  '] })).status, 400, 'a word of symbols only');
      assert.deepEqual((await a.api('GET', `/v1/rooms/${otherRoom}/keywords`)).body.words, ['旧词'], 'the list is as it was');
      await say(viewer!, 'not muted by any of that');
    });
  });
}
