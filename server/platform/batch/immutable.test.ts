import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Immutable } from './immutable.ts';

test('one read for a storm of concurrent asks; nothing kept for what does not exist yet or failed', async () => {
  const facts = new Immutable<string>();
  let reads = 0;
  const load = async () => {
    reads++;
    await new Promise((r) => setTimeout(r, 10));
    return 'campaign-1';
  };
  assert.deepEqual(await Promise.all(Array.from({ length: 100 }, () => facts.get('g1', load))), Array(100).fill('campaign-1'));
  assert.equal(await facts.get('g1', load), 'campaign-1');
  assert.equal(reads, 1);

  assert.equal(await facts.get('g2', async () => undefined), undefined);
  assert.equal(await facts.get('g2', async () => 'made later'), 'made later');
  await assert.rejects(facts.get('g3', async () => { throw new Error('store away'); }), /store away/);
  assert.equal(await facts.get('g3', async () => 'back'), 'back');
});
