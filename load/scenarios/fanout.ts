import type { StepResult } from '../fanout/step.ts';
import { num, pct, serverName, table, type Scenario } from './scenario.ts';

/** One room, 1000 viewers, host pins at a stepped open-loop rate plus 200 comments/s and 50 likes/s. */
export const fanout: Scenario = {
  name: 'fanout',
  runs: (quick) => [{
    harness: 'fanout',
    args: quick
      ? ['--viewers', '500', '--rate', '50', '--seconds', '3', '--warmup', '1', '--drain', '5']
      : ['--viewers', '1000', '--rate', '20,50,100', '--seconds', '8'],
  }],
  report([output]) {
    const steps = output!.results as StepResult[];
    const byRate = (target: string) => steps.filter((s) => s.target === target).sort((a, b) => a.rate - b.rate);
    const ratios = byRate('roomcast').flatMap((rc) => {
      const io = steps.find((s) => s.target === 'baseline' && s.rate === rc.rate);
      return io ? [io.cpuUsPerDelivery / rc.cpuUsPerDelivery] : [];
    });
    return {
      markdown: [
        '## fanout (one room, pins at a stepped open-loop rate, plus comments and likes)',
        '',
        ...table(['pins/s', 'server', 'viewers', 'deliveries/s', 'delivered', 'p50 ms', 'p99 ms', 'CPU µs/delivery', 'RSS MB'],
          steps.map((s) => [s.rate, serverName(s.target), s.viewers, num(s.achievedPerSec), pct(s.delivered, s.expected), num(s.p50Ms, 1), num(s.p99Ms, 1), num(s.cpuUsPerDelivery, 1), num(s.rssMB)])),
        '',
        `CPU per delivery, socket.io ÷ Roomcast: ${ratios.map((r) => `x${r.toFixed(1)}`).join(', ')}.`,
      ],
      figures: { cpuRatio: ratios.length ? Math.min(...ratios) : NaN },
    };
  },
};
