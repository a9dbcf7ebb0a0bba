/**
 * The mini-program components under miniprogram-simulate (the official custom-component test tool,
 * on jsdom), with the built SDK beside them as in a mini-program, a fake `wx.connectSocket` over a
 * real socket, and a real node: the host starts a sale and two buyers' pages follow it live.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor } from '../../server/testing/clients.ts';
import { startTestNode, type TestNode } from '../../server/testing/node.ts';
import { simulator, type Simulator } from './miniprogram-simulate.ts';

let node: TestNode;
let sim: Simulator;

before(async () => {
  sim = await simulator();
  node = await startTestNode({ engine: 'memory' });
  await node.api('POST', '/v1/rooms', { id: 'mpc', title: 'mpc' });
  await node.api('POST', '/v1/rooms/mpc/start');
  await node.api('POST', '/v1/rooms/mpc/flash-sales', { id: 'last', product: { id: 'p', title: '茶具', price: 19900 }, price: 9900, stock: 2, perUserLimit: 1 });
});
after(async () => {
  sim.close();
  await node.close();
});

/** A viewer's page: rc-room with rc-flash-sale and rc-coupon-popup, attached, the room joined. */
async function page(sub: string, tags: string[] = []) {
  const room = sim.render('rc-room', { url: `${node.wsUrl}/v1/ws`, token: await node.token({ sub, tags }), room: 'mpc', scope: sub });
  const sale = sim.render('rc-flash-sale', { room: 'mpc', sale: 'last', scope: sub });
  const coupon = sim.render('rc-coupon-popup', { room: 'mpc', scope: sub });
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

  await sim.tap(a.button());
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
  await sim.tap(vip.coupon.querySelector('.rc-claim'));
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
    const room = sim.render('rc-room', { url: `${node.wsUrl}/v1/ws`, token: await node.token({ sub }), room: 'mpc', scope: sub });
    const buy = sim.render('rc-group-buy', { room: 'mpc', campaign: 'pair', group, scope: sub });
    await waitFor(() => buy.data.action !== '', `${sub}'s page is ready`);
    return { room, buy, detach: () => [buy, room].forEach((c) => c.detach()) };
  };
  const leader = await pageOf('mp-leader');
  assert.equal(leader.buy.data.action, '发起拼团');
  await sim.tap(leader.buy.querySelector('.rc-act'));
  await waitFor(() => leader.buy.data.id !== '', 'the group opened');
  assert.equal(leader.buy.data.seats, '1/2 人团');
  assert.equal(leader.buy.querySelector('.rc-share').dom.getAttribute('data-group'), leader.buy.data.id, 'the share button carries the group id');

  const friend = await pageOf('mp-friend', leader.buy.data.id);
  assert.equal(friend.buy.data.action, '参与拼团');
  await sim.tap(friend.buy.querySelector('.rc-act'));
  for (const p of [leader, friend]) await waitFor(() => p.buy.data.seats === '2/2 人团' && p.buy.data.status === 'formed', 'formed on both pages');
  for (const p of [leader, friend]) p.detach();
});
