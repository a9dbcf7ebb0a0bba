import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { StepResult } from './step.ts';

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const num = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const ms = (v: number) => num(v, v < 10 ? 2 : v < 100 ? 1 : 0);
const order = (r: StepResult) => ['before', 'roomcast', 'baseline'].indexOf(r.target);
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${num(a / b, 1)}×` : '–');

/** The side-by-side Markdown tables: one row per server per offered rate, then the ratios. */
export function markdown(results: StepResult[]): string {
  const lines = [
    '| pins/s | server | viewers | offered deliv/s | achieved deliv/s | delivered | p50 ms | p99 ms | max ms | server CPU | CPU µs/delivery | RSS MB | loop lag p99 ms | loadgen CPU | loadgen ELU max |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of [...results].sort((a, b) => a.rate - b.rate || order(a) - order(b))) {
    lines.push(`| ${r.rate} | ${r.target} | ${r.viewers} | ${num(r.offeredPerSec)} | ${num(r.achievedPerSec)} | ${num((100 * r.delivered) / r.expected, 1)}% | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${ms(r.maxMs)} | ${num(r.serverCpuPct)}% | ${num(r.cpuUsPerDelivery, 2)} | ${num(r.rssMB)} | ${ms(r.serverLoopLagP99Ms)} | ${num(r.loadgenCpuPct)}% | ${num(r.loadgenEluMax, 2)} |`);
  }
  const rates = [...new Set(results.map((r) => r.rate))].sort((a, b) => a - b);
  const pairs = rates.map((rate) => [rate, results.find((r) => r.rate === rate && r.target === 'roomcast'), results.find((r) => r.rate === rate && r.target === 'baseline')] as const);
  if (pairs.some(([, rc, bl]) => rc && bl)) {
    lines.push('', '| pins/s | CPU per delivery, baseline ÷ Roomcast | p50 Roomcast / baseline | p99 Roomcast / baseline |', '|---:|---:|---:|---:|');
    for (const [rate, rc, bl] of pairs) {
      if (!rc || !bl) continue;
      lines.push(`| ${rate} | ${ratio(bl.cpuUsPerDelivery, rc.cpuUsPerDelivery)} | ${ms(rc.p50Ms)} / ${ms(bl.p50Ms)} ms | ${ms(rc.p99Ms)} / ${ms(bl.p99Ms)} ms |`);
    }
  }
  const befores = rates.map((rate) => [rate, results.find((r) => r.rate === rate && r.target === 'before'), results.find((r) => r.rate === rate && r.target === 'roomcast')] as const);
  if (befores.some(([, before, now]) => before && now)) {
    lines.push('', '| pins/s | CPU µs per delivery, before → this checkout | change | p99 before → this checkout |', '|---:|---:|---:|---:|');
    for (const [rate, before, now] of befores) {
      if (!before || !now) continue;
      const change = (100 * (now.cpuUsPerDelivery - before.cpuUsPerDelivery)) / before.cpuUsPerDelivery;
      lines.push(`| ${rate} | ${num(before.cpuUsPerDelivery, 2)} → ${num(now.cpuUsPerDelivery, 2)} | ${change >= 0 ? '+' : ''}${num(change, 1)}% | ${ms(before.p99Ms)} → ${ms(now.p99Ms)} ms |`);
    }
  }
  return lines.join('\n');
}

/** Anything a reader should not miss: refusals, closes, drops, duplicates, a late pacer. */
export function warnings(results: StepResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    const at = `${r.target} @ ${r.rate}/s`;
    if (r.delivered < r.expected) out.push(`${at}: ${num(r.expected - r.delivered)} of ${num(r.expected)} pinned deliveries missing after the drain (${num(r.drainMs)} ms)`);
    else if (!r.settled) out.push(`${at}: frames were still arriving when the drain ran out (${num(r.drainMs)} ms): a backlog`);
    if (r.hostReconnects) out.push(`${at}: ${r.hostReconnects} host sockets closed and were replaced (${r.pinError ?? ''})`);
    if (r.pinsFailed) out.push(`${at}: ${r.pinsFailed} of ${r.pinsSent} pins got an error or no reply within 5 s (${r.pinError ?? ''})`);
    if (r.commentsRefused) out.push(`${at}: ${r.commentsRefused} of ${r.commentsSent} comments refused`);
    if (r.duplicates) out.push(`${at}: ${r.duplicates} duplicate or out-of-order pinned events`);
    if (r.slowViewers) out.push(`${at}: ${r.slowViewers} viewers stopped reading; the server closed ${r.serverCloses} sockets`);
    else if (r.viewerSocketsClosed || r.serverCloses) {
      const counted = r.target === 'roomcast' ? ` (roomcast_closes_total +${r.serverCloses})` : '';
      out.push(`${at}: ${r.viewerSocketsClosed} viewer sockets closed or timed out${counted}`);
    }
    if (r.connectRetries) out.push(`${r.target}: ${r.connectRetries} viewers connected only at the second attempt (${r.connectError ?? ''})`);
    if (r.freshServer) out.push(`${at}: ran on a restarted server and viewers (the previous rate left a backlog)`);
    if (r.cpuSource === 'proc') out.push(`${at}: the server did not answer its stats endpoint within 2 s; CPU and RSS from /proc`);
    if (r.pacerMaxLagMs > 50) out.push(`${at}: the host pacer ran up to ${ms(r.pacerMaxLagMs)} ms late (latency still counts from the actual send)`);
    if (r.loadgenEluMax > 0.9) out.push(`${at}: a viewer process was ${num(100 * r.loadgenEluMax)}% busy: the load generator may be the cap`);
    for (const e of r.viewerErrors) out.push(`${at}: viewer: ${e}`);
  }
  return [...new Set(out)];
}

/** The commit measured, and whether server/ or config/ had uncommitted changes (they are what runs). */
export function gitState(): { commit: string; serverDirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return { commit: git('rev-parse', '--short', 'HEAD'), serverDirty: git('status', '--porcelain', '--', 'server', 'config') !== '' };
  } catch {
    return { commit: 'unknown', serverDirty: false };
  }
}

export function writeJson(data: { options: unknown; git: unknown; results: StepResult[]; errors: Record<string, string> }): string {
  mkdirSync(RESULTS, { recursive: true });
  const file = `${RESULTS}fanout-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, platform: process.platform };
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, ...data }, null, 2)}\n`);
  return file;
}
