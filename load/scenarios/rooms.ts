import type { StepResult } from '../fanout/step.ts';
import { num, pct, serverName, table, type Scenario } from './scenario.ts';

/** Many rooms of a few hundred viewers: 2000 viewers in 10 rooms, each pin to one room, with chatter. Not in --quick. */
export const rooms: Scenario = {
  name: 'rooms',
  runs: (quick) => quick ? [] : [{
    harness: 'fanout',
    args: ['--viewers', '2000', '--rooms', '10', '--rate', '100', '--seconds', '5', '--warmup', '1', '--drain', '5'],
  }],
  report([output]) {
    const steps = output!.results as StepResult[];
    const rc = steps.find((s) => s.target === 'roomcast');
    const io = steps.find((s) => s.target === 'baseline');
    const args = output!.run.args;
    return {
      markdown: [
        `## rooms (${args[args.indexOf('--viewers') + 1]} viewers in ${args[args.indexOf('--rooms') + 1]} rooms, each pin to one room, plus comments and likes)`,
        '',
        ...table(['pins/s', 'server', 'deliveries/s', 'delivered', 'p50 ms', 'p99 ms', 'CPU µs/delivery', 'host sockets replaced'],
          steps.map((s) => [s.rate, serverName(s.target), num(s.achievedPerSec), pct(s.delivered, s.expected), num(s.p50Ms, 1), num(s.p99Ms, 1), num(s.cpuUsPerDelivery, 1), s.hostReconnects])),
      ],
      figures: { cpuRatio: rc && io ? io.cpuUsPerDelivery / rc.cpuUsPerDelivery : NaN },
    };
  },
};
