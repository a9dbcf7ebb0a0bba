/** A bounded run of every fuzz target (npm run fuzz runs them for minutes): no crash on hostile input. */
import { test } from 'node:test';
import fc from 'fast-check';
import { targets } from './targets.ts';

for (const target of targets) {
  test(`fuzz ${target.name}: 3,000 generated inputs, each accepted or refused with its typed error`, () => {
    fc.assert(fc.property(target.input, (input) => target.run(input)), { numRuns: 3000 });
  });
}
