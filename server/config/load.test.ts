import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './load.ts';

test('defaults load, and environment variables override them', () => {
  assert.equal(loadConfig({}).port, 9000);
  const config = loadConfig({ PORT: '9100', REDIS_URL: 'redis://10.0.0.1:6380', API_KEYS: 'key-one-12, key-two-34', TICK_MS: '20' });
  assert.equal(config.port, 9100);
  assert.equal(config.redis.url, 'redis://10.0.0.1:6380');
  assert.deepEqual(config.auth.apiKeys, ['key-one-12', 'key-two-34']);
  assert.equal(config.rooms.tickMs, 20);
  assert.equal(loadConfig({}).redis.url, undefined, 'no REDIS_URL: memory engine');
});

test('a bad value stops start-up with a message naming the key and its variable', () => {
  assert.throws(() => loadConfig({ PORT: 'ninety' }), (err: Error) => err instanceof ConfigError && /port \(from PORT\)/.test(err.message));
  assert.throws(() => loadConfig({ JWT_SECRET: 'short' }), /auth\.jwtSecret \(from JWT_SECRET\): must be at least 16/);
  assert.throws(() => loadConfig({}, { rooms: { presenceTtlMs: 500, presenceIntervalMs: 1000 } }), /rooms\.presenceTtlMs: must be longer/);
  assert.throws(() => loadConfig({ CONFIG_FILE: '/nonexistent.json' }), /cannot read config file/);
});

test('development secrets are refused in production, real ones accepted', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /development secrets refused.*auth\.jwtSecret/s);
  const config = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET: 'a-real-secret-of-some-length',
    API_KEYS: 'k-3f9a8b7c6d5e',
    MALL_SECRET: 'mall-secret-0123',
    WECOM_SECRET: 'w-secret',
    WECOM_TOKEN: 'wtoken',
    WECOM_AES_KEY: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR',
  });
  assert.equal(config.auth.jwtSecret, 'a-real-secret-of-some-length');
  assert.equal(config.demo, false, 'the demo hands out tokens: never in production');
  assert.equal(loadConfig({}).demo, true);
});
