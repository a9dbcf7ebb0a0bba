import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gitState } from './fanout/report.ts';
import { latencyChart } from './lib/svg.ts';

/**
 * `npm run bench`: the standard set, Roomcast against the plain socket.io baseline in the same run on
 * the same machine. Each scenario is its own harness under load/ (fanout/, storm/, idle/; multi-node is
 * fanout/ with --nodes 2 on Redis), run as a child
 * process with the options below; this collects their results into load/results/<date>.json, a
 * Markdown table and an SVG latency chart, and ends with one headline line:
 *
 *   fanout cpu/event x<ratio> vs socket.io · p99 <ms> ms at <N> viewers · storm <n>/s exact
 *
 * `--quick` runs a one-minute version (fewer viewers, shorter steps).
 */
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'load/results');

/** The latency chart's x axis: viewers in one room, at a fixed pin rate with chatter. */
const sweep = values.quick ? [250, 1000] : [250, 1000, 2500, 5000];
const sweepArgs = (viewers: number) => ['--viewers', String(viewers), '--rate', '20', '--seconds', values.quick ? '2' : '5', '--warmup', '1', '--drain', '5'];

/**
 * Pins only, 1000 viewers, a rising open-loop rate: on one node that is the saturation ladder
 * (deliveries/s while p99 stays under 100 ms); the top rates again on two nodes sharing Redis is
 * multi-node. Not in --quick.
 */
const multiNode = values.quick ? [] : [1, 2];
const multiNodeArgs = (nodes: number) => ['--viewers', '1000', '--rate', nodes === 1 ? '50,100,200,300' : '200,300', '--seconds', '5', '--comments', '0', '--likes', '0', '--warmup', '1', '--drain', '5', '--nodes', String(nodes)];
const P99_BOUND_MS = 100;

const scenarios = values.quick
  ? {
      fanout: ['--viewers', '500', '--rate', '50', '--seconds', '3', '--warmup', '1', '--drain', '5'],
      storm: ['--viewers', '1500', '--stock', '150', '--spread', '0.25', '--ceiling-requests', '30000', '--drain', '10'],
      idle: ['--viewers', '1000', '--settle', '1'],
    }
  : {
      fanout: ['--viewers', '1000', '--rate', '20,50,100', '--seconds', '10'],
      storm: ['--viewers', '5000', '--stock', '500', '--spread', '0.25'],
      idle: ['--viewers', '5000'],
    };

interface FanoutStep {
  target: 'roomcast' | 'baseline';
  rate: number;
  viewers: number;
  achievedPerSec: number;
  delivered: number;
  expected: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  cpuUsPerDelivery: number;
  rssMB: number;
}

interface StormRun {
  target: 'roomcast' | 'baseline';
  decisionsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  verdict: string;
  ok: number;
  stock: number;
}

interface IdleRun {
  target: 'roomcast' | 'baseline';
  connected: number;
  joinWaveMs: number;
  kbPerConnection: number;
}

