import type { Target } from '../fanout/messages.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { flags } from '../lib/flags.ts';
import { ViewerPool } from '../fanout/pool.ts';
import { gitState } from '../fanout/report.ts';
import { JWT_SECRET, startBaseline, startRoomcast, type ServerUnderTest } from '../fanout/servers.ts';
import { sleep } from '../lib/pacer.ts';
import { procRssBytes } from '../lib/proc.ts';

/**
 * `npm run bench:idle`: what a viewer costs while nothing happens, and how fast a wave of viewers
 * gets in (the host's notification goes out and everyone opens the room at once). For each server:
 * RSS before and after N viewers connect and join one room (from /proc, after a settle), so memory
 * per idle connection = RSS delta / N, and the time for all N to be connected and joined.
 *
 *   npm run bench:idle -- --viewers 5000
 */
const { values } = parseArgs({ options: { viewers: { type: 'string', default: '5000' }, procs: { type: 'string', default: '2' }, settle: { type: 'string', default: '3' } } });
const { number, integer } = flags('bench:idle', '--viewers N (1..20000) --procs N (1..8) --settle SECONDS');
const viewers = integer('viewers', values.viewers, 1, 20_000);
const procs = integer('procs', values.procs, 1, 8);
const settleMs = number('settle', values.settle, 0, 600) * 1000;

const ROOM = 'idle';
const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

interface IdleResult {
  target: Target;
  viewers: number;
  connected: number;
  joinWaveMs: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  kbPerConnection: number;
}

async function measure(server: ServerUnderTest): Promise<IdleResult> {
  try {
    await sleep(settleMs);
    const before = procRssBytes(server.child.pid);
    const started = Date.now();
    const pool = await ViewerPool.start({ target: server.target, url: server.url, room: ROOM, rooms: 1, jwtSecret: JWT_SECRET, slow: 0 }, viewers, procs);
    const joinWaveMs = Date.now() - started;
    try {
      await sleep(settleMs);
      const after = procRssBytes(server.child.pid);
      const result = {
        target: server.target,
        viewers,
        connected: pool.connected,
        joinWaveMs,
        rssBeforeMB: before / 2 ** 20,
        rssAfterMB: after / 2 ** 20,
        kbPerConnection: (after - before) / 1024 / pool.connected,
      };
      console.error(`${server.target}: ${pool.connected} joined in ${joinWaveMs} ms; RSS ${result.rssBeforeMB.toFixed(0)} -> ${result.rssAfterMB.toFixed(0)} MB = ${result.kbPerConnection.toFixed(1)} KB per connection`);
      return result;
    } finally {
      await pool.stop();
    }
  } finally {
    await server.stop();
  }
}

const results = [await measure(await startRoomcast(ROOM, viewers)), await measure(await startBaseline(viewers))];
const rows = results.map((r) => `| ${r.target === 'roomcast' ? 'Roomcast' : 'socket.io'} | ${r.connected} | ${r.joinWaveMs} | ${r.rssBeforeMB.toFixed(0)} | ${r.rssAfterMB.toFixed(0)} | ${r.kbPerConnection.toFixed(1)} |`);
console.log(['| server | viewers joined | join wave ms | RSS before MB | RSS after MB | KB per idle connection |', '|---|---:|---:|---:|---:|---:|', ...rows].join('\n'));
mkdirSync(RESULTS, { recursive: true });
const file = join(RESULTS, `idle-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, git: gitState(), options: { viewers, procs, settleMs }, results }, null, 2));
console.log(`written: ${file}`);
