import { readFileSync } from 'node:fs';
import type { StormResult } from '../storm/report.ts';
import { num, table, type HarnessRun, type RunOutput, type Scenario } from './scenario.ts';

/** Taps per second offered in every buy storm: the "3, 2, 1, go!" of the mission. */
const OFFERED_PER_SEC = 20_000;
const SIZES = [5_000, 10_000, 20_000];
/** Buyer sockets per load-generator process. */
const PER_PROC = 2_500;
const CEILING_REQUESTS = '200000';

/** One process can hold this many sockets here (its open-file hard limit, less its own files). */
function socketsPerProcess(): number {
  const hard = /Max open files\s+\S+\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  return hard === undefined || hard === 'unlimited' ? Infinity : Number(hard) - 1024;
}

interface Plan {
  op: 'buy' | 'claim';
  viewers: number;
  pinned: boolean;
  workers: number[];
  baseline: boolean;
  ceiling: boolean;
  /** What could not run, and why. */
  skipped: string[];
}

function plan(op: Plan['op'], viewers: number, pinned: boolean, ceiling = false): Plan {
  const fit = socketsPerProcess();
  const workers = [1, 2].filter((w) => viewers / w <= fit);
  const skipped = [
    ...[1, 2].filter((w) => !workers.includes(w)).map((w) => `Roomcast with ${w} worker${w > 1 ? 's' : ''}: ${num(viewers / w)} sockets in one process pass this machine's open-file limit (${num(fit + 1024)})`),
    ...(viewers > fit ? [`the naive baseline: ${num(viewers)} sockets in its one process pass the open-file limit`] : []),
  ];
  return { op, viewers, pinned, workers, baseline: viewers <= fit, ceiling, skipped };
}

function harness(p: Plan): HarnessRun {
  const stock = p.viewers / 10;
  const spread = p.viewers / OFFERED_PER_SEC;
  return {
    harness: 'storm',
    args: [
      '--op', p.op, '--viewers', String(p.viewers), '--stock', String(stock), '--spread', String(spread),
      '--procs', String(Math.max(2, Math.ceil(p.viewers / PER_PROC))),
      '--targets', p.baseline ? 'roomcast,baseline' : 'roomcast', '--workers', p.workers.join(','),
      '--ceiling-requests', p.ceiling ? CEILING_REQUESTS : '0', ...(p.pinned ? ['--pin'] : []),
    ],
  };
}

function plans(quick: boolean): Plan[] {
  if (quick) return [plan('buy', 1_500, false, true), plan('claim', 1_500, false)];
  return [
    ...SIZES.map((v, i) => plan('buy', v, false, i === 0)),
    ...SIZES.map((v) => plan('buy', v, true)),
    plan('claim', 10_000, false),
  ];
}

const name = (r: StormResult) => (r.target === 'baseline' ? 'naive socket.io + Redis' : `Roomcast${r.workers > 1 ? `, ${r.workers} workers` : ''}`);

/**
 * The tap storm at the mission's scale, on the redis engine: 5,000, 10,000 and 20,000 buyers
 * tapping buy at 20,000/s on a tenth as many units, Roomcast as one process and as two workers and
 * the naive socket.io + GET/DECR server, all in one run; once unpinned and once with the server on
 * CPU 0 and the load generator on CPU 1 (the CPU figure); and a coupon claim storm beside it.
 */
