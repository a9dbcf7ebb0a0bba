import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { StormOp, Target } from './messages.ts';
import type { Audit } from './servers.ts';
import type { Ceiling } from '../lib/redis.ts';

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

export type Verdict = 'exact' | 'OVERSOLD' | 'NOT EXACT';

export interface StormResult {
  target: Target;
  label: string;
  /** What the viewers tapped. */
  op: StormOp;
  /** Roomcast's processes (WORKERS); 1 for the baseline. */
  workers: number;
  /** The server on CPU 0 and the load generator on CPU 1 (taskset). */
  pinned: boolean;
  prefix: string;
  viewers: number;
  connected: number;
  stock: number;
  spreadMs: number;
  /** Buys sent, replies received, and sent but never answered before the drain ran out. */
  sent: number;
  replied: number;
  unanswered: number;
  extraReplies: number;
  /** Connected viewers / spread. */
  offeredPerSec: number;
  /** Replies / (first send -> last reply). */
  decisionsPerSec: number;
  windowMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** The same for ok replies and for refusals (sold_out and others) apart. */
  okP50Ms: number;
  okP99Ms: number;
  refusedP50Ms: number;
  refusedP99Ms: number;
  /** Roomcast's own mean flash.buy time, message handled -> reply written (roomcast_op_duration_seconds). */
  serverOkMeanMs?: number;
  serverRefusedMeanMs?: number;
  codes: Record<string, number>;
  /** Per 100 ms from the scheduled first send: buys sent, ok replies, refusals. */
  timeline: { bucketMs: number; sent: number[]; ok: number[]; refused: number[] };
  ok: number;
  soldOut: number;
  other: number;
  /** Ok replies beyond the stock (0 when none). */
  oversold: number;
  /** Distinct users among the ok replies. */
  okUsers: number;
  audit: Audit;
  serverCpuSeconds: number;
  cpuSource: 'server' | 'proc';
  /** Over the measured span: just before the first send to just after the last reply. */
  serverCpuPct: number;
  cpuUsPerDecision: number;
  /** /proc's split of it (10 ms clock ticks): user, and system (the kernel: socket reads and writes). */
  userUsPerDecision: number;
  systemUsPerDecision: number;
  redisCpuSeconds: number;
  redisCpuUsPerDecision: number;
  /** Roomcast: script calls that decided the storm, taps per call, mean call time (sent to answered). */
  batches?: number;
  tapsPerBatch?: number;
  batchMeanMs?: number;
  /** Commands the server sent to Redis per 100 decisions (a script call is one; Roomcast's own count). */
  storeCommandsPer100: number;
  /** Commands Redis ran per 100 decisions (INFO total_commands_processed: those inside scripts too, every client's). */
  redisCommandsPer100: number;
  rssMB: number;
  /** Buyer processes plus the bench, 100% = one core; busiest buyer process's event-loop utilization. */
  loadgenCpuPct: number;
  loadgenEluMax: number;
  /** Non-reply frames the buyers received (Roomcast: stock left, ticker, online). */
  framesReceived: number;
  socketsClosed: number;
  pacerMaxLagMs: number;
  connectRetries: number;
  connectFailed: number;
  errors: string[];
  verdict: Verdict;
  /** Why it is not exact (empty when it is). */
  reasons: string[];
}

