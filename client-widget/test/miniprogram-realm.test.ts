/**
 * The mini-program build (`dist/miniprogram/roomcast-sdk.js`, CommonJS) in a realm like a
 * mini-program's logic layer: a `node:vm` context holding only `wx` and the timers, with no code
 * generation from strings (`eval`, `new Function` throw, as there). No `crypto`, `TextDecoder`,
 * `atob`, `WebSocket`, `fetch`, `window`, `Buffer`, `process` or `queueMicrotask`. A fake `wx`
 * (`wx.connectSocket`'s SocketTask over a real socket, `wx.getRandomValues` asynchronous as in
 * WeChat) against a real node: connect, join, hear `flash.started`, buy, survive a dropped socket.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import vm from 'node:vm';
import { startTestNode, type TestNode } from '../../server/testing/node.ts';
import { waitFor } from '../../server/testing/clients.ts';
import { buildBundle, bundles } from '../build.ts';
import { fakeWx } from './fake-wx.ts';

let node: TestNode;
let dir: string;
let source: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roomcast-mp-'));
  const bundle = bundles.find((b) => b.miniprogram)!;
  await buildBundle(bundle, dir);
  source = readFileSync(join(dir, bundle.out), 'utf8');
  node = await startTestNode({ engine: 'memory' });
  await node.api('POST', '/v1/rooms', { id: 'mp', title: 'mp' });
  await node.api('POST', '/v1/rooms/mp/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5, perUserLimit: 3 });
});
after(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Loads the bundle as a mini-program does: CommonJS, in a realm of `wx` and timers only. */
function load(wx: unknown): { sdk: any; realm: vm.Context } {
  const realm = vm.createContext({ wx, setTimeout, clearTimeout, setInterval, clearInterval }, { codeGeneration: { strings: false, wasm: false } });
  const module = { exports: {} as Record<string, unknown> };
  vm.runInContext(`(function (module, exports) {\n${source}\n})`, realm)(module, module.exports);
  return { sdk: module.exports, realm };
}

test('the realm has what a mini-program has, and no more', () => {
  const { realm } = load(fakeWx().wx);
  for (const name of ['crypto', 'TextDecoder', 'TextEncoder', 'atob', 'WebSocket', 'fetch', 'window', 'document', 'Buffer', 'process', 'queueMicrotask', 'require']) {
    assert.equal(vm.runInContext(`typeof ${name}`, realm), 'undefined', name);
  }
  assert.throws(() => vm.runInContext('eval("1")', realm), /EvalError|Code generation/);
  assert.throws(() => vm.runInContext('new Function("return 1")', realm), /EvalError|Code generation/);
});

test('in that realm: connect, join, hear flash.started, buy; after the socket drops it resumes, and a requestId sent again answers the same order', async () => {
  const { wx, sockets, show } = fakeWx();
  const { sdk } = load(wx);
  const client = new sdk.RoomcastClient({ url: `${node.wsUrl}/v1/ws`, token: await node.token({ sub: 'mp-buyer' }), platform: sdk.wxPlatform(wx), backoff: { baseMs: 50, maxMs: 200 } });
  const started: unknown[] = [];
  client.on('flash.started', (e: unknown) => started.push(e));
  await client.connect();
  const view = await client.join('mp');
  assert.equal(client.state, 'open');
  assert.match(view.you, /^v[\w-]{16}$/, 'the viewer learns their own opaque id');
  await node.api('POST', '/v1/rooms/mp/flash-sales/s/start');
  await waitFor(() => started.length === 1, 'flash.started in the realm');

  const { order } = await client.buy('mp', 's');
  assert.equal(order.state, 'reserved');
  await waitFor(() => view.state['flash:s:left'] === 4, 'the stock state');

  // A buy in flight when the socket drops is sent again after the resume, with the same requestId.
  const inFlight = client.buy('mp', 's');
  sockets.at(-1)!.terminate();
  show(); // brought back to the foreground: reconnect at once
  const again = await inFlight;
  await waitFor(() => client.state === 'open', 'open again');
  const first = await client.request('flash.buy', { room: 'mp', sale: 's', requestId: 'tap-1' });
  const retried = await client.request('flash.buy', { room: 'mp', sale: 's', requestId: 'tap-1' });
  assert.equal(retried.order.id, first.order.id, 'one order for one requestId');
  await waitFor(() => view.state['flash:s:left'] === 2, 'three units sold in all');
  const { body } = await node.api('GET', `/v1/orders/${again.order.id}`);
  assert.equal(body.order.state, 'reserved');
  client.close();
});

test('an old base library without wx.getRandomValues is named at connect(), not a TypeError at the first tap', async () => {
  const { wx } = fakeWx(['getRandomValues', 'onAppShow']);
  const { sdk } = load(wx);
  const client = new sdk.RoomcastClient({ url: `${node.wsUrl}/v1/ws`, token: 'x', platform: sdk.wxPlatform(wx) });
  await assert.rejects(client.connect(), (err: { code?: string; message?: string }) => err.code === 'unsupported' && /wx\.getRandomValues \(since 2\.15\.0\)/.test(err.message!) && /wx\.onAppShow/.test(err.message!));
});