export const storm: Scenario = {
  name: 'storm',
  runs: (quick) => plans(quick).map(harness),
  report(outputs, quick) {
    const all = plans(quick);
    const rows: Array<{ plan: Plan; r: StormResult }> = [];
    const failures: string[] = [];
    outputs.forEach((output: RunOutput, i) => {
      for (const r of output.results as StormResult[]) rows.push({ plan: all[i]!, r });
      for (const [target, why] of Object.entries(output.errors)) failures.push(`${all[i]!.op} ${num(all[i]!.viewers)}${all[i]!.pinned ? ' pinned' : ''}, ${target}: ${why.split('\n')[0]}`);
    });
    const ceiling = outputs.map((o) => (o.extra.ceiling as { requestsPerSec?: number } | undefined)?.requestsPerSec).find(Boolean);
    const find = (op: Plan['op'], viewers: number, pinned: boolean, target: string, workers = 1) =>
      rows.find(({ plan: p, r }) => p.op === op && p.viewers === viewers && p.pinned === pinned && r.target === target && r.workers === workers)?.r;

    const first = SIZES[0]!;
    const size = quick ? 1_500 : first;
    const rc = find('buy', size, false, 'roomcast');
    const rcPinned = find('buy', size, !quick, 'roomcast');
    const naivePinned = find('buy', size, !quick, 'baseline');
    const cpuRatio = rcPinned && naivePinned ? naivePinned.cpuUsPerDecision / rcPinned.cpuUsPerDecision : NaN;
    const w1 = find('buy', quick ? 1_500 : 10_000, false, 'roomcast', 1);
    const w2 = find('buy', quick ? 1_500 : 10_000, false, 'roomcast', 2);
    const exact = rows.filter(({ r }) => r.target !== 'baseline').every(({ r }) => r.verdict === 'exact');
    const naiveOversold = rows.filter(({ r }) => r.target === 'baseline').some(({ r }) => r.verdict === 'OVERSOLD');
    const headline = rc
      ? `storm ${num(rc.decisionsPerSec)}/s ${exact ? 'exact' : 'NOT EXACT'} · p99 ${num(rc.p99Ms)} ms at ${num(rc.offeredPerSec)}/s offered · server CPU x${num(cpuRatio, 1)} lower per decision than naive · ${num(rc.storeCommandsPer100, 1)} Redis calls per 100 decisions`
      : 'storm: no Roomcast run';

    return {
      markdown: [
        '## storm (taps on the redis engine, at the mission\'s scale)',
        '',
        `Every buyer taps once; buys at ${num(OFFERED_PER_SEC)}/s offered on a tenth as many units, coupon claims likewise. "pinned": the server on CPU 0, the load generator and the bench on CPU 1 (taskset; Redis unpinned). Redis calls: the commands the server sent (a script call is one) · the commands Redis ran, those inside scripts included.`,
        '',
        ...table(['server', 'taps', 'buyers', 'pinned', 'decisions/s', 'p50 / p99 / max ms', 'server CPU µs/decision (user · system)', 'Redis calls / 100 decisions', 'Redis CPU µs/decision', 'taps per batch', 'accounting'],
          rows.map(({ plan: p, r }) => [
            name(r), p.op, num(p.viewers), p.pinned ? 'yes' : 'no', num(r.decisionsPerSec), `${num(r.p50Ms)} / ${num(r.p99Ms)} / ${num(r.maxMs)}`,
            `${num(r.cpuUsPerDecision, 1)} (${num(r.userUsPerDecision)} · ${num(r.systemUsPerDecision)})`,
            `${num(r.storeCommandsPer100, 1)} · ${num(r.redisCommandsPer100)}`, num(r.redisCpuUsPerDecision, 1),
            r.tapsPerBatch === undefined ? '–' : num(r.tapsPerBatch, 1), r.verdict,
          ])),
        '',
        ...(ceiling ? [`redis-benchmark EVAL ceiling on the same Redis (one small script, 50 connections): ${num(ceiling)}/s.`, ''] : []),
        `- server CPU per decision, pinned, ${num(size)} buyers: Roomcast ${num(rcPinned?.cpuUsPerDecision ?? NaN, 1)} µs, naive ${num(naivePinned?.cpuUsPerDecision ?? NaN, 1)} µs: x${num(cpuRatio, 1)} lower.`,
        `- 2 workers against 1, ${num(w1?.viewers ?? NaN)} buyers unpinned: ${num(w2?.decisionsPerSec ?? NaN)} against ${num(w1?.decisionsPerSec ?? NaN)} decisions/s (x${num((w2?.decisionsPerSec ?? NaN) / (w1?.decisionsPerSec ?? NaN), 2)}).`,
        `- every Roomcast run ${exact ? 'exact' : 'NOT exact'}; the naive server ${naiveOversold ? 'oversold in this run' : 'did not oversell in this run'}.`,
        ...[...new Set(all.flatMap((p) => p.skipped))].map((s) => `- not run: ${s}.`),
        ...failures.map((f) => `- failed: ${f}`),
      ],
      figures: {
        decisionsPerSec: rc?.decisionsPerSec ?? 0, exact, p99Ms: rc?.p99Ms ?? NaN, offeredPerSec: rc?.offeredPerSec ?? NaN,
        cpuRatio, redisCallsPer100: rc?.storeCommandsPer100 ?? NaN, workersSpeedup: (w2?.decisionsPerSec ?? NaN) / (w1?.decisionsPerSec ?? NaN), headline,
      },
    };
  },
};
