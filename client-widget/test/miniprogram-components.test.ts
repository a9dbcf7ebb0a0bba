/**
 * The mini-program components under miniprogram-simulate (the official custom-component test tool,
 * on jsdom), with the built SDK beside them as in a mini-program, a fake `wx.connectSocket` over a
 * real socket, and a real node: the host starts a sale and two buyers' pages follow it live.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { waitFor } from '../../server/testing/clients.ts';
import { startTestNode, type TestNode } from '../../server/testing/node.ts';
import { buildBundle, bundles } from '../build.ts';
import { fakeWx } from './fake-wx.ts';

const require = createRequire(import.meta.url);
const { JSDOM } = require('jsdom') as { JSDOM: new (html: string) => { window: Record<string, unknown> } };
let node: TestNode;
let dir: string;
let simulate: any;

/** What the components call on `wx`, merged by miniprogram-simulate over its own mock. */
const { wx, sockets } = fakeWx();

before(async () => {
  // The layout a mini-program gets: the SDK file and the components folder side by side.
  dir = mkdtempSync(join(tmpdir(), 'roomcast-mpc-'));
  await buildBundle(bundles.find((b) => b.miniprogram)!, dir);
  cpSync(new URL('../miniprogram/components', import.meta.url), join(dir, 'miniprogram/components'), { recursive: true });
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>');
  for (const name of ['window', 'document', 'Node', 'Element', 'Event', 'CustomEvent', 'HTMLElement']) (globalThis as Record<string, unknown>)[name] = dom.window[name];
  (globalThis as Record<string, unknown>).wx = wx;
  simulate = require('miniprogram-simulate');
  node = await startTestNode({ engine: 'memory' });
  await node.api('POST', '/v1/rooms', { id: 'mpc', title: 'mpc' });
  await node.api('POST', '/v1/rooms/mpc/start');
  await node.api('POST', '/v1/rooms/mpc/flash-sales', { id: 'last', product: { id: 'p', title: '茶具', price: 19900 }, price: 9900, stock: 2, perUserLimit: 1 });
});
after(async () => {
  for (const ws of sockets) ws.terminate();
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

// WeChat's own WXML compiler, over the folder as one project (it compiles a root's files together).
const component = (name: string) => simulate.load(join(dir, `miniprogram/components/${name}/index`), name, { compiler: 'official', rootPath: join(dir, 'miniprogram') });
const mount = (c: { attach(parent: unknown): void }) => c.attach((globalThis as unknown as { document: { createElement(tag: string): unknown } }).document.createElement('parent-wrapper'));

/** A viewer's page: rc-room with rc-flash-sale and rc-coupon-popup, attached, the room joined. */
async function page(sub: string, tags: string[] = []) {
  const room = simulate.render(component('rc-room'), { url: `${node.wsUrl}/v1/ws`, token: await node.token({ sub, tags }), room: 'mpc', scope: sub });
  mount(room);
  const sale = simulate.render(component('rc-flash-sale'), { room: 'mpc', sale: 'last', scope: sub });
  mount(sale);
  const coupon = simulate.render(component('rc-coupon-popup'), { room: 'mpc', scope: sub });
  mount(coupon);
  await waitFor(() => sale.data.title === '茶具', `${sub}'s page shows the sale`);
  return { room, sale, coupon, button: () => sale.querySelector('.rc-buy'), detach: () => [sale, coupon, room].forEach((c) => c.detach()) };
}

test('two pages: the button goes live when the host starts the sale, stock falls live, and the last unit shows sold out on the other page', async () => {
  const [a, b] = [await page('mp-a'), await page('mp-b')];
  for (const p of [a, b]) {
    assert.equal(p.sale.data.phase, 'soon');
    assert.equal(p.sale.data.label, '即将开始');
    assert.equal(p.sale.data.price, '¥99');
  }
  await node.api('POST', '/v1/rooms/mpc/flash-sales/last/start');
  for (const p of [a, b]) await waitFor(() => p.sale.data.phase === 'idle' && p.sale.data.label === '立即抢购', 'the button goes live');
  assert.equal(a.sale.data.leftLabel, '剩余 2');

  a.button().dispatchEvent('tap');
  await simulate.sleep(0);
  await waitFor(() => a.sale.data.phase === 'bought', "a's tap buys");
  assert.equal(a.sale.data.label, '已抢到');
  await waitFor(() => b.sale.data.left === 1 && b.sale.data.percent === 50, 'the stock falls live on the other page');

  // Someone else takes the last unit: both pages show it gone, and b's button is sold out.
  const [other] = await node.viewers('ws', 'mpc', ['elsewhere']);
  assert.equal((await other!.request('flash.buy', { room: 'mpc', sale: 'last', requestId: 'x' })).ok, true);
  await waitFor(() => b.sale.data.phase === 'soldOut' && b.sale.data.label === '已售罄' && b.sale.data.leftLabel === '剩余 0', 'sold out on the other page');
  assert.equal(a.sale.data.phase, 'bought', 'the buyer keeps what they bought');
  assert.match(a.sale.data.order, /^订单: /);
  assert.ok(b.button().dom.hasAttribute('disabled') || b.sale.data.phase !== 'idle');
  for (const p of [a, b]) p.detach();
});

test('the coupon pop-up appears only on the tagged viewer\'s page, counts down, and claims', async () => {
  await node.api('POST', '/v1/rooms/mpc/coupons', { id: 'vip10', title: '会员专享', value: 1000, quantity: 5, audience: { tags: ['vip'] }, popupSec: 60 });
  const [vip, plain] = [await page('mp-vip', ['vip']), await page('mp-plain')];
  assert.equal(vip.coupon.data.shown, false);
  assert.equal((await node.api('POST', '/v1/rooms/mpc/coupons/vip10/pop')).status, 200);
  await waitFor(() => vip.coupon.data.shown === true, 'the pop-up on the tagged page');
  assert.deepEqual([vip.coupon.data.value, vip.coupon.data.title, vip.coupon.data.label], ['¥10', '会员专享', '领取']);
  assert.ok(vip.coupon.data.seconds > 0 && vip.coupon.data.seconds <= 60);
  assert.ok(vip.coupon.querySelector('.rc-claim'), 'rendered');
  vip.coupon.querySelector('.rc-claim').dispatchEvent('tap');
  await simulate.sleep(0);
  await waitFor(() => vip.coupon.data.status === 'claimed' && vip.coupon.data.label === '已领取', 'claimed');
  // The other page heard nothing: its pop-up never appears.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(plain.coupon.data.shown, false);
  assert.equal(plain.coupon.querySelector('.rc-claim'), undefined);
  for (const p of [vip, plain]) p.detach();
});

test('a group fills live on two pages: one opens it, the other joins from the shared id, and both see it formed', async () => {
  await node.api('POST', '/v1/rooms/mpc/group-buys', { id: 'pair', product: { id: 'p', title: '茶具', price: 19900 }, price: 9900, size: 2 });
  const pageOf = async (sub: string, group = '') => {
    const room = simulate.render(component('rc-room'), { url: `${node.wsUrl}/v1/ws`, token: await node.token({ sub }), room: 'mpc', scope: sub });
    mount(room);
    const buy = simulate.render(component('rc-group-buy'), { room: 'mpc', campaign: 'pair', group, scope: sub });
    mount(buy);
    await waitFor(() => buy.data.action !== '', `${sub}'s page is ready`);
    return { room, buy, detach: () => [buy, room].forEach((c) => c.detach()) };
  };
  const leader = await pageOf('mp-leader');
  assert.equal(leader.buy.data.action, '发起拼团');
  leader.buy.querySelector('.rc-act').dispatchEvent('tap');
  await simulate.sleep(0);
  await waitFor(() => leader.buy.data.id !== '', 'the group opened');
  assert.equal(leader.buy.data.seats, '1/2 人团');
  assert.equal(leader.buy.querySelector('.rc-share').dom.getAttribute('data-group'), leader.buy.data.id, 'the share button carries the group id');

  const friend = await pageOf('mp-friend', leader.buy.data.id);
  assert.equal(friend.buy.data.action, '参与拼团');
  friend.buy.querySelector('.rc-act').dispatchEvent('tap');
  await simulate.sleep(0);
  for (const p of [leader, friend]) await waitFor(() => p.buy.data.seats === '2/2 人团' && p.buy.data.status === 'formed', 'formed on both pages');
  for (const p of [leader, friend]) p.detach();
});
