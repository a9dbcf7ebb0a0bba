/**
 * The widget in real headless Chromium (Debian's package, driven by playwright-core): the host
 * console and two phone-sized viewer pages side by side, against a Roomcast node on Redis that is
 * restarted mid-session. Screenshots of every step go to test-artifacts/widget/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FakeMall } from '../../load/fake-mall/mall.ts';
import { deletePrefix, startTestNode, uniquePrefix, type TestNode } from '../../server/testing/node.ts';
import { freePort } from '../../server/testing/redis-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../test-artifacts/widget/', import.meta.url).pathname;
const prefix = uniquePrefix();
let ports: { port: number; httpPort: number };
let node: TestNode;
let browser: Browser;
let host: Page;
let vip: Page;
let plain: Page;

let mall: FakeMall;
const start = () => startTestNode({ engine: 'redis', prefix, config: { ...ports, demo: true, mall: { url: mall.url } } });
const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
const button = (page: Page) => page.locator('rc-flash-sale button');
const phase = (page: Page, expected: string) => assert.doesNotReject(button(page).and(page.locator(`[data-phase="${expected}"]`)).waitFor({ timeout: 10_000 }), `phase ${expected}`);

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does`);
  mkdirSync(ARTIFACTS, { recursive: true });
  ports = { port: await freePort(), httpPort: await freePort() };
  mall = await FakeMall.start({ secret: 'dev-mall-secret' });
  node = await start();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const phone = { viewport: { width: 375, height: 760 } };
  host = await browser.newPage({ viewport: { width: 900, height: 800 } });
  await host.goto(`${node.baseUrl}/demo/host.html?room=ui`);
  await host.locator('#status').filter({ hasText: 'last:' }).waitFor();
  vip = await (await browser.newContext(phone)).newPage();
  plain = await (await browser.newContext(phone)).newPage();
  for (const [page, query] of [[vip, 'sub=vip1&tags=vip'], [plain, 'sub=plain1']] as const) {
    await page.goto(`${node.baseUrl}/demo/?room=ui&${query}`);
    await page.locator('rc-room[data-state="open"]').waitFor();
    await page.evaluate(() => ((globalThis as unknown as { loadedOnce: boolean }).loadedOnce = true));
  }
});

after(async () => {
  await browser?.close();
  await node?.close();
  await mall?.close();
  await deletePrefix(prefix);
});

test('the host starts a flash sale and the viewer\'s button goes live', async () => {
  await host.fill('#stock', '1');
  await host.click('#create-sale');
  await phase(vip, 'soon');
  assert.equal(await button(vip).isDisabled(), true);
  await host.click('#start-sale');
  await phase(vip, 'idle');
  assert.equal(await button(vip).textContent(), '立即抢购');
  await shot(vip, '1-sale-live');
});

test('the viewer buys and sees "bought", then its order reaches the mall; the stock runs out and the other viewer sees sold out', async () => {
  await button(vip).click();
  await phase(vip, 'bought');
  await vip.locator('rc-flash-sale .order[data-state="submitted"]').waitFor({ timeout: 10_000 });
  assert.match((await vip.locator('rc-flash-sale .order').textContent()) ?? '', /\/pages\/pay/);
  assert.equal(mall.orders.size, 1);
  await phase(plain, 'soldOut');
  await vip.locator('rc-flash-sale .left').filter({ hasText: /\b0$/ }).waitFor({ timeout: 5000 });
  assert.equal(await vip.locator('rc-flash-sale [role="progressbar"]').getAttribute('aria-valuenow'), '0');
  await shot(vip, '2-bought');
  await shot(plain, '3-sold-out');
});

test('a coupon pops up for the tagged viewer and not for the untagged one', async () => {
  await host.fill('#coupon-tags', 'vip');
  await host.click('#pop-coupon');
  await vip.locator('rc-coupon-popup [role="dialog"]').waitFor({ timeout: 10_000 });
  await vip.locator('rc-coupon-popup button').click();
  await vip.locator('rc-coupon-popup button[data-status="claimed"]').waitFor();
  await shot(vip, '4-coupon');
  // The pop-up reached the vip page; a tick later the other page still has none.
  await plain.waitForTimeout(500);
  assert.equal(await plain.locator('rc-coupon-popup [role="dialog"]').count(), 0);
});

test('the server restarts mid-session: the pages reconnect and resume without a reload', async () => {
  await node.close();
  await vip.locator('rc-room[data-state="reconnecting"]').waitFor({ timeout: 10_000 });
  await shot(vip, '5-reconnecting');
  node = await start();
  for (const page of [vip, plain]) await page.locator('rc-room[data-state="open"]').waitFor({ timeout: 20_000 });
  await vip.locator('rc-likes button').click();
  await plain.locator('rc-likes .likes').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
  for (const page of [vip, plain]) assert.equal(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce), true, 'no reload');
  await phase(vip, 'bought');
  await shot(plain, '6-resumed');
});

test('npm run build:widget writes an IIFE bundle that a <script> tag loads as window.Roomcast, and an ESM one', async () => {
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'client-widget/build.ts'], { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stdout, /roomcast\.iife\.js: .* KB gzipped/);
  const page = await browser.newPage();
  await page.setContent('<!doctype html><rc-online></rc-online>');
  await page.addScriptTag({ content: readFileSync(new URL('../dist/roomcast.iife.js', import.meta.url), 'utf8') });
  const loaded = await page.evaluate(() => {
    const g = globalThis as unknown as { Roomcast?: Record<string, unknown>; customElements: { get(name: string): unknown } };
    return { client: typeof g.Roomcast?.RoomcastClient, room: typeof g.customElements.get('rc-room'), sale: typeof g.customElements.get('rc-flash-sale') };
  });
  assert.deepEqual(loaded, { client: 'function', room: 'function', sale: 'function' });
  assert.ok(existsSync(new URL('../dist/roomcast.mjs', import.meta.url)));
  await page.close();
});
