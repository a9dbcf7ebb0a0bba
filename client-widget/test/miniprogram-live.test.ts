/**
 * The live room's other mini-program components under miniprogram-simulate against a real node:
 * rc-assist (start, share, a friend helps from the shared code, progress live on the owner's page),
 * rc-online, rc-likes and rc-ticker across two pages, and one socket for a page's two rooms.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor } from '../../server/testing/clients.ts';
import { startTestNode, type TestNode } from '../../server/testing/node.ts';
import { simulator, type Rendered, type Simulator } from './miniprogram-simulate.ts';

let node: TestNode;
let sim: Simulator;

before(async () => {
  sim = await simulator();
  node = await startTestNode({ engine: 'memory' });
  for (const id of ['mpl', 'mpl-2']) {
    await node.api('POST', '/v1/rooms', { id, title: id });
    await node.api('POST', '/v1/rooms/' + id + '/start');
  }
  await node.api('POST', '/v1/rooms/mpl/assists', { id: 'friends', target: 2, reward: {} });
});
after(async () => {
  sim.close();
  await node.close();
});

/** A page of `sub` in room `room` with the named components inside rc-room; ready once joined. */
async function page(sub: string, components: Array<[string, Record<string, unknown>]>, room = 'mpl') {
  const host = sim.render('rc-room', { url: `${node.wsUrl}/v1/ws`, token: await node.token({ sub, name: sub }), room, scope: sub });
  const parts = components.map(([name, props]) => sim.render(name, { room, scope: sub, ...props }));
  await waitFor(() => host.data.state === 'open', `${sub}'s page joined`);
  return { host, parts, detach: () => [...parts, host].forEach((c: Rendered) => c.detach()) };
}

test('an assist: the owner starts it and shares its code; two friends help from the code; the owner sees the progress live to the target', async () => {
  const owner = await page('mp-owner', [['rc-assist', { campaign: 'friends' }]]);
  const [assist] = owner.parts as [Rendered];
  await waitFor(() => assist.data.action === '发起助力', 'the start button');
  await sim.tap(assist.querySelector('.rc-act'));
  await waitFor(() => assist.data.id !== '', 'started');
  assert.equal(assist.data.progress, '0/2 助力');
  const code = assist.data.shareCode as string;
  assert.equal(assist.querySelector('.rc-share').dom.getAttribute('data-code'), code, 'the share button carries the share code');

  for (const friend of ['mp-f1', 'mp-f2']) {
    const p = await page(friend, [['rc-assist', { campaign: 'friends', code }]]);
    const [help] = p.parts as [Rendered];
    await waitFor(() => help.data.action === '帮好友助力', 'the help button');
    await sim.tap(help.querySelector('.rc-act'));
    await waitFor(() => help.data.id === assist.data.id, `${friend} helped`);
    assert.equal(help.querySelector('.rc-share'), undefined, 'a helper has no share button of their own');
    p.detach();
  }
  await waitFor(() => assist.data.progress === '2/2 助力' && assist.data.status === 'completed', 'the owner sees it complete live');

  // Helping twice is refused with its code, shown on the page.
  const again = await page('mp-f1', [['rc-assist', { campaign: 'friends', code }]]);
  // Tapped once the page is ready (under load it may not be yet, and a tap before would do nothing).
  await waitFor(() => (again.parts[0] as Rendered).data.action === '帮好友助力', 'the help button again');
  await sim.tap((again.parts[0] as Rendered).querySelector('.rc-act'));
  await waitFor(() => (again.parts[0] as Rendered).data.error !== '', 'refused');
  for (const p of [again, owner]) p.detach();
});

test('online, likes and the ticker follow the room live on two pages', async () => {
  const parts: Array<[string, Record<string, unknown>]> = [['rc-online', {}], ['rc-likes', {}], ['rc-ticker', {}]];
  const a = await page('mp-a', parts);
  const b = await page('mp-b', parts);
  const [onlineB, likesB, tickerB] = b.parts as [Rendered, Rendered, Rendered];
  await waitFor(() => onlineB.data.online >= 2 && onlineB.data.label === '人在看', 'two watching');

  const likeA = (a.parts[1] as Rendered).querySelector('.rc-like');
  for (let i = 0; i < 3; i++) await sim.tap(likeA);
  await waitFor(() => likesB.data.likes === 3, 'three likes on the other page');
  assert.equal(likesB.querySelector('.rc-likes').dom.textContent, '3');

  const [viewer] = await node.viewers('ws', 'mpl', ['mp-c']);
  const said = await viewer!.request('comment', { room: 'mpl', text: '好看' });
  assert.equal(said.ok, true);
  await waitFor(() => tickerB.data.lines.some((l: { text: string }) => l.text === 'mp-c: 好看'), 'the comment in the ticker');
  assert.equal(tickerB.querySelectorAll('.rc-line').length, tickerB.data.lines.length);
  // A host removes it: it leaves the ticker.
  assert.equal((await node.api('POST', `/v1/rooms/mpl/comments/${(said as { data: { id: string } }).data.id}/remove`)).status, 200);
  await waitFor(() => !tickerB.data.lines.some((l: { text: string }) => l.text === 'mp-c: 好看'), 'the removed comment leaves the ticker');
  for (const p of [a, b]) p.detach();
});

test('a page in two rooms holds one socket; it closes when the last rc-room leaves', async () => {
  const before = sim.sockets.length;
  const live = await page('mp-two', [['rc-online', {}]], 'mpl');
  const other = await page('mp-two', [['rc-online', {}]], 'mpl-2');
  assert.equal(sim.sockets.length, before + 1, 'one wx.connectSocket for both rooms');
  await waitFor(() => (other.parts[0] as Rendered).data.online === 1, 'the second room counts its viewer');
  live.detach();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(sim.sockets.at(-1)!.readyState, 1, 'still open for the other room');
  other.detach();
  await waitFor(() => sim.sockets.at(-1)!.readyState === 3, 'closed with the last room');
});
