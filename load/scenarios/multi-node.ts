import type { StepResult } from '../fanout/step.ts';
import { num, pct, serverName, table, type HarnessRun, type Scenario } from './scenario.ts';

const RATES = { roomcast: '600', baseline: '300' };

/**
 * One node, then two on one Redis with the viewers split between them (Roomcast's redis engine,
 * socket.io's Redis adapter), 1000 viewers, pins only at a rate near each server's one-node limit.
 * Not in --quick.
 */
export const multiNode: Scenario = {
  name: 'multi-node',
  runs: (quick) => quick ? [] : (['roomcast', 'baseline'] as const).flatMap((target) => [1, 2].map((nodes): HarnessRun => ({
    harness: 'fanout',
    args: ['--targets', target, '--nodes', String(nodes), '--redis', '--viewers', '1000', '--rate', RATES[target], '--seconds', '5', '--comments', '0', '--likes', '0', '--warmup', '1', '--drain', '5'],
  }))),
  report(outputs) {
    const rows = outputs.flatMap((o) => (o.results as StepResult[]).map((s) => ({ ...s, nodes: Number(o.run.args[o.run.args.indexOf('--nodes') + 1]) })));
    const ratio = (target: string) => {
      const [one, two] = [1, 2].map((n) => rows.find((r) => r.target === target && r.nodes === n));
      return one && two ? two.achievedPerSec / one.achievedPerSec : NaN;
    };
    return {
      markdown: [
        '## multi-node (1000 viewers, pins only; one node on Redis, then two with the viewers split)',
        '',
        ...table(['pins/s', 'server', 'nodes', 'deliveries/s', 'delivered', 'p99 ms', 'server CPU', 'loadgen ELU max'],
          rows.map((s) => [s.rate, serverName(s.target), s.nodes, num(s.achievedPerSec), pct(s.delivered, s.expected), num(s.p99Ms, 1), `${num(s.serverCpuPct)}%`, num(s.loadgenEluMax, 2)])),
        '',
        `Two nodes ÷ one: Roomcast x${num(ratio('roomcast'), 2)}, socket.io x${num(ratio('baseline'), 2)}.`,
      ],
      figures: { twoOverOneRoomcast: ratio('roomcast'), twoOverOneBaseline: ratio('baseline') },
    };
  },
};
