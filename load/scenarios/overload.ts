import type { StepResult } from '../fanout/step.ts';
import { num, pct, serverName, table, type Scenario } from './scenario.ts';

const BASE_RATE = 300;
const HEAP_MB = 512;

/**
 * Overload: 200 viewers in one room, 20 of them stop reading once joined, pins the size of real
 * product cards (~300 B) with chatter, at the ladder's top rung (300 pins/s) and then at four
 * times that; both servers under the same V8 heap limit (512 MB). What it shows: the server is
 * alive, its RSS, how it treats the sockets that stopped reading, and the readers' p99 at 4x
 * against 1x. Not in --quick. (Roomcast's own saturation is beyond what this machine's load generator can read,
 * so 4x is taken of the ladder's top rung, not of a rate where Roomcast saturated.)
 */
export const overload: Scenario = {
  name: 'overload',
  runs: (quick) => quick ? [] : [{
    harness: 'fanout',
    args: ['--viewers', '200', '--slow', '20', '--pad', '300', '--heap', String(HEAP_MB), '--rate', `${BASE_RATE},${4 * BASE_RATE}`, '--seconds', '10', '--warmup', '1', '--drain', '5'],
  }],
  report([output]) {
    const steps = output!.results as StepResult[];
    const p99Growth = (target: string) => {
      const [one, four] = [BASE_RATE, 4 * BASE_RATE].map((rate) => steps.find((s) => s.target === target && s.rate === rate));
      return one && four ? four.p99Ms / one.p99Ms : NaN;
    };
    const died = Object.entries(output!.errors).map(([target, error]) => `- ${serverName(target)} did not finish: ${error.split('\n')[0]}`);
    return {
      markdown: [
        `## overload (200 viewers, 20 stop reading; ${BASE_RATE} then ${4 * BASE_RATE} pins/s of card-sized products; heap limit ${HEAP_MB} MB)`,
        '',
        ...table(['pins/s', 'server', 'readers delivered', 'readers p50 ms', 'readers p99 ms', 'RSS MB', 'sockets it closed', 'server CPU'],
          steps.map((s) => [s.rate, serverName(s.target), pct(s.delivered, s.expected), num(s.p50Ms, 1), num(s.p99Ms, 1), num(s.rssMB), s.target === 'roomcast' ? s.serverCloses : 'never', `${num(s.serverCpuPct)}%`])),
        '',
        `Readers' p99 at 4x ÷ at 1x: Roomcast x${num(p99Growth('roomcast'), 2)}, socket.io x${num(p99Growth('baseline'), 2)}.`,
        ...died,
      ],
      figures: {
        p99GrowthRoomcast: p99Growth('roomcast'),
        rssMaxRoomcast: Math.max(...steps.filter((s) => s.target === 'roomcast').map((s) => s.rssMB)),
        roomcastAlive: !output!.errors.roomcast,
      },
    };
  },
};
