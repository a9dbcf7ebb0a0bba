import type { StepResult } from '../fanout/step.ts';
import { latencyChart } from '../lib/svg.ts';
import { num, pct, serverName, table, type HarnessRun, type Scenario } from './scenario.ts';

/** The p99 a room must keep for its viewers to count as held. */
const P99_BOUND_MS = 150;

/**
 * Viewers in one room, rising, at a fixed 20 pins/s with chatter: latency against room size (the
 * chart), and the most viewers each server holds with p99 under 150 ms. Roomcast goes on to
 * 10,000; socket.io stops at 5,000, where it already delivers only part of the pins.
 */
export const viewers: Scenario = {
  name: 'viewers',
  runs(quick) {
    const sizes = quick ? { roomcast: [250, 1000], baseline: [250, 1000] } : { roomcast: [250, 1000, 2500, 5000, 10_000], baseline: [250, 1000, 2500, 5000] };
    return (['roomcast', 'baseline'] as const).flatMap((target) => sizes[target].map((n): HarnessRun => ({
      harness: 'fanout',
      args: ['--targets', target, '--viewers', String(n), '--rate', '20', '--seconds', quick ? '2' : '5', '--warmup', '1', '--drain', '5'],
    })));
  },
  report(outputs) {
    const steps = outputs.flatMap((o) => o.results as StepResult[]);
    const of = (target: string) => steps.filter((s) => s.target === target).sort((a, b) => a.viewers - b.viewers);
    const [rc, io] = [of('roomcast'), of('baseline')];
    const held = (rows: StepResult[]) => Math.max(0, ...rows.filter((s) => s.p99Ms < P99_BOUND_MS && s.delivered === s.expected).map((s) => s.viewers));
    const top = rc.at(-1);
    const failed = outputs.flatMap((o) => Object.entries(o.errors).map(([t, e]) => `- ${serverName(t)} at ${o.run.args[o.run.args.indexOf('--viewers') + 1]} viewers: ${e.split('\n')[0]}`));
    return {
      markdown: [
        '## viewers in one room (20 pins/s, 200 comments/s, 50 likes/s; the chart)',
        '',
        ...table(['viewers', 'server', 'deliveries/s', 'delivered', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU µs/delivery', 'RSS MB'],
          steps.map((s) => [s.viewers, serverName(s.target), num(s.achievedPerSec), pct(s.delivered, s.expected), num(s.p50Ms, 1), num(s.p95Ms, 1), num(s.p99Ms, 1), num(s.cpuUsPerDelivery, 1), num(s.rssMB)])),
        '',
        `Viewers held with every pin delivered and p99 under ${P99_BOUND_MS} ms: Roomcast ${num(held(rc))}, socket.io ${num(held(io))}` +
          (held(io) ? ` (x${(held(rc) / held(io)).toFixed(1)}).` : '.'),
        ...(failed.length ? ['', ...failed] : []),
      ],
      figures: { p99Ms: top?.p99Ms ?? NaN, viewers: top?.viewers ?? 0, heldRoomcast: held(rc), heldBaseline: held(io) },
      chart: latencyChart('pin latency in one room: 20 pins/s + 200 comments/s + 50 likes/s', 'viewers in the room', [
        { label: 'Roomcast p50', color: '#d62728', points: rc.map((s) => [s.viewers, s.p50Ms]) },
        { label: 'Roomcast p99', color: '#d62728', dashed: true, points: rc.map((s) => [s.viewers, s.p99Ms]) },
        { label: 'socket.io p50', color: '#1f77b4', points: io.map((s) => [s.viewers, s.p50Ms]) },
        { label: 'socket.io p99', color: '#1f77b4', dashed: true, points: io.map((s) => [s.viewers, s.p99Ms]) },
      ]),
    };
  },
};
