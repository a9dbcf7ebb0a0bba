import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayOf, previousDay, validTimeZone } from './calendar.ts';

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

test('the day before, across months, years and leap days; things that are not days are refused', () => {
  assert.equal(previousDay('2026-02-01'), '2026-01-31');
  assert.equal(previousDay('2026-01-01'), '2025-12-31');
  assert.equal(previousDay('2024-03-01'), '2024-02-29');
  assert.equal(previousDay('2025-03-01'), '2025-02-28');
  for (const bad of ['2026-02-30', '2026-13-01', '2026-1-01', '20260101', '', 'yesterday']) {
    assert.throws(() => previousDay(bad), RangeError, bad);
  }
});

test('a month of evenings at 23:30 Shanghai: each is the day after the one before, in Shanghai, not in UTC', () => {
  // 23:30 Shanghai each evening is 15:30 UTC, and 00:30 the next morning is 16:30 UTC the same UTC day.
  for (let d = 1; d < 30; d++) {
    const evening = Date.UTC(2026, 0, 1 + d, 15, 30);
    assert.equal(previousDay(dayOf(evening)), dayOf(evening - 86_400_000));
    assert.equal(dayOf(evening + 29 * 60_000), dayOf(evening), 'still the same Shanghai day at 23:59');
    assert.equal(previousDay(dayOf(evening + 60 * 60_000)), dayOf(evening), 'the next Shanghai morning is the same UTC day');
  }
});
