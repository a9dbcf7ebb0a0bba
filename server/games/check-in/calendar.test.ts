import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayOf, daysBetween, defaultRewards, nextStreak, rewardFor, validTimeZone, type RewardTable } from './calendar.ts';

test('Asia/Shanghai (the default) turns the day at 16:00 UTC', () => {
  assert.equal(dayOf(Date.UTC(2026, 0, 1, 15, 59, 59, 999)), '2026-01-01');
  assert.equal(dayOf(Date.UTC(2026, 0, 1, 16, 0, 0, 0)), '2026-01-02');
  assert.equal(dayOf(Date.UTC(2025, 11, 31, 16), 'Asia/Shanghai'), '2026-01-01', 'across a year');
  assert.equal(dayOf(Date.UTC(2024, 1, 28, 16), 'Asia/Shanghai'), '2024-02-29', 'onto a leap day');
  // Shanghai has kept UTC+8 without daylight saving since 1991: any instant is its UTC+8 date.
  for (let i = 0; i < 2000; i++) {
    const ms = Date.UTC(1992, 0, 1) + ((i * 7_919_993_011) % (40 * 365 * 86_400_000));
    assert.equal(dayOf(ms, 'Asia/Shanghai'), new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10));
  }
});

test('other zones, daylight saving included', () => {
  assert.equal(dayOf(Date.UTC(2026, 0, 1, 15, 59, 59, 999), 'UTC'), '2026-01-01');
  assert.equal(dayOf(Date.UTC(2026, 0, 1, 23, 59, 59, 999), 'UTC'), '2026-01-01');
  // New York is UTC-5 in winter and UTC-4 in summer (from 2026-03-08): midnight moves from 05:00 to 04:00 UTC.
  assert.equal(dayOf(Date.UTC(2026, 2, 8, 4, 59, 59, 999), 'America/New_York'), '2026-03-07');
  assert.equal(dayOf(Date.UTC(2026, 2, 8, 5), 'America/New_York'), '2026-03-08');
  assert.equal(dayOf(Date.UTC(2026, 2, 9, 3, 59, 59, 999), 'America/New_York'), '2026-03-08');
  assert.equal(dayOf(Date.UTC(2026, 2, 9, 4), 'America/New_York'), '2026-03-09');
  // Half-hour offsets: Kolkata is UTC+5:30.
  assert.equal(dayOf(Date.UTC(2026, 5, 30, 18, 29, 59, 999), 'Asia/Kolkata'), '2026-06-30');
  assert.equal(dayOf(Date.UTC(2026, 5, 30, 18, 30), 'Asia/Kolkata'), '2026-07-01');
});

test('time zones Intl does not know are invalid, and dayOf refuses them', () => {
  for (const zone of ['Asia/Shanghai', 'America/New_York', 'UTC', 'Europe/London']) assert.equal(validTimeZone(zone), true, zone);
  for (const zone of ['Mars/Olympus_Mons', '', 'Asia/Shang hai', 'GMT+8:00']) assert.equal(validTimeZone(zone), false, zone);
  assert.throws(() => dayOf(0, 'Mars/Olympus_Mons'), RangeError);
});

test('days between counts calendar days, across months, years and leap days', () => {
  assert.equal(daysBetween('2026-01-01', '2026-01-01'), 0);
  assert.equal(daysBetween('2026-01-31', '2026-02-01'), 1);
  assert.equal(daysBetween('2025-12-31', '2026-01-01'), 1);
  assert.equal(daysBetween('2024-02-28', '2024-03-01'), 2);
  assert.equal(daysBetween('2025-02-28', '2025-03-01'), 1);
  assert.equal(daysBetween('2026-01-01', '2027-01-01'), 365);
  assert.equal(daysBetween('2026-03-10', '2026-03-01'), -9);
  for (const bad of ['2026-02-30', '2026-13-01', '2026-1-01', '20260101', '', 'yesterday']) {
    assert.throws(() => daysBetween(bad, '2026-01-01'), RangeError, bad);
  }
});

test('a streak starts at 1, goes on the next day, starts over after a gap, and counts a day once', () => {
  assert.deepEqual(nextStreak(undefined, '2026-01-01'), { streak: 1, already: false });
  assert.deepEqual(nextStreak({ day: '2026-01-01', streak: 4 }, '2026-01-01'), { streak: 4, already: true });
  assert.deepEqual(nextStreak({ day: '2026-01-01', streak: 4 }, '2026-01-02'), { streak: 5, already: false });
  assert.deepEqual(nextStreak({ day: '2025-12-31', streak: 4 }, '2026-01-01'), { streak: 5, already: false });
  assert.deepEqual(nextStreak({ day: '2026-01-01', streak: 4 }, '2026-01-03'), { streak: 1, already: false });
  assert.deepEqual(nextStreak({ day: '2026-01-07', streak: 7 }, '2026-01-08'), { streak: 8, already: false }, 'past the table the streak keeps counting');
  assert.deepEqual(nextStreak({ day: '2026-01-02', streak: 4 }, '2026-01-01'), { streak: 4, already: true }, 'a day before the last one');
});

test('a month of daily check-ins from the clock: the streak follows the Shanghai day, not the UTC one', () => {
  let last: { day: string; streak: number } | undefined;
  // 23:30 Shanghai each evening is 15:30 UTC, and 00:30 the next morning is 16:30 UTC the same UTC day.
  for (let d = 0; d < 30; d++) {
    const evening = Date.UTC(2026, 0, 1 + d, 15, 30);
    const next = nextStreak(last, dayOf(evening));
    assert.deepEqual(next, { streak: d + 1, already: false });
    last = { day: dayOf(evening), streak: next.streak };
    assert.equal(nextStreak(last, dayOf(evening + 29 * 60_000)).already, true, 'still the same Shanghai day at 23:59');
  }
  assert.equal(nextStreak(last, dayOf(Date.UTC(2026, 0, 30, 16, 30))).streak, 31, 'the next Shanghai morning is the same UTC day');
});

test('rewards cycle over the table, with a bonus on every multiple of its day', () => {
  const week = Array.from({ length: 21 }, (_, i) => rewardFor(i + 1, defaultRewards));
  assert.deepEqual(week, [1, 1, 2, 2, 3, 3, 15, 1, 1, 2, 2, 3, 3, 15, 1, 1, 2, 2, 3, 3, 15]);
  assert.equal(rewardFor(7), 15, 'the default table');
  const table: RewardTable = { daily: [10, 20, 30], bonus: { day: 4, points: 100 } };
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((s) => rewardFor(s, table)), [10, 20, 30, 110, 20, 30, 10, 120]);
  assert.deepEqual([1, 2, 3].map((s) => rewardFor(s, { daily: [5] })), [5, 5, 5], 'no bonus');
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => rewardFor(bad), RangeError, String(bad));
  assert.throws(() => rewardFor(1, { daily: [] }), RangeError);
});
