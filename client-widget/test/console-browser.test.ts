/**
 * The host console (/console/) in real headless Chromium against a node on Redis: a host signs in
 * with a host token (no API key in the page), goes live, lists a flash sale and watches its stock
 * fall as two viewer pages buy, pops a coupon, mutes a spamming viewer from the comment stream (whose
 * next comment is refused), and finds its own actions in the audit trail. On a laptop and on a phone.
 * A group manager signs in with a manager token, opens a lucky draw and a red packet, draws and ends them, and sees
 * each prize handed out by the brand's backend (a fake speaking the real wire format): fulfilled,
 * failed with the brand's reason, and the unclaimed money refunded. Screenshots of every step go to
 * test-artifacts/console/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FakeBrand } from '../../load/fake-brand/brand.ts';
import type { Game } from '../../server/protocol/games.ts';
import { deletePrefix, names, startTestNode, uniquePrefix, type TestNode } from '../../server/testing/node.ts';
import { freePort } from '../../server/testing/redis-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../test-artifacts/console/', import.meta.url).pathname;
const ROOM = 'console-live';
const CHAT = 'wrConsoleTeaLovers';
/** A second group of the same manager, with twenty games going at once. */
const BUSY_CHAT = 'wrConsoleBusyGroup';
const FULFIL_SECRET = 'console-fulfil-secret';
const WAIT = 15_000;
const prefix = uniquePrefix();
let node: TestNode;
let brand: FakeBrand;
let browser: Browser;
let consolePage: Page;
const errors: string[] = [];

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
const seen = (page: Page, selector: string) => page.locator(selector).first().waitFor({ timeout: WAIT });

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does`);
  mkdirSync(ARTIFACTS, { recursive: true });
  brand = await FakeBrand.start({ secret: FULFIL_SECRET });
  node = await startTestNode({
    engine: 'redis',
    prefix,
    config: {
      port: await freePort(), httpPort: await freePort(), demo: true, console: true, realtime: { rateLimit: { commentsPerSec: 50, commentsBurst: 50 } },
      fulfil: { url: brand.fulfilUrl, secret: FULFIL_SECRET }, participation: { everyMs: 50, retryBaseMs: 50, retryMaxMs: 200 },
    },
  });
  await node.api('POST', '/v1/rooms', { id: ROOM, title: '秋季新品首发' });
  await node.api('POST', `/v1/rooms/${ROOM}/flash-sales`, { id: 'flash', product: { id: 'tea', title: '明前龙井 250g', price: 29900 }, price: 9900, stock: 4 });
  await node.api('POST', `/v1/rooms/${ROOM}/flash-sales`, { id: 'cups', product: { id: 'cups', title: '青瓷茶杯套装', price: 15900 }, price: 5900, stock: 50 });
  await node.api('POST', `/v1/rooms/${ROOM}/coupons`, { id: 'c20', title: '满199减20', value: 2000, minSpend: 19900, quantity: 100 });
  await node.api('POST', `/v1/rooms/${ROOM}/group-buys`, { id: 'pots', product: { id: 'pot', title: '紫砂壶', price: 39900 }, price: 25900, size: 3 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  consolePage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  consolePage.on('pageerror', (err) => errors.push(`console: ${err.message}`));
});

after(async () => {
  await browser?.close();
  await node?.close();
  await brand?.close();
  await deletePrefix(prefix);
});

test('the page holds no secret; a viewer token, or none, is refused', async () => {
  const html = await (await fetch(`${node.baseUrl}/console/`)).text();
  assert.ok(!html.includes(node.apiKey), 'no API key in the page');
  const res = await fetch(`${node.baseUrl}/console/`);
  assert.match(res.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  await consolePage.goto(`${node.baseUrl}/console/`);
  await seen(consolePage, '#sign-in');
  await consolePage.fill('#sign-in textarea', await node.token({ sub: 'fan', role: 'viewer' }));
  await consolePage.click('#sign-in button');
  await consolePage.locator('#sign-in .error').waitFor({ timeout: WAIT });
  await shot(consolePage, '0-sign-in-refused');
});

test('a host signs in, goes live, lists the sale and watches the stock fall as two viewers buy', async () => {
  const token = await node.token({ sub: 'host-wang', name: '王主播', role: 'host', rooms: [ROOM] });
  await consolePage.goto(`${node.baseUrl}/console/?room=${ROOM}#token=${token}`);
  await seen(consolePage, '[data-status="created"]');
  assert.ok(!consolePage.url().includes('token='), 'the token leaves the address bar');
  await seen(consolePage, '[data-stat="online"]');
  await shot(consolePage, '1-signed-in');

  await consolePage.click('button[data-action="room.start"]');
  await seen(consolePage, '.badge[data-status="live"]');
  await consolePage.click('li[data-sale="flash"] button[data-action="flash.start"]');
  await seen(consolePage, 'li[data-sale="flash"][data-status="live"]');
  await shot(consolePage, '2-live-and-listed');

  const viewers: Page[] = [];
  for (const sub of ['buyer-li', 'buyer-zhao']) {
    const page = await (await browser.newContext({ viewport: { width: 375, height: 760 } })).newPage();
    page.on('pageerror', (err) => errors.push(`${sub}: ${err.message}`));
    await page.goto(`${node.baseUrl}/demo/?room=${ROOM}&sub=${sub}&sales=flash`);
    await page.locator('rc-flash-sale button[data-phase="idle"]').waitFor({ timeout: WAIT });
    viewers.push(page);
  }
  for (const [i, page] of viewers.entries()) {
    await page.click('rc-flash-sale button');
    await page.locator('rc-flash-sale button[data-phase="bought"]').waitFor({ timeout: WAIT });
    await consolePage.locator(`li[data-sale="flash"] .left:text-is("${3 - i}")`).waitFor({ timeout: WAIT });
  }
  await consolePage.locator('[data-stat="orders"] small:has-text("2")').waitFor({ timeout: WAIT });
  await shot(viewers[0]!, '3-viewer-bought');
  await shot(consolePage, '3-stock-falls');
  for (const page of viewers) await page.context().close();
});

