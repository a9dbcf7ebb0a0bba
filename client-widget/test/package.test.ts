/**
 * The package as a developer gets it: every `exports` entry of client-widget/package.json is built,
 * the mini-program file is CommonJS to Node too, and the types type-check a strict consumer.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildAll } from '../build.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roomcast-pkg-'));
  await buildAll(join(dir, 'dist'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('every exports entry is a built file, each bundle with its sourcemap', () => {
  const targets = Object.values(pkg.exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)));
  for (const target of targets) assert.ok(existsSync(join(dir, target)), target);
  for (const target of targets.filter((t) => /\.(m?js)$/.test(t))) assert.ok(existsSync(join(dir, `${target}.map`)), `${target}.map`);
  assert.match(readFileSync(join(dir, 'dist/THIRD-PARTY-NOTICES.txt'), 'utf8'), /include no third-party code|include the following packages/);
});

/** Gzipped size budgets per build (issue: SDK under 15 KB, SDK and components under 40 KB). */
const BUDGETS_KB: Record<string, number> = { 'roomcast-sdk.mjs': 15, 'miniprogram/roomcast-sdk.js': 15, 'roomcast.mjs': 40, 'roomcast.iife.js': 40 };

test('every bundle within its gzipped size budget', () => {
  for (const [out, kb] of Object.entries(BUDGETS_KB)) {
    const gz = gzipSync(readFileSync(join(dir, 'dist', out))).length / 1024;
    assert.ok(gz < kb, `${out}: ${gz.toFixed(1)} KB gzipped, budget ${kb} KB`);
  }
});

test('the mini-program SDK and its components, as a mini-program ships them, within 40 KB gzipped', () => {
  const root = join(dir, 'dist/miniprogram');
  const files = [join(root, 'roomcast-sdk.js'), ...readdirSync(join(root, 'components'), { recursive: true, encoding: 'utf8' }).map((f) => join(root, 'components', f)).filter((f) => /\.(js|json|wxml|wxss)$/.test(f))];
  assert.ok(files.length >= 1 + 11 * 4, `the SDK and eleven components (${files.length} files)`);
  const gz = gzipSync(Buffer.concat(files.map((f) => readFileSync(f)))).length / 1024;
  assert.ok(gz < 40, `mini-program SDK + components: ${gz.toFixed(1)} KB gzipped, budget 40 KB`);
});

test('the mini-program file loads with require in Node, as CommonJS', () => {
  const sdk = createRequire(join(dir, 'package.json'))(join(dir, 'dist/miniprogram/roomcast-sdk.js')) as Record<string, unknown>;
  for (const name of ['RoomcastClient', 'wxPlatform', 'browserPlatform', 'State', 'RoomcastError', 'verifyDraw']) assert.ok(sdk[name], name);
});

test('the types type-check a strict consumer', () => {
  const consumer = join(dir, 'consumer.ts');
  writeFileSync(consumer, `import { RoomcastClient, wxPlatform, State, type RoomView, type Order } from './dist/types/client-widget/src/index.js';
declare const wx: Parameters<typeof wxPlatform>[0];
const client = new RoomcastClient({ url: 'wss://x/v1/ws', token: 't', platform: wxPlatform(wx) });
export async function tap(): Promise<Order['state']> {
  const view: RoomView = await client.join('r');
  const you: string | undefined = view.you;
  const { order } = await client.buy('r', 's', { qty: 1 });
  client.on('flash.started', (e) => e.data.sale.id);
  return client.state === State.Open && you ? order.state : 'reserved';
}
`);
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript')), '..', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2020', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2020,dom', '--skipLibCheck', 'false', consumer], { cwd: dir, stdio: 'pipe' });
});
