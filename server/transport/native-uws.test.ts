/**
 * `engines` and `.nvmrc` say what runs: the Node versions this uWS build has a native linux-x64
 * binary for (start-up refuses its JS fallback), and no newer one.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

/** Node's module ABI (process.versions.modules) of each release line. */
const ABI_TO_NODE: Record<number, number> = { 93: 16, 108: 18, 115: 20, 127: 22, 131: 23, 137: 24 };
const root = new URL('../../', import.meta.url);

test("engines and .nvmrc name the newest Node this uWS build has a native binary for, and nothing newer", () => {
  const pkg = createRequire(import.meta.url).resolve('uWebSockets.js/package.json');
  const abis = readdirSync(join(dirname(pkg), 'binaries')).flatMap((f) => /^uws_linux_x64_(\d+)\.node$/.exec(f)?.[1] ?? []).map(Number);
  const newest = Math.max(...abis.map((abi) => ABI_TO_NODE[abi] ?? 0));
  const engines = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } }).engines.node;
  assert.equal(newest, 20);
  assert.match(engines, new RegExp(`<${newest + 1}$`), `engines (${engines}) stops below Node ${newest + 1}`);
  assert.ok(!engines.includes('||'), 'no second range for Node versions without a binary');
  assert.equal(readFileSync(new URL('.nvmrc', root), 'utf8').trim(), String(newest));
  assert.equal(Number(process.versions.node.split('.')[0]), newest, 'the suite runs on it');
});