test('a coupon popped from the console; a spammer muted from the comment stream is refused next time; the audit trail shows it all', async () => {
  await consolePage.click('li[data-coupon="c20"] button[data-action="coupon.pop"]');
  await seen(consolePage, 'li[data-coupon="c20"] .tag');

  const [spammer] = await node.viewers('ws', ROOM, ['spammer'], { name: '刷屏小号' });
  const [fan] = await node.viewers('ws', ROOM, ['fan'], { name: '茶友小林' });
  assert.equal((await fan!.request('comment', { room: ROOM, text: '龙井是今年的新茶吗？' })).ok, true);
  assert.equal((await spammer!.request('comment', { room: ROOM, text: '低价代购 看主页' })).ok, true);
  const line = consolePage.locator('li.comment', { hasText: '低价代购' });
  await line.waitFor({ timeout: WAIT });
  await shot(consolePage, '4-comments');
  await line.locator('button[data-action="mute"]').click();
  await consolePage.locator('li.comment.muted', { hasText: '低价代购' }).waitFor({ timeout: WAIT });
  const refused = await spammer!.request('comment', { room: ROOM, text: '再发一次' });
  assert.equal(!refused.ok && refused.error.code, 'muted', "the spammer's next comment is refused");

  const fanLine = consolePage.locator('li.comment', { hasText: '新茶' });
  await fanLine.locator('button[data-action="comment.remove"]').click();
  await consolePage.locator('li.comment.removed', { hasText: '新茶' }).waitFor({ timeout: WAIT });

  for (const action of ['comment.remove', 'mute', 'coupon.pop', 'flash.start', 'room.start']) {
    await consolePage.locator(`#audit .action[data-action-name="${action}"]`).first().waitFor({ timeout: WAIT });
  }
  const actors = await consolePage.locator('#audit li', { has: consolePage.locator('[data-action-name="mute"]') }).first().textContent();
  assert.match(actors!, /王主播/, 'the host is named in its own entries');
  await shot(consolePage, '5-audit');

  // The same console on a phone.
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })).newPage();
  await phone.goto(`${node.baseUrl}/console/?room=${ROOM}#token=${await node.token({ sub: 'host-wang', name: '王主播', role: 'host', rooms: [ROOM] })}`);
  await seen(phone, '.badge[data-status="live"]');
  await seen(phone, '#audit .action');
  // A console opened later knows whom the host muted: the server lists it.
  await seen(phone, 'li.restricted[data-restriction="unmute"]:has-text("刷屏小号")');
  await seen(phone, 'li.comment.muted:has-text("低价代购")');
  const width = await phone.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
  await shot(phone, '6-phone');
  await phone.context().close();

  // The host lifts the mute from the list: the viewer may comment again.
  await consolePage.click('li.restricted[data-restriction="unmute"] button[data-action="unmute"]');
  await consolePage.locator('li.restricted').waitFor({ state: 'detached', timeout: WAIT });
  assert.equal((await spammer!.request('comment', { room: ROOM, text: '我错了' })).ok, true, 'unmuted');
  assert.deepEqual(errors, []);
});