/** Runs one harness; answers the results file it wrote. */
async function run(name: keyof typeof scenarios, args = scenarios[name]): Promise<{ results: unknown[]; ceiling?: { requestsPerSec?: number } }> {
  const started = Date.now();
  console.error(`\n== ${name}: npx tsx load/${name}/bench.ts ${args.join(' ')}`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `load/${name}/bench.ts`, ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const file = readdirSync(RESULTS)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json'))
    .map((f) => join(RESULTS, f))
    .filter((f) => statSync(f).mtimeMs >= started)
    .sort()
    .at(-1);
  if (!file) throw new Error(`${name} wrote no results (exit ${code})`);
  return JSON.parse(readFileSync(file, 'utf8')) as { results: unknown[]; ceiling?: { requestsPerSec?: number } };
}

const fanout = (await run('fanout')).results as FanoutStep[];
const viewerSweep: FanoutStep[] = [];
for (const viewers of sweep) viewerSweep.push(...((await run('fanout', sweepArgs(viewers))).results as FanoutStep[]));
const multi: Array<FanoutStep & { nodes: number }> = [];
for (const nodes of multiNode) multi.push(...((await run('fanout', multiNodeArgs(nodes))).results as FanoutStep[]).map((s) => ({ ...s, nodes })));
const stormRun = await run('storm');
const storm = stormRun.results as StormRun[];
const idle = (await run('idle')).results as IdleRun[];

const byRate = (target: string) => fanout.filter((s) => s.target === target).sort((a, b) => a.rate - b.rate);
const [rc, io] = [byRate('roomcast'), byRate('baseline')];
const ratios = rc.map((r) => {
  const b = io.find((s) => s.rate === r.rate);
  return b ? b.cpuUsPerDelivery / r.cpuUsPerDelivery : NaN;
});
const worstRatio = Math.min(...ratios.filter(Number.isFinite));
/** The most a server delivered in a step of the one-node ladder with everything delivered and p99 under the bound. */
const capacity = (target: string) => Math.max(0, ...multi.filter((s) => s.nodes === 1 && s.target === target && s.delivered === s.expected && s.p99Ms < P99_BOUND_MS).map((s) => s.achievedPerSec));
const byViewers = (target: string) => viewerSweep.filter((s) => s.target === target).sort((a, b) => a.viewers - b.viewers);
const [rcSweep, ioSweep] = [byViewers('roomcast'), byViewers('baseline')];
const top = rcSweep.at(-1)!;
const rcStorm = storm.find((s) => s.target === 'roomcast');
const headline = `fanout cpu/event x${worstRatio.toFixed(1)} vs socket.io · p99 ${Math.round(top.p99Ms)} ms at ${top.viewers} viewers · storm ${Math.round(rcStorm?.decisionsPerSec ?? 0)}/s ${rcStorm?.verdict === 'exact' ? 'exact' : 'OVERSOLD'}`;

const num = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const markdown = [
  `# Roomcast bench ${new Date().toISOString()}${values.quick ? ' (quick)' : ''}`,
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, commit ${gitState().commit}.`,
  '',
  '## fanout (one room, pins at a stepped open-loop rate, plus comments and likes)',
  '',
  '| pins/s | server | viewers | deliveries/s | delivered | p50 ms | p99 ms | CPU µs/delivery | RSS MB |',
  '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ...fanout.map((s) => `| ${s.rate} | ${s.target === 'roomcast' ? 'Roomcast' : 'socket.io'} | ${s.viewers} | ${num(s.achievedPerSec)} | ${num((100 * s.delivered) / s.expected)}% | ${num(s.p50Ms, 1)} | ${num(s.p99Ms, 1)} | ${num(s.cpuUsPerDelivery, 1)} | ${num(s.rssMB)} |`),
  '',
  `CPU per delivery, socket.io ÷ Roomcast: ${ratios.map((r) => `x${r.toFixed(1)}`).join(', ')}.`,
  '',
  '## viewers sweep (20 pins/s, 200 comments/s, 50 likes/s; the chart)',
  '',
  '| viewers | server | deliveries/s | delivered | p50 ms | p95 ms | p99 ms | CPU µs/delivery |',
  '|---:|---|---:|---:|---:|---:|---:|---:|',
  ...viewerSweep.map((s) => `| ${s.viewers} | ${s.target === 'roomcast' ? 'Roomcast' : 'socket.io'} | ${num(s.achievedPerSec)} | ${num((100 * s.delivered) / s.expected)}% | ${num(s.p50Ms, 1)} | ${num(s.p95Ms, 1)} | ${num(s.p99Ms, 1)} | ${num(s.cpuUsPerDelivery, 1)} |`),
  '',
  ...(multi.length ? [
    `## saturation (1000 viewers, pins only, rising rate): deliveries/s with p99 under ${P99_BOUND_MS} ms`,
    '',
    `Roomcast ${num(capacity('roomcast'))}/s, socket.io ${num(capacity('baseline'))}/s` +
      (capacity('baseline') ? `: x${(capacity('roomcast') / capacity('baseline')).toFixed(1)}.` : ' (it never kept p99 under the bound).'),
    '',
    '## multi-node (1000 viewers, pins only; one node, then two on one Redis, viewers split)',
    '',
    '| pins/s | server | nodes | deliveries/s | delivered | p99 ms | two ÷ one |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...multi.map((s) => {
      const one = multi.find((o) => o.nodes === 1 && o.target === s.target && o.rate === s.rate);
      const ratio = s.nodes === 2 && one ? `x${(s.achievedPerSec / one.achievedPerSec).toFixed(2)}` : '';
      return `| ${s.rate} | ${s.target === 'roomcast' ? 'Roomcast' : 'socket.io (Redis adapter)'} | ${s.nodes} | ${num(s.achievedPerSec)} | ${num((100 * s.delivered) / s.expected)}% | ${num(s.p99Ms, 1)} | ${ratio} |`;
    }),
    '',
  ] : []),
  '## storm (flash-sale taps on the redis engine)',
  '',
  '| server | decisions/s | p50 ms | p99 ms | ok / stock | accounting |',
  '|---|---:|---:|---:|---:|---|',
  ...storm.map((s) => `| ${s.target === 'roomcast' ? 'Roomcast' : 'naive socket.io + Redis'} | ${num(s.decisionsPerSec)} | ${num(s.p50Ms, 1)} | ${num(s.p99Ms, 1)} | ${s.ok} / ${s.stock} | ${s.verdict} |`),
  '',
  stormRun.ceiling?.requestsPerSec ? `redis-benchmark EVAL ceiling on the same Redis: ${num(stormRun.ceiling.requestsPerSec)}/s.` : '',
  '',
  '## idle viewers and the join wave',
  '',
  '| server | viewers joined | join wave ms | KB per idle connection |',
  '|---|---:|---:|---:|',
  ...idle.map((s) => `| ${s.target === 'roomcast' ? 'Roomcast' : 'socket.io'} | ${s.connected} | ${num(s.joinWaveMs)} | ${num(s.kbPerConnection, 1)} |`),
  '',
  headline,
  '',
].join('\n');

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(RESULTS, { recursive: true });
const base = join(RESULTS, `${stamp}${values.quick ? '-quick' : ''}`);
writeFileSync(`${base}.json`, JSON.stringify({ date: new Date().toISOString(), quick: values.quick, git: gitState(), scenarios, sweep, fanout, viewerSweep, multi, storm, ceiling: stormRun.ceiling, idle, headline }, null, 2));
writeFileSync(`${base}.md`, markdown);
writeFileSync(`${base}.svg`, latencyChart('pin latency in one room: 20 pins/s + 200 comments/s + 50 likes/s', 'viewers in the room', [
  { label: 'Roomcast p50', color: '#d62728', points: rcSweep.map((s) => [s.viewers, s.p50Ms]) },
  { label: 'Roomcast p99', color: '#d62728', dashed: true, points: rcSweep.map((s) => [s.viewers, s.p99Ms]) },
  { label: 'socket.io p50', color: '#1f77b4', points: ioSweep.map((s) => [s.viewers, s.p50Ms]) },
  { label: 'socket.io p99', color: '#1f77b4', dashed: true, points: ioSweep.map((s) => [s.viewers, s.p99Ms]) },
]));
console.log(`\n${markdown}`);
console.log(`written: ${base}.json, .md, .svg`);
console.log(headline);
