/**
 * The SDK inside a mini-program: `wx.connectSocket` is the only socket there. A fake `wx` object
 * (its SocketTask API over a real WebSocket from the `ws` package) drives the real client against a
 * real node: connect, join, buy, hear the order, and survive the socket dropping.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startTestNode, type TestNode } from '../../server/testing/node.ts';
import { RoomcastClient, State } from '../src/index.ts';
import { wxSocket, type WxLike } from '../src/sdk/socket.ts';

let node: TestNode;
const sockets: WebSocket[] = [];

/** The SocketTask surface of `wx.connectSocket`, as the mini-program runtime offers it. */
const fakeWx: WxLike = {
  connectSocket({ url }) {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    sockets.push(ws);
    return {
      send: ({ data }) => ws.send(data),
      close: ({ code, reason }) => ws.close(code, reason),
      onOpen: (cb) => ws.on('open', cb),
      onMessage: (cb) => ws.on('message', (data: ArrayBuffer) => cb({ data })),
      onClose: (cb) => ws.on('close', (code: number, reason: Buffer) => cb({ code, reason: reason.toString() })),
      onError: (cb) => ws.on('error', cb),
    };
  },
};

before(async () => {
  node = await startTestNode({ engine: 'memory' });
  await node.api('POST', '/v1/rooms', { id: 'mini', title: 'mini' });
  await node.api('POST', '/v1/rooms/mini/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5, perUserLimit: 3 });
  await node.api('POST', '/v1/rooms/mini/flash-sales/s/start');
});
after(() => node.close());

test('over wx.connectSocket: join, buy, the stock state arrives; after the socket drops it reconnects and resumes, and a tap sent twice with one requestId is one order', async () => {
  const client = new RoomcastClient({ url: `${node.wsUrl}/v1/ws`, token: await node.token({ sub: 'mini-buyer' }), socket: wxSocket(fakeWx), backoff: { baseMs: 50, maxMs: 200 } });
  await client.connect();
  const view = await client.join('mini');
  assert.equal(client.state, State.Open);
  const { order } = await client.buy('mini', 's');
  assert.equal(order.state, 'reserved');
  await waitUntil(() => view.state['flash:s:left'] === 4);

  const states: State[] = [];
  client.onState((s) => states.push(s));
  sockets.at(-1)!.terminate();
  await waitUntil(() => client.state === State.Open && states.includes(State.Reconnecting));
  // After the reconnect, a tap sent twice with one requestId answers one order (a drop mid-request is client.test.ts's).
  const again = (await client.request('flash.buy', { room: 'mini', sale: 's', requestId: 'tap-1' })) as { order: { id: string } };
  const retried = (await client.request('flash.buy', { room: 'mini', sale: 's', requestId: 'tap-1' })) as { order: { id: string } };
  assert.equal(retried.order.id, again.order.id);
  await waitUntil(() => view.state['flash:s:left'] === 3);
  client.close();
  assert.equal(client.state, State.Closed);
});

async function waitUntil(probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
