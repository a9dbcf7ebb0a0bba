import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import rules that keep the house's directions (tools enforce them; a reader relies on them):
 * - server/protocol/ is what the server and the widget share: its own files, msgpackr and zod only;
 * - the platform under the domains (engine, stores, scheduler, jobs, bus) and the shared layers
 *   (core fan-out, transports, the HTTP app, config, observability, auth) import no domain folder;
 * - only platform/store/redis and the BullMQ queues talk to Redis; everything else goes through
 *   the Store, so the embedded engine runs the same code;
 * - only server/protocol/codec.ts touches msgpackr;
 * - the widget imports nothing of the server but server/protocol/ (not its zod schemas).
 * A block's no-restricted-imports replaces an earlier one's for its files, so each block below
 * lists every restriction its files have.
 */
const msgpackr = { name: 'msgpackr', message: 'Only server/protocol/codec.ts touches msgpackr.' };
const ioredis = { name: 'ioredis', message: 'Only server/platform/store/redis and platform/jobs/bullmq.ts talk to Redis; use the engine\'s Store.' };
const protocolOnly = {
  regex: '^(?!\\./|(msgpackr|zod)(/|$))',
  message: 'server/protocol/ imports only its own files and the packages msgpackr and zod: no node: modules, no Redis, no other server folder.',
};
const noDomain = {
  regex: '(^|/)(rooms|commerce|orders|wecom|games|live-ops)/|(^|/)(domains|node)\\.ts$',
  message: 'The platform and the shared layers (core, transport, http, config, observability, auth) import no domain: the domains stand on them, not the other way round.',
};
const restrict = (paths, patterns = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });
const tests = ['**/*.test.ts', 'server/testing/**', 'client-widget/test/**'];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'client-widget/dist', 'client-widget/examples/miniprogram/roomcast', 'load/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      ...restrict([msgpackr]),
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: tests,
    rules: restrict([msgpackr, ioredis]),
  },
  {
    files: ['server/{platform,core,transport,http,config,observability,auth}/**/*.ts'],
    ignores: [...tests, 'server/platform/store/redis/**', 'server/platform/jobs/bullmq.ts'],
    rules: restrict([msgpackr, ioredis], [noDomain]),
  },
  {
    files: ['server/platform/store/redis/**/*.ts', 'server/platform/jobs/bullmq.ts'],
    ignores: tests,
    rules: restrict([msgpackr], [noDomain]),
  },
  {
    files: ['server/protocol/**/*.ts'],
    ignores: tests,
    rules: restrict([msgpackr], [protocolOnly]),
  },
  {
    files: ['server/protocol/codec.ts'],
    rules: restrict([], [protocolOnly]),
  },
  {
    // The widget ships to browsers and mini-programs. Its tests may start a server; the widget may not import one.
    files: ['client-widget/**/*.ts'],
    ignores: tests,
    rules: restrict([msgpackr], [
      { regex: '(^|/)server/(?!protocol/)', message: 'The widget imports nothing of the server outside server/protocol/.' },
      { regex: '(^|/)server/protocol/(ops|validate)(\\.ts)?$', message: 'server/protocol/ops.ts and validate.ts are zod schemas, for the server only.' },
    ]),
  },
  {
    // Mini-program code (the components, the example): CommonJS in WeChat's logic layer, whose globals are App, Component and wx.
    files: ['client-widget/miniprogram/**/*.js', 'client-widget/examples/miniprogram/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { App: 'readonly', Component: 'readonly', wx: 'readonly', require: 'readonly', module: 'writable', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read JSON answers field by field; typing every one would add noise, not safety.
    files: tests,
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['load/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
