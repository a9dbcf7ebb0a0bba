/**
 * In-group games in real headless Chromium against a node on Redis: the manager console opens a
 * check-in, a lucky draw and a red packet in a WeCom group. Two phone-sized member pages take part:
 * one open before the games (its components follow `game.opened`), one opened after with each game
 * named (its components read `game.get`). A member who comes late finds the red packet gone, and a
 * stranger to the group is refused. Screenshots of every step go to test-artifacts/widget/games-*.png.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { deletePrefix, startTestNode, uniquePrefix, type TestNode } from '../../server/testing/node.ts';
import { freePort } from '../../server/testing/redis-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../test-artifacts/widget/', import.meta.url).pathname;
const CHAT = 'wrGamesUi';
const ROOM = `group:${CHAT}`;
const TOTAL = 888;
/** Generous: these wait for things to happen, they do not time them. */
const WAIT = 15_000;
const prefix = uniquePrefix();
let node: TestNode;
let browser: Browser;
let manager: Page;
/** Open before any game, without game attributes. */
let early: Page;
/** Opened after the games, naming each. */
let named: Page;
const errors: string[] = [];

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}games-${name}.png`, fullPage: true });
const seen = (page: Page, selector: string) => page.locator(selector).waitFor({ timeout: WAIT });
const members = () => [early, named] as const;
const NAMED_GAMES = '&checkin=daily&draw=bag&packet=rp';

async function memberPage(sub: string, query = ''): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 375, height: 760 } })).newPage();
  page.on('pageerror', (err) => errors.push(`${sub}: ${err.message}`));
  await page.goto(`${node.baseUrl}/demo/group.html?chat=${CHAT}&sub=${sub}${query}`);
  return page;
}

/** `<rc-room>` has joined the group room and handed its client to the components. */
const joined = (page: Page) => page.waitForFunction(() => (globalThis as any).document.querySelector('rc-room')?.context !== undefined, undefined, { timeout: WAIT });

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does`);
  mkdirSync(ARTIFACTS, { recursive: true });
  node = await startTestNode({ engine: 'redis', prefix, config: { port: await freePort(), httpPort: await freePort(), demo: true } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  manager = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  manager.on('pageerror', (err) => errors.push(`manager: ${err.message}`));
  await manager.goto(`${node.baseUrl}/demo/manager.html?chat=${CHAT}&sub=mgr1`);
  await manager.locator('#log').filter({ hasText: `joined ${ROOM}` }).waitFor({ timeout: WAIT });
  early = await memberPage('m1');
  await joined(early);
});

after(async () => {
  await browser?.close();
  await node?.close();
  await deletePrefix(prefix);
});

test('the manager console opens a check-in, a lucky draw and a red packet; member pages pick them up live, by name, and by listing', async () => {
  await manager.click('#open-checkin');
  await manager.fill('#draw-prizes', '茶具*1');
  await manager.click('#open-draw');
  await manager.fill('#packet-total', String(TOTAL));
  await manager.fill('#packet-count', '2');
  await manager.click('#open-packet');
  for (const game of ['daily', 'bag', 'rp']) await seen(manager, `tr[data-game="${game}"] .status:text("open")`);

  named = await memberPage('m2', NAMED_GAMES);
  await joined(named);
  for (const page of members()) {
    await seen(page, 'rc-checkin .card[data-game="daily"][data-status="open"]');
    await seen(page, 'rc-lucky-draw .card[data-game="bag"][data-status="open"]');
    await seen(page, 'rc-red-packet .card[data-game="rp"] .left[data-left="2"]');
    assert.equal(await page.locator('rc-lucky-draw .prizes').textContent(), '茶具 ×1');
    assert.match((await page.locator('rc-lucky-draw .countdown').textContent()) ?? '', /^距开奖 \d+:\d\d$/);
    assert.equal(await page.locator('rc-red-packet button.act').textContent(), '抢红包');
  }
  await shot(manager, '1-manager-opened');
  await shot(early, '1-member-opened');

  // Opened after the games and naming none: the components find them with game.list.
  const late = await memberPage('m3');
  await seen(late, 'rc-checkin .card[data-game="daily"][data-status="open"]');
  await seen(late, 'rc-lucky-draw .card[data-game="bag"][data-status="open"]');
  await seen(late, 'rc-red-packet .card[data-game="rp"] .left[data-left="2"]');
  await late.context().close();
});

test('both members check in: today\'s count reaches 2 on both pages; after a reload, tapping again shows already done', async () => {
  for (const page of members()) {
    await page.locator('rc-checkin button.act').click();
    await seen(page, 'rc-checkin button.act[data-phase="done"]:disabled');
    assert.match((await page.locator('rc-checkin .outcome').textContent()) ?? '', /连续签到天数 1 ·\s+\+1 积分 · 积分余额 1/);
  }
  for (const page of members()) await seen(page, 'rc-checkin .count[data-count="2"]');
  await seen(manager, 'tr[data-game="daily"] .live:text("2 checked in")');
  const points = await early.evaluate((room) => (globalThis as any).document.querySelector('rc-room').client.points(room), ROOM);
  assert.equal(points.balance, 1);
  assert.deepEqual(points.ledger.map((l: { reason: string }) => l.reason), ['check-in day 1']);
  await shot(early, '2-checked-in');

  await named.reload();
  await seen(named, 'rc-checkin .count[data-count="2"]');
  await named.locator('rc-checkin button.act[data-phase="idle"]').click();
  await seen(named, 'rc-checkin button.act[data-phase="already_done"]:disabled');
  assert.equal(await named.locator('rc-checkin button.act').textContent(), '今天已签过');
  await shot(named, '2-already-checked-in');
});

