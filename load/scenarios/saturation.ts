import type { StepResult } from '../fanout/step.ts';
import { num, pct, serverName, table, type Scenario } from './scenario.ts';

const P99_BOUND_MS = 100;
const PINS_ONLY = ['--viewers', '1000', '--seconds', '5', '--comments', '0', '--likes', '0', '--warmup', '1', '--drain', '5'];

/**
 * The saturation ladder: 1000 viewers, pins only, a rising open-loop rate, each server on its own
 * rungs (Roomcast's go four times higher); the capacity is the most a server delivered in a rung
 * with every pin delivered and p99 under 100 ms. Not in --quick.
 */
export const saturation: Scenario = {
  name: 'saturation',
  runs: (quick) => quick ? [] : [
    { harness: 'fanout', args: ['--targets', 'roomcast', '--rate', '50,100,200,300,600,1200', ...PINS_ONLY] },
    { harness: 'fanout', args: ['--targets', 'baseline', '--rate', '50,100,200,300', ...PINS_ONLY] },
  ],
  report(outputs) {
    const steps = outputs.flatMap((o) => o.results as StepResult[]);
    const capacity = (target: string) => Math.max(0, ...steps.filter((s) => s.target === target && s.delivered === s.expected && s.p99Ms < P99_BOUND_MS).map((s) => s.achievedPerSec));
    const [rc, io] = [capacity('roomcast'), capacity('baseline')];
    return {
      markdown: [
        `## saturation (1000 viewers, pins only, rising rate): deliveries/s with p99 under ${P99_BOUND_MS} ms`,
        '',
        ...table(['pins/s', 'server', 'deliveries/s', 'delivered', 'p50 ms', 'p99 ms', 'server CPU', 'loadgen ELU max'],
          steps.map((s) => [s.rate, serverName(s.target), num(s.achievedPerSec), pct(s.delivered, s.expected), num(s.p50Ms, 1), num(s.p99Ms, 1), `${num(s.serverCpuPct)}%`, num(s.loadgenEluMax, 2)])),
        '',
        `Roomcast ${num(rc)}/s, socket.io ${num(io)}/s` + (io ? `: x${(rc / io).toFixed(1)}.` : ' (it never kept p99 under the bound).'),
        'Where Roomcast\'s server CPU stays low while p99 rises, the viewer processes (loadgen ELU near 1) are the cap, not Roomcast.',
      ],
      figures: { capacityRoomcast: rc, capacityBaseline: io },
    };
  },
};
