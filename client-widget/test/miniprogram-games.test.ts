/**
 * The group-page mini-program components under miniprogram-simulate against a real node: two
 * members' pages in a WeCom group's room follow a check-in, a lucky draw and a red packet the
 * manager opens, tap each, and see the outcome: counts live, the one winner told and the draw
 * verified on the phone (no Web Crypto there), the packet's grabs summing to its total.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor } from '../../server/testing/clients.ts';
import { startTestNode, type TestNode } from '../../server/testing/node.ts';
import { simulator, type Rendered, type Simulator } from './miniprogram-simulate.ts';

const CHAT = 'wrMpGames';
const ROOM = `group:${CHAT}`;
let node: TestNode;
let sim: Simulator;

before(async () => {
  sim = await simulator();
  node = await startTestNode({ engine: 'memory' });
});
after(async () => {
  sim.close();
  await node.close();
});

/** A member's group page; `games` names each component's game, as a page opened from a share does. */
async function member(sub: string, chats = [CHAT], games: string[] = []) {
  const host = sim.render('rc-room', { url: `${node.wsUrl}/v1/ws`, token: await node.token({ sub, name: sub, chats }), room: ROOM, scope: sub });
  const [checkin, draw, packet] = ['rc-checkin', 'rc-lucky-draw', 'rc-red-packet'].map((name, i) => sim.render(name, { room: ROOM, scope: sub, game: games[i] ?? '' })) as [Rendered, Rendered, Rendered];
  return { host, checkin, draw, packet, you: '' as string, detach: () => [checkin, draw, packet, host].forEach((c) => c.detach()) };
}

test('two members check in, enter the draw and grab the red packet; the winner is told and verifies the draw', async () => {
  const a = await member('mpg-a');
  await waitFor(() => a.host.data.state === 'open', 'a joined');
  const open = (game: Record<string, unknown>) => node.api('POST', `/v1/groups/${CHAT}/games`, game);
  assert.equal((await open({ kind: 'checkin', id: 'daily' })).status, 201);
  assert.equal((await open({ kind: 'draw', id: 'bag', prizes: [{ name: '茶具', count: 1 }], drawAt: Date.now() + 3_600_000 })).status, 201);
  assert.equal((await open({ kind: 'red-packet', id: 'rp', total: 888, count: 2 })).status, 201);
  // a's components follow game.opened; b's, opened later, find each newest open game by listing.
  await waitFor(() => a.checkin.data.id === 'daily' && a.draw.data.id === 'bag' && a.packet.data.id === 'rp', "a's page picks up the games live");
  const b = await member('mpg-b');
  await waitFor(() => b.checkin.data.id === 'daily' && b.draw.data.id === 'bag' && b.packet.data.id === 'rp', "b's page finds them by listing");
  assert.deepEqual([b.checkin.data.button.text, b.draw.data.button.text, b.packet.data.button.text], ['签到', '参与抽奖', '抢红包']);
  assert.equal(b.packet.data.leftLabel, '剩余 2/2 个红包');

  for (const p of [a, b]) await sim.tap(p.checkin.querySelector('.rc-act'));
  for (const p of [a, b]) await waitFor(() => p.checkin.data.count === '2 人今日已签到' && p.checkin.data.button.state === 'done', 'both checked in, the count live on both');
  assert.match(a.checkin.data.outcome.balance, /^积分余额 \d+$/);
  assert.equal(a.checkin.data.button.enabled, false, 'a done tap cannot be tapped again');

  for (const p of [a, b]) await sim.tap(p.draw.querySelector('.rc-act'));
  for (const p of [a, b]) await waitFor(() => p.draw.data.entries === '2 人参与' && p.draw.data.button.text === '已参与', 'both entered');
  assert.equal((await node.api('POST', `/v1/groups/${CHAT}/games/bag/draw`)).status, 200);
  for (const p of [a, b]) await waitFor(() => p.draw.data.drawn && p.draw.data.winners.length === 1, 'the result on both pages');
  const winners = [a, b].filter((p) => p.draw.data.won === '恭喜你抽中 茶具');
  assert.equal(winners.length, 1, 'exactly one page says it won');
  assert.equal(winners[0]!.draw.querySelectorAll('.rc-me').length, 1, 'and marks its own line');
  await sim.tap(winners[0]!.draw.querySelector('.rc-verify'));
  await waitFor(() => winners[0]!.draw.data.verify.state === 'ok' && winners[0]!.draw.data.verify.text === '已验证 ✓', 'verified on the phone');

  for (const p of [a, b]) await sim.tap(p.packet.querySelector('.rc-act'));
  for (const p of [a, b]) await waitFor(() => p.packet.data.amount !== '' && p.packet.data.button.state === 'done', 'both grabbed');
  const fen = (p: typeof a) => Math.round(Number(/¥([\d.]+)/.exec(p.packet.data.amount)![1]) * 100);
  assert.equal(fen(a) + fen(b), 888, 'the grabs sum to the total');
  await waitFor(() => a.packet.data.left === 0 && a.packet.data.leftLabel === '剩余 0/2 个红包', 'none left');

  // A late member, opening each game by name, finds the packet gone and the draw over without them.
  const late = await member('mpg-late', [CHAT], ['daily', 'bag', 'rp']);
  await waitFor(() => late.packet.data.id === 'rp' && late.draw.data.drawn, "the late member's page reads the games");
  assert.deepEqual([late.packet.data.button.state, late.packet.data.button.enabled], ['sold_out', false]);
  assert.equal(late.packet.data.button.text, '已抢光');
  assert.equal(late.draw.data.won, '', 'no win for someone who did not enter');
  for (const p of [a, b, late]) p.detach();
});

test('a stranger to the group is refused on rc-room, named in its banner', async () => {
  const stranger = await member('mpg-stranger', []);
  await waitFor(() => stranger.host.data.state === 'refused', 'refused');
  assert.equal(stranger.host.data.banner, '仅限本群成员参与');
  assert.equal(stranger.checkin.data.id, '', 'nothing inside shows');
  stranger.detach();
});
