import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pool } from '../model.ts';
import { chooseChatIds, pickPool } from './rules.ts';

const pool = (id: string, priority: number, rule: Pool['rule']): Pool => ({ id, name: id, priority, rule, cap: 200, roomBaseName: id, roomBaseId: 1, createdAt: priority });
const identity = (tags: string[] = [], channel?: string) => ({ sub: 'u', name: 'u', role: 'viewer' as const, tags, ...(channel ? { channel } : {}) });

test('pools are tried by priority; every given field of a rule must match', () => {
  const pools = [pool('all', 100, {}), pool('vip-buyers', 1, { tags: ['vip'], bought: true }), pool('ads', 10, { channels: ['ad-1'], rooms: ['r1'] })];
  assert.equal(pickPool(pools, { identity: identity(['vip']), room: 'r1', bought: true })?.id, 'vip-buyers');
  assert.equal(pickPool(pools, { identity: identity(['vip']), room: 'r1', bought: false })?.id, 'all');
  assert.equal(pickPool(pools, { identity: identity([], 'ad-1'), room: 'r1', bought: false })?.id, 'ads');
  assert.equal(pickPool(pools, { identity: identity([], 'ad-1'), room: 'r2', bought: false })?.id, 'all');
  assert.equal(pickPool([pools[1]!], { identity: identity(), room: 'r1', bought: true }), undefined);
});

test('join ways list up to 5 groups under the cap, fullest first; none under the cap: keep the list', () => {
  const groups = [10, 199, 200, 0, 150, 5, 7].map((members, i) => ({ chatId: `c${i}`, name: `g${i}`, members }));
  assert.deepEqual(chooseChatIds(groups, 200), ['c1', 'c4', 'c0', 'c6', 'c5']);
  assert.equal(chooseChatIds([{ chatId: 'x', name: 'x', members: 200 }], 200), null);
});
