import type { StormResult } from '../storm/report.ts';
import { num, table, type Scenario } from './scenario.ts';

/** The flash-sale tap storm on the redis engine, against a naive socket.io + Redis server. */
export const storm: Scenario = {
  name: 'storm',
  runs: (quick) => [{
    harness: 'storm',
    args: quick
      ? ['--viewers', '1500', '--stock', '150', '--spread', '0.25', '--ceiling-requests', '30000', '--drain', '10']
      : ['--viewers', '5000', '--stock', '500', '--spread', '0.25'],
  }],
  report([output]) {
    const runs = output!.results as Array<StormResult & { verdict: string; ok: number }>;
    const ceiling = (output!.extra.ceiling as { requestsPerSec?: number } | undefined)?.requestsPerSec;
    const rc = runs.find((s) => s.target === 'roomcast');
    return {
      markdown: [
        '## storm (flash-sale taps on the redis engine)',
        '',
        ...table(['server', 'decisions/s', 'p50 ms', 'p99 ms', 'ok / stock', 'accounting'],
          runs.map((s) => [s.target === 'roomcast' ? 'Roomcast' : 'naive socket.io + Redis', num(s.decisionsPerSec), num(s.p50Ms, 1), num(s.p99Ms, 1), `${s.ok} / ${s.stock}`, s.verdict])),
        '',
        ...(ceiling ? [`redis-benchmark EVAL ceiling on the same Redis (one small script): ${num(ceiling)}/s; Roomcast reached ${num((100 * (rc?.decisionsPerSec ?? 0)) / ceiling)}% of it.`] : []),
      ],
      figures: { decisionsPerSec: rc?.decisionsPerSec ?? 0, exact: rc?.verdict === 'exact' },
    };
  },
};
