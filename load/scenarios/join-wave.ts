import { num, serverName, table, type Scenario } from './scenario.ts';

interface IdleRun {
  target: string;
  connected: number;
  joinWaveMs: number;
  kbPerConnection: number;
}

/** N viewers joining at once (a host's notification went out), then sitting idle: wave time and memory per connection. */
export const joinWave: Scenario = {
  name: 'join-wave',
  runs: (quick) => [{ harness: 'idle', args: quick ? ['--viewers', '1000', '--settle', '1'] : ['--viewers', '5000'] }],
  report([output]) {
    const runs = output!.results as IdleRun[];
    return {
      markdown: [
        '## join wave and idle viewers',
        '',
        ...table(['server', 'viewers joined', 'join wave ms', 'KB per idle connection'],
          runs.map((s) => [serverName(s.target), s.connected, num(s.joinWaveMs), num(s.kbPerConnection, 1)])),
      ],
      figures: { kbPerConnection: runs.find((s) => s.target === 'roomcast')?.kbPerConnection ?? NaN },
    };
  },
};