test("a group manager opens a draw and a red packet, draws and ends them, and sees each prize handed out, failed with the brand's reason, and the refund", async () => {
  const room = `group:${CHAT}`;
  const members = await node.viewers('ws', room, names('tea-member-', 5), { chats: [CHAT] });
  brand.outOfStock.add('茶杯');
  const manager = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  manager.on('pageerror', (err) => errors.push(`manager: ${err.message}`));
  const managerToken = await node.token({ sub: 'mgr-chen', name: '陈店长', role: 'manager', chats: [CHAT, BUSY_CHAT] });
  await manager.goto(`${node.baseUrl}/console/?chat=${CHAT}#token=${managerToken}`);
  const games = async () => ((await node.api('GET', `/v1/groups/${CHAT}/games`)).body as { games: Game[] }).games;

  // Opened from the console's forms: a draw, a red packet the server refuses (5 shares cannot split 3 fen), then one it takes.
  const draw = manager.locator('form[data-kind="draw"]');
  await draw.locator('[name="prizes"]').fill('茶具*1\n茶杯*2\n相框5×7*1');
  await draw.locator('button').click();
  await seen(manager, 'li.game[data-status="open"]');
  const packet = manager.locator('form[data-kind="red-packet"]');
  await packet.locator('[name="total"]').fill('0.03');
  await packet.locator('[name="count"]').fill('5');
  await packet.locator('button').click();
  await manager.locator('#toast.error', { hasText: 'bad_request' }).waitFor({ timeout: WAIT });
  assert.equal((await games()).length, 1, 'nothing written for the refused red packet');
  await packet.locator('[name="total"]').fill('8.88');
  await packet.locator('button').click();
  await manager.locator('li.game').nth(1).waitFor({ timeout: WAIT });
  const opened = await games();
  const bag = opened.find((g) => g.kind === 'draw')!;
  const rp = opened.find((g) => g.kind === 'red-packet')!;
  assert.deepEqual([bag.title, rp.title, rp.kind === 'red-packet' && rp.total], ['福袋', '恭喜发财', 888]);
  assert.deepEqual(bag.kind === 'draw' && bag.prizes, [{ name: '茶具', count: 1 }, { name: '茶杯', count: 2 }, { name: '相框5×7', count: 1 }], 'a name may hold × and digits');

  assert.ok((await Promise.all(members.map((m) => m.request('draw.enter', { room, game: bag.id })))).every((r) => r.ok));
  const grabs = await Promise.all(members.slice(0, 3).map((m) => m.request('redpacket.grab', { room, game: rp.id })));
  const grabbed = grabs.reduce((sum, g) => sum + (g.ok ? (g.data as { grab: { amount: number } }).grab.amount : 0), 0);

  await manager.click(`li[data-game="${bag.id}"] button[data-action="game.draw"]`);
  await manager.locator(`li[data-game="${bag.id}"] tr[data-prize-status="failed"]`).nth(1).waitFor({ timeout: WAIT });
  await manager.locator(`li[data-game="${bag.id}"] tr[data-prize-status="fulfilled"]`).nth(1).waitFor({ timeout: WAIT });
  assert.equal(await manager.locator(`li[data-game="${bag.id}"] tr[data-prize-status]`).count(), 4, 'a row per prize');
  assert.deepEqual(await manager.locator(`li[data-game="${bag.id}"] tr[data-prize-status="failed"] .reason`).allTextContents(), ['茶杯: out of stock', '茶杯: out of stock']);

  await manager.click(`li[data-game="${rp.id}"] button[data-action="game.end"]`);
  await seen(manager, `li[data-game="${rp.id}"] .refund[data-refund-status="fulfilled"]`);
  await manager.locator(`li[data-game="${rp.id}"] tr[data-prize-status="fulfilled"]`).nth(2).waitFor({ timeout: WAIT });
  assert.equal(await manager.locator(`li[data-game="${rp.id}"] tr[data-prize-status]`).count(), 3, 'a row per grab');
  const fen = (text: string | null) => Math.round(Number(text!.replace(/[¥,\s]/g, '')) * 100);
  const [shownGrabbed, shownTotal] = (await manager.locator(`li[data-game="${rp.id}"] .meta`).textContent())!.split('·')[0]!.split('/').map(fen);
  assert.deepEqual([shownGrabbed, shownTotal], [grabbed, 888], 'what was grabbed, of the total');
  assert.equal(fen(await manager.locator(`li[data-game="${rp.id}"] .refund b`).textContent()), 888 - grabbed, 'the refund is what nobody grabbed');
  // What the brand was sent matches what the page shows: one job per prize, each once.
  const jobs = [...brand.jobs.values()].filter((j) => j.job.chat === CHAT);
  assert.deepEqual(jobs.map((j) => j.job.kind).sort(), ['prize', 'prize', 'prize', 'prize', 'red-packet', 'red-packet', 'red-packet', 'refund']);
  assert.ok(jobs.every((j) => j.times === 1));
  // Members are named by their opaque ids in the group, never by who they are.
  assert.ok(!(await manager.content()).includes('tea-member-'), 'no user id in the page');
  await shot(manager, '7-manager-prizes');
  // The same page on a phone.
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })).newPage();
  await phone.goto(`${node.baseUrl}/console/?chat=${CHAT}#token=${managerToken}`);
  await seen(phone, `li[data-game="${rp.id}"] .refund`);
  const width = await phone.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
  await shot(phone, '8-manager-phone');
  await phone.context().close();

  // The manager's other group, twenty red packets going at once: ending one is answered as done, and the page keeps up.
  for (let i = 0; i < 20; i++) assert.equal((await node.api('POST', `/v1/groups/${BUSY_CHAT}/games`, { kind: 'red-packet', id: `rp${i}`, total: 200, count: 2 })).status, 201);
  await manager.selectOption('#picker', BUSY_CHAT);
  await manager.locator('li.game').nth(19).waitFor({ timeout: WAIT });
  // Every toast the page shows from here on, to find a false failure.
  await manager.evaluate(`(() => {
    const toasts = (globalThis.toasts = []);
    new MutationObserver(() => { const t = document.getElementById('toast'); if (t && t.className.includes('show')) toasts.push(t.className + ': ' + t.textContent); })
      .observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
  })()`);
  await manager.click('li[data-game="rp7"] button[data-action="game.end"]');
  await seen(manager, 'li[data-game="rp7"][data-status="ended"]');
  await manager.locator('li[data-game="rp7"] .refund[data-refund-status="fulfilled"]').waitFor({ timeout: WAIT });

  // Signed out and in again in the same tab: the page of before is gone, its buttons and timers with it.
  await manager.click('#sign-out');
  await seen(manager, '#sign-in');
  await manager.fill('#sign-in textarea', managerToken);
  await manager.click('#sign-in button');
  await manager.locator('li.game').nth(19).waitFor({ timeout: WAIT });
  await manager.locator('form[data-kind="checkin"] button').click();
  await seen(manager, 'li.game .tag:text-is("签到")');
  await seen(manager, '#toast.show:has-text("✓")');
  const toasts = (await manager.evaluate('globalThis.toasts')) as string[];
  assert.ok(toasts.some((text) => text.endsWith('✓ 结束')), 'ending a red packet among twenty live ones was answered as done');
  assert.deepEqual(toasts.filter((text) => text.includes('error')), [], 'no false failure');
  const busy = ((await node.api('GET', `/v1/groups/${BUSY_CHAT}/games`)).body as { games: Game[] }).games;
  assert.deepEqual([busy.length, busy.filter((g) => g.kind === 'checkin').length], [21, 1], 'one check-in, in the group on screen');

  // A manager token for no group is refused.
  await manager.goto(`${node.baseUrl}/console/#token=${await node.token({ sub: 'mgr-none', role: 'manager' })}`);
  await manager.locator('#sign-in .error').waitFor({ timeout: WAIT });
  await manager.close();
  assert.deepEqual(errors, []);
});
