/**
 * The SDK against a fake server (a `ws` server speaking msgpack), where the test decides what the
 * server says and when the connection drops: replays keep their requestId, rejoins resume from the
 * last seq, events arrive once, and bad frames never throw.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { RoomcastClient, State, type RoomEvent } from '../src/index.ts';
import { decode, encode } from '../../server/protocol/codec.ts';
import type { SocketFactory } from '../src/sdk/socket.ts';

type Frame = Record<string, unknown> & { id?: number; op?: string };

let server: WebSocketServer;
let url: string;
/** Every connection the fake server accepted, with the frames it received. */
const connections: Array<{ ws: WebSocket; frames: Frame[] }> = [];
let onFrame: (ws: WebSocket, frame: Frame) => void = () => {};

const reply = (ws: WebSocket, id: number | undefined, data: unknown) => ws.send(encode({ re: id, ok: true, data }));
const joined = (ws: WebSocket, frame: Frame, seq: number, missed: unknown[] = []) => reply(ws, frame.id, { snapshot: { state: {} }, seq, missed });

/** Node 20 has no global WebSocket: the browser adapter's twin over `ws`. */
const nodeSocket: SocketFactory = (target) => {
  const ws = new WebSocket(target);
  const socket = {
    send: (bytes: Uint8Array) => ws.send(bytes),
    close: (code?: number, reason?: string) => ws.close(code, reason),
    onopen: null as (() => void) | null,
    onmessage: null as ((bytes: Uint8Array) => void) | null,
    onclose: null as ((code: number, reason: string) => void) | null,
  };
  ws.on('open', () => socket.onopen?.());
  ws.on('message', (data: Buffer) => socket.onmessage?.(new Uint8Array(data)));
  ws.on('close', (code, reason) => socket.onclose?.(code, reason.toString()));
  ws.on('error', () => {});
  return socket;
};

const client = () => new RoomcastClient({ url, token: 't', socket: nodeSocket, backoff: { baseMs: 20, maxMs: 50 }, requestTimeoutMs: 5000 });

before(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/v1/ws`;
  server.on('connection', (ws) => {
    const connection = { ws, frames: [] as Frame[] };
    connections.push(connection);
    ws.on('message', (data: Buffer) => {
      const frame = decode(new Uint8Array(data)) as Frame;
      connection.frames.push(frame);
      onFrame(ws, frame);
    });
  });
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('a buy caught by a dropped connection is sent again after the rejoin, with the same requestId, and resolves once', async () => {
  connections.length = 0;
  let buys = 0;
  onFrame = (ws, frame) => {
    if (frame.op === 'join') joined(ws, frame, 7);
    if (frame.op === 'flash.buy' && ++buys === 1) ws.terminate();
    else if (frame.op === 'flash.buy') reply(ws, frame.id, { order: { id: `o-${String(frame.requestId)}`, state: 'reserved' } });
  };
  const c = client();
  await c.connect();
  await c.join('r1');
  const { order } = await c.buy('r1', 's1');
  const sent = connections.flatMap((k) => k.frames).filter((f) => f.op === 'flash.buy');
  assert.equal(sent.length, 2);
  assert.equal(sent[0]!.requestId, sent[1]!.requestId, 'the replay reuses the requestId');
  assert.equal(order.id, `o-${String(sent[0]!.requestId)}`);
  const second = connections[1]!.frames;
  assert.deepEqual(second.map((f) => f.op), ['join', 'flash.buy'], 'the room is rejoined before the replay');
  assert.equal(second[0]!.resume, 7, 'the rejoin resumes from the last seq');
  c.close();
});

test('events arrive once each in seq order across a resume; the room view keeps the latest state', async () => {
  connections.length = 0;
  onFrame = (ws, frame) => {
    if (frame.op !== 'join') return;
    if (frame.resume === undefined) {
      joined(ws, frame, 0);
      ws.send(encode({ t: 'batch', room: 'r1', seq: 2, events: [{ type: 'a', data: 1, seq: 1, ts: 1 }, { type: 'b', data: 2, seq: 2, ts: 2 }], state: { likes: 5 } }));
      setTimeout(() => ws.terminate(), 50);
    } else {
      joined(ws, frame, 3, [{ type: 'b', data: 2, seq: 2, ts: 2 }, { type: 'c', data: 3, seq: 3, ts: 3 }]);
      ws.send(encode({ t: 'batch', room: 'r1', seq: 3, events: [], state: { likes: 9 } }));
    }
  };
  const c = client();
  const seen: number[] = [];
  c.on('*', (e: RoomEvent) => e.seq !== undefined && seen.push(e.seq));
  await c.connect();
  const view = await c.join('r1');
  await waitUntil(() => view.state.likes === 9);
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(view.events.map((e) => e.seq), [1, 2, 3]);
  assert.equal(view.seq, 3);
  c.close();
});

test('bad input never throws: a frame that does not decode is reported once; unknown frames, events and keys pass; a closed client rejects at once', async () => {
  onFrame = (ws, frame) => {
    if (frame.op !== 'join') return;
    joined(ws, frame, 0);
    ws.send(Buffer.from([0xc1, 0xc1, 0xc1]));
    ws.send(encode({ t: 'from-the-future', x: 1 }));
    ws.send(encode({ t: 'batch', room: 'r1', events: [{ type: 'brand.new', data: { any: 'thing' }, ts: 1 }], state: { 'new:key': [1, 2] } }));
  };
  const c = client();
  const errors: unknown[] = [];
  const unknown: unknown[] = [];
  c.on('error', (e) => errors.push(e.data));
  c.on('brand.new', (e) => unknown.push(e.data));
  await c.connect();
  const view = await c.join('r1');
  await waitUntil(() => unknown.length === 1);
  assert.equal(errors.length, 1);
  assert.deepEqual(view.state['new:key'], [1, 2]);
  c.close();
  assert.equal(c.state, State.Closed);
  await assert.rejects(c.buy('r1', 's1'), (err: Error & { code?: string }) => err.code === 'disconnected');
});

test('a close() that overtakes connect() opens no socket: the connect rejects, nothing is left open', async () => {
  const before = connections.length;
  const c = client();
  const connecting = c.connect();
  c.close();
  await assert.rejects(connecting, (err: Error & { code?: string }) => err.code === 'disconnected');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(connections.length, before, 'no socket reached the server');
  assert.equal(c.state, State.Closed);
});

async function waitUntil(probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
