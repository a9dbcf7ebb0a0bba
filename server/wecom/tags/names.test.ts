import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tagName } from './names.ts';

test('tag names: the room filled in; a room too long keeps the rule\'s words and stays distinct, within 30 characters', () => {
  assert.equal(tagName('直播{room}-已购', 'spring'), '直播spring-已购');
  const a = tagName('直播{room}-已购', 'group:wrOgQhDgAAcwMTB7YmDkbeBsgT_AAAAA');
  const b = tagName('直播{room}-已购', 'group:wrOgQhDgAAcwMTB7YmDkbeBsgT_BBBBB');
  for (const name of [a, b]) {
    assert.ok([...name].length <= 30, name);
    assert.ok(name.startsWith('直播group:') && name.endsWith('-已购'), name);
  }
  assert.notEqual(a, b);
  assert.equal(tagName('已购', 'x'.repeat(64)), '已购', 'a rule without {room}');
});