const num = (v: number | undefined, digits = 0) => (v !== undefined && Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const ms = (v: number) => num(v, v < 10 ? 2 : v < 100 ? 1 : 0);

/** The accounting: sold exactly the stock, the server agrees, nobody holds two. */
export function judge(r: Omit<StormResult, 'verdict' | 'reasons'>): { verdict: Verdict; reasons: string[] } {
  const reasons: string[] = [];
  const { audit: a, stock } = r;
  if (r.ok > stock) reasons.push(`${num(r.ok)} ok replies for ${num(stock)} units (+${num(r.ok - stock)})`);
  if (a.left < 0) reasons.push(`final stock ${num(a.left)}`);
  if (r.ok < stock && a.left !== 0) reasons.push(`only ${num(r.ok)} of ${num(stock)} sold, ${num(a.left)} left`);
  if (r.ok < stock && a.left === 0) reasons.push(`${num(r.ok)} ok replies but the server sold all ${num(stock)}`);
  if (r.ok === stock && a.left !== 0) reasons.push(`server says ${num(a.left)} left after ${num(stock)} ok replies`);
  if (a.sold !== r.ok) reasons.push(`server counts ${num(a.sold)} sold, buyers got ${num(r.ok)} ok replies`);
  if (r.unanswered) reasons.push(`${num(r.unanswered)} buys unanswered`);
  if (r.okUsers !== r.ok) reasons.push(`${num(r.ok - r.okUsers)} ok replies to a user who already had one`);
  if (a.ordersStored !== undefined && a.ordersStored !== r.ok) reasons.push(`${num(a.ordersStored)} orders stored for ${num(r.ok)} ok replies`);
  if (a.orderUsers !== undefined && a.ordersStored !== undefined && a.orderUsers !== a.ordersStored) reasons.push(`${num(a.ordersStored - a.orderUsers)} stored orders of a user with another`);
  if (a.buyersOverLimit) reasons.push(`${num(a.buyersOverLimit)} users hold more than one unit`);
  if (a.buyersStored !== undefined && a.buyersStored !== r.ok) reasons.push(`${num(a.buyersStored)} buyers recorded for ${num(r.ok)} ok replies`);
  if (a.orderIdsMissing) reasons.push(`${num(a.orderIdsMissing)} ok order ids not in Redis`);
  const oversold = r.ok > stock || a.left < 0;
  return { verdict: oversold ? 'OVERSOLD' : reasons.length ? 'NOT EXACT' : 'exact', reasons };
}

/** Rows are measures, columns the servers. */
export function markdown(results: StormResult[]): string {
  const rows: Array<[string, (r: StormResult) => string]> = [
    ['viewers connected', (r) => `${num(r.connected)} / ${num(r.viewers)}`],
    ['buys sent / answered', (r) => `${num(r.sent)} / ${num(r.replied)}`],
    ['offered buys/s (spread)', (r) => `${num(r.offeredPerSec)} (${num(r.spreadMs / 1000, 1)} s)`],
    ['**decisions/s**', (r) => `**${num(r.decisionsPerSec)}**`],
    ['first send → last reply ms', (r) => num(r.windowMs)],
    ['p50 / p99 / max ms', (r) => `${ms(r.p50Ms)} / ${ms(r.p99Ms)} / ${ms(r.maxMs)}`],
    ['p50 / p99 ms: ok · refused', (r) => `${ms(r.okP50Ms)} / ${ms(r.okP99Ms)} · ${ms(r.refusedP50Ms)} / ${ms(r.refusedP99Ms)}`],
    ['in-server mean ms: ok · refused', (r) => (r.serverOkMeanMs === undefined ? '–' : `${ms(r.serverOkMeanMs)} · ${ms(r.serverRefusedMeanMs ?? NaN)}`)],
    ['ok / sold_out / other', (r) => `${num(r.ok)} / ${num(r.soldOut)} / ${num(r.other)}${r.other ? ` (${otherCodes(r)})` : ''}`],
    ['stock S', (r) => num(r.stock)],
    ['sold (ok replies) − S', (r) => signed(r.ok - r.stock)],
    ['final stock (left)', (r) => num(r.audit.left)],
    ['server counts sold', (r) => (r.target === 'roomcast' ? num(r.audit.sold) : `– (S − left = ${num(r.audit.sold)})`)],
    ['orders stored / distinct users', (r) => (r.audit.ordersStored === undefined ? '– (none stored)' : `${num(r.audit.ordersStored)} / ${num(r.audit.orderUsers)}`)],
    ['users with two orders', (r) => num(r.ok - r.okUsers + (r.audit.buyersOverLimit ?? 0))],
    ['server CPU s (% of a core)', (r) => `${num(r.serverCpuSeconds, 2)} (${num(r.serverCpuPct)}%)`],
    ['server CPU µs / decision', (r) => num(r.cpuUsPerDecision, 1)],
    ['… user · system (/proc)', (r) => `${num(r.userUsPerDecision, 0)} · ${num(r.systemUsPerDecision, 0)}`],
    ['Redis CPU µs / decision', (r) => num(r.redisCpuUsPerDecision, 1)],
    ['batches · taps per batch · ms per call', (r) => (r.batches === undefined ? '–' : `${num(r.batches)} · ${num(r.tapsPerBatch ?? NaN, 1)} · ${ms(r.batchMeanMs ?? NaN)}`)],
    ['Redis calls / 100 decisions (sent · run, with scripts\' own)', (r) => `${num(r.storeCommandsPer100, 1)} · ${num(r.redisCommandsPer100, 0)}`],
    ['server RSS MB', (r) => num(r.rssMB)],
    ['fan-out frames to buyers', (r) => num(r.framesReceived)],
    ['loadgen CPU, ELU max', (r) => `${num(r.loadgenCpuPct)}%, ${num(r.loadgenEluMax, 2)}`],
    ['**verdict**', (r) => `**${r.verdict}**`],
  ];
  const lines = [`| | ${results.map((r) => r.label).join(' | ')} |`, `|---|${results.map(() => '---:').join('|')}|`];
  for (const [name, cell] of rows) lines.push(`| ${name} | ${results.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

function otherCodes(r: StormResult): string {
  return Object.entries(r.codes).filter(([c]) => c !== 'ok' && c !== 'sold_out').map(([c, n]) => `${c} ${num(n)}`).join(', ');
}

function signed(n: number): string {
  return n > 0 ? `+${num(n)}` : num(n);
}

/** One line per server: `storm <decisions/s>/s exact`, or OVERSOLD / NOT EXACT and why. */
export function headline(r: StormResult): string {
  const why = r.verdict === 'exact' ? '' : ` (${r.reasons.join('; ')})`;
  return `${r.target}${r.workers > 1 ? ` ×${r.workers}` : ''}: storm ${num(r.decisionsPerSec)}/s ${r.verdict}${why}`;
}

export function ceilingLine(ceiling: Ceiling | undefined, roomcast: StormResult | undefined): string {
  if (!ceiling) return 'redis-benchmark ceiling: not measured';
  if (ceiling.skipped) return `redis-benchmark ceiling: skipped (${ceiling.skipped})`;
  const ratio = roomcast ? `; Roomcast decisions/s ${num(roomcast.decisionsPerSec)} = ${num((100 * roomcast.decisionsPerSec) / ceiling.requestsPerSec!, 1)}% of it` : '';
  return `redis-benchmark EVAL ceiling (one incr script, 50 connections): ${num(ceiling.requestsPerSec)} req/s, p50 ${ms(ceiling.p50Ms!)} ms, p99 ${ms(ceiling.p99Ms!)} ms${ratio}`;
}

/** Anything a reader should not miss. */
export function warnings(results: StormResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    const at = r.target;
    if (r.connectFailed) out.push(`${at}: ${r.connectFailed} of ${r.viewers} viewers could not connect`);
    if (r.connectRetries) out.push(`${at}: ${r.connectRetries} viewers connected only at the second attempt`);
    if (r.other) out.push(`${at}: replies other than ok/sold_out: ${otherCodes(r)}`);
    if (r.okP50Ms > 1.5 * r.refusedP50Ms && r.okP50Ms - r.refusedP50Ms > 50) out.push(`${at}: winners waited longer than losers: ok replies p50 ${ms(r.okP50Ms)} ms after their send, refusals ${ms(r.refusedP50Ms)} ms (timeline in the JSON)`);
    if (r.extraReplies) out.push(`${at}: ${r.extraReplies} extra replies to requests already answered`);
    if (r.socketsClosed) out.push(`${at}: ${r.socketsClosed} sockets closed during the storm`);
    if (r.cpuSource === 'proc') out.push(`${at}: the server did not answer its stats endpoint within 2 s; CPU from /proc`);
    if (r.pacerMaxLagMs > 50) out.push(`${at}: the buy pacer ran up to ${ms(r.pacerMaxLagMs)} ms late (latency still counts from the actual send)`);
    if (r.loadgenEluMax > 0.9) out.push(`${at}: a buyer process was ${num(100 * r.loadgenEluMax)}% busy: the load generator may be the cap`);
    for (const e of r.errors) out.push(`${at}: buyer: ${e}`);
  }
  return [...new Set(out)];
}

export function writeJson(data: Record<string, unknown>): string {
  mkdirSync(RESULTS, { recursive: true });
  const file = `${RESULTS}storm-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, platform: process.platform };
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, ...data }, null, 2)}\n`);
  return file;
}