test('both members enter the draw and see 2 entries live; the manager draws; both pages show the one winner and verify the draw', async () => {
  for (const page of members()) {
    await page.locator('rc-lucky-draw button.act').click();
    await seen(page, 'rc-lucky-draw button.act[data-phase="done"]:disabled');
  }
  for (const page of members()) await seen(page, 'rc-lucky-draw .entries[data-entries="2"]');
  await seen(manager, 'tr[data-game="bag"] .live:text("entries 2")');
  await shot(early, '3-entered');

  await manager.click('tr[data-game="bag"] button.draw');
  for (const page of members()) await seen(page, 'rc-lucky-draw .card[data-status="drawn"] .winners li');
  // The winner is named by their opaque id in the room, never their sub; their own page knows it is them.
  const winner = (await early.locator('rc-lucky-draw .winners li').getAttribute('data-user'))!;
  assert.match(winner, /^v[\w-]{16}$/);
  const won: number[] = [];
  for (const page of [early, named]) {
    assert.equal(await page.locator('rc-lucky-draw .winners li').count(), 1, 'one prize, one winner');
    assert.equal(await page.locator('rc-lucky-draw .winners li').getAttribute('data-user'), winner);
    won.push(await page.locator('rc-lucky-draw .won').count());
    assert.equal(await page.locator('rc-lucky-draw li.me').count(), won.at(-1));
  }
  assert.deepEqual(won.sort(), [0, 1], 'exactly one of the two pages says "you won"');
  await seen(manager, `tr[data-game="bag"] .live:text("winners: ${winner} (茶具)")`);
  await seen(manager, 'tr[data-game="bag"] button.draw:disabled');

  for (const page of members()) {
    await page.locator('rc-lucky-draw button.verify').click();
    await seen(page, 'rc-lucky-draw button.verify[data-verify="ok"]');
    assert.equal(await page.locator('rc-lucky-draw button.verify').textContent(), '已验证 ✓');
  }
  await shot(early, '3-drawn-verified');
  await shot(named, '3-drawn-verified-other');

  // The SDK's verifyDraw, as the page loads it, refuses a result that is not the one drawn.
  const refusals = await early.evaluate(async (room) => {
    const { verifyDraw } = await import('/demo/roomcast.mjs' as string);
    const client = (globalThis as any).document.querySelector('rc-room').client;
    const { game, entries } = await client.game(room, 'bag');
    const result = { seed: game.seed, commitment: game.commitment, entries, prizes: game.prizes, winners: game.winners };
    const other = entries.find((e: string) => e !== game.winners[0].user);
    return Promise.all([
      verifyDraw(result),
      verifyDraw({ ...result, winners: [{ user: other, prize: game.winners[0].prize }] }),
      verifyDraw({ ...result, seed: `${game.seed}0` }),
    ]);
  }, ROOM);
  assert.deepEqual(refusals, [{ ok: true }, { ok: false, reason: 'winners differ' }, { ok: false, reason: 'seed does not match the commitment' }]);
});

test('both members grab the red packet: each page shows its amount, the amounts add up to the total; a late member finds it gone', async () => {
  const amounts: number[] = [];
  for (const page of members()) {
    await page.locator('rc-red-packet button.act').click();
    await seen(page, 'rc-red-packet .amount');
    assert.match((await page.locator('rc-red-packet .amount').textContent()) ?? '', /^已抢到 ¥\d+\.\d\d$/);
    amounts.push(Number(await page.locator('rc-red-packet .amount').getAttribute('data-amount')));
    assert.equal(await page.locator('rc-red-packet button.act').getAttribute('data-phase'), 'done');
  }
  assert.ok(amounts.every((a) => a >= 1), amounts.join());
  assert.equal(amounts[0]! + amounts[1]!, TOTAL, 'two shares of a two-share packet are its total');
  for (const [i, page] of members().entries()) {
    // The second grab took the last share, which ends the packet: game.ended reaches both pages.
    await seen(page, 'rc-red-packet .card[data-status="ended"] .left[data-left="0"]');
    assert.equal(await page.locator('rc-red-packet .amount').textContent(), `已抢到 ¥${(amounts[i]! / 100).toFixed(2)}`);
  }
  await seen(manager, `tr[data-game="rp"] .live[data-sum="${TOTAL}"]`);
  await seen(manager, 'tr[data-game="rp"] .status:text("ended")');
  await shot(early, '4-grabbed');
  await shot(manager, '4-manager-grabs');

  const late = await memberPage('m3', NAMED_GAMES);
  await seen(late, 'rc-red-packet button.act[data-phase="sold_out"]:disabled');
  assert.equal(await late.locator('rc-red-packet button.act').textContent(), '已抢光');
  assert.equal(await late.locator('rc-red-packet .amount').count(), 0);
  await shot(late, '4-late-member-sold-out');
  await late.context().close();
});

test('a user who is not in the group cannot join its room: the page shows the forbidden state', async () => {
  const stranger = await memberPage('outsider', `${NAMED_GAMES}&chats=`);
  await seen(stranger, 'rc-room[data-error="forbidden"]');
  assert.equal(await stranger.locator('rc-room .banner').textContent(), '仅限本群成员参与');
  assert.equal(await stranger.locator('rc-checkin .card, rc-lucky-draw .card, rc-red-packet .card').count(), 0, 'no game shows');
  await shot(stranger, '5-stranger-forbidden');
  await stranger.context().close();
});

test('no page threw', () => {
  assert.deepEqual(errors, []);
});
