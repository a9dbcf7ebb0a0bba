/**
 * `npm run fuzz [-- --seconds 600] [--only frame,wecom-callback,mall-notify,http-json] [--seed N]`:
 * each target (targets.ts) for that long, reporting executions, rate, the slowest execution and
 * that input run again (a hang shows there) and the seed to replay a failure with. Exits 1 on a crash or an unhandled rejection.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { targets } from './targets.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, only: { type: 'string' }, seed: { type: 'string' } } });
const seconds = Number(values.seconds);
const only = values.only?.split(',');
const chosen = targets.filter((t) => !only || only.includes(t.name));
if (!(seconds > 0) || !chosen.length) {
  console.error(`usage: npm run fuzz -- --seconds N --only ${targets.map((t) => t.name).join(',')} [--seed N]`);
  process.exit(2);
}
let rejected: unknown;
process.on('unhandledRejection', (reason) => (rejected = reason));

let failed = false;
for (const target of chosen) {
  const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  let executions = 0;
  let slowest = { ms: 0, input: undefined as unknown };
  const started = performance.now();
  try {
    fc.assert(fc.property(target.input, (input) => {
      const t = performance.now();
      target.run(input);
      const ms = performance.now() - t;
      if (ms > slowest.ms) slowest = { ms, input };
      executions++;
    }), { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false });
  } catch (err) {
    failed = true;
    console.error(`${target.name}: CRASH (seed ${seed})\n${(err as Error).message}`);
  }
  const elapsed = (performance.now() - started) / 1000;
  // The slowest run again: a pause of the process (GC, the scheduler) is not the input's; a slow input is slow every time.
  let again = Infinity;
  for (let i = 0; i < 3 && executions > 0; i++) {
    const t = performance.now();
    try {
      target.run(slowest.input);
    } catch {
      break; // a crash was reported above
    }
    again = Math.min(again, performance.now() - t);
  }
  console.log(`${target.name}: ${executions.toLocaleString('en-US')} executions in ${elapsed.toFixed(0)} s (${Math.round(executions / elapsed).toLocaleString('en-US')}/s), slowest ${slowest.ms.toFixed(1)} ms (that input again: ${again.toFixed(2)} ms), seed ${seed}`);
}
await new Promise((r) => setImmediate(r));
if (rejected) {
  failed = true;
  console.error('unhandled rejection:', rejected);
}
process.exit(failed ? 1 : 0);
