/**
 * The example mini-program (client-widget/examples/miniprogram) as WeChat DevTools would open it,
 * with the SDK and components copied into its roomcast/ folder as `npm run build:widget` does: its
 * app.json pages and every component they use exist, its WXML compiles with WeChat's own compiler,
 * and its live page, rendered by miniprogram-simulate against a real node with the demo on, gets a
 * token from /demo/session, joins, and follows the host's flash sale; its share carries the group id.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { waitFor } from '../../server/testing/clients.ts';
import { startTestNode, type TestNode } from '../../server/testing/node.ts';
import { freePort } from '../../server/testing/redis-server.ts';
import { simulator, type Simulator } from './miniprogram-simulate.ts';

let node: TestNode;
let sim: Simulator;
const ROOM = 'mp-example';

before(async () => {
  sim = await simulator({ example: true });
  node = await startTestNode({ engine: 'memory', config: { port: await freePort(), httpPort: await freePort(), demo: true } });
  // What a developer does: point config.js at their server.
  writeFileSync(join(sim.root, 'config.js'), readFileSync(join(sim.root, 'config.js'), 'utf8').replace('http://127.0.0.1:8080', node.baseUrl));
  await node.api('POST', '/v1/rooms', { id: ROOM, title: '新品首发' });
  await node.api('POST', `/v1/rooms/${ROOM}/start`);
  await node.api('POST', `/v1/rooms/${ROOM}/flash-sales`, { id: 'flash', product: { id: 'p', title: '茶具', price: 19900 }, price: 9900, stock: 3 });
  await node.api('POST', `/v1/rooms/${ROOM}/group-buys`, { id: 'pots', product: { id: 'p', title: '茶具', price: 19900 }, price: 9900, size: 2 });
});
after(async () => {
  sim.close();
  await node.close();
});

const json = (path: string) => JSON.parse(readFileSync(join(sim.root, path), 'utf8')) as Record<string, any>;

test('the example is a whole project: every page of app.json, every component a page uses, four files each', () => {
  assert.equal(json('project.config.json').compileType, 'miniprogram');
  const pages = json('app.json').pages as string[];
  assert.deepEqual(pages, ['pages/live/index', 'pages/group/index']);
  for (const page of pages) {
    for (const ext of ['js', 'json', 'wxml', 'wxss']) assert.ok(existsSync(join(sim.root, `${page}.${ext}`)), `${page}.${ext}`);
    for (const [tag, path] of Object.entries(json(`${page}.json`).usingComponents as Record<string, string>)) {
      for (const ext of ['js', 'json', 'wxml', 'wxss']) assert.ok(existsSync(join(sim.root, `${path}.${ext}`)), `${page} uses ${tag}: ${path}.${ext}`);
      assert.match(readFileSync(join(sim.root, `${page}.wxml`), 'utf8'), new RegExp(`<${tag}\\b`), `${page} renders ${tag}`);
    }
  }
});

test('the live page: a token from /demo/session, the room joined, the sale live when the host starts it, a buy, and a share that carries the group', async () => {
  const page = sim.renderPath('pages/live/index');
  await page.instance.onLoad({ room: ROOM, sub: 'mp-example-viewer' });
  assert.equal(page.data.error, '');
  assert.match(page.data.token, /^ey/);
  const sale = page.querySelector('#sale');
  await waitFor(() => sale?.data.title === '茶具', 'the sale on the page');
  assert.equal(sale.data.phase, 'soon');
  await node.api('POST', `/v1/rooms/${ROOM}/flash-sales/flash/start`);
  await waitFor(() => sale.data.phase === 'idle', 'the button goes live');
  await sim.tap(sale.querySelector('.rc-buy'));
  await waitFor(() => sale.data.phase === 'bought' && sale.data.left === 2, 'bought, the stock down');

  const group = page.querySelector('#group');
  await sim.tap(group.querySelector('.rc-act'));
  await waitFor(() => group.data.id !== '', 'a group opened');
  const shared = page.instance.onShareAppMessage({ from: 'button', target: { dataset: { group: group.data.id } } });
  assert.equal(shared.path, `/pages/live/index?room=${ROOM}&sale=flash&campaign=pots&assist=friends&group=${group.data.id}`);
  page.detach();
});

test('the group page joins the group room with a token naming the group', async () => {
  const page = sim.renderPath('pages/group/index');
  await page.instance.onLoad({ chat: 'wrExample', sub: 'mp-example-member' });
  const room = page.querySelector('#room');
  await waitFor(() => room?.data.state === 'open', 'joined group:wrExample');
  await node.api('POST', '/v1/groups/wrExample/games', { kind: 'checkin', id: 'daily' });
  const checkin = page.querySelector('#checkin');
  await waitFor(() => checkin.data.id === 'daily', 'the check-in shows');
  page.detach();
});
