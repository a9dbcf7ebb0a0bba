import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const msgpackrInCodecOnly = { name: 'msgpackr', message: 'Only server/protocol/codec.ts touches msgpackr.' };
/** server/protocol/ is what the server and the widget share: its own files, msgpackr and zod, nothing else. */
const protocolImportsOnly = {
  regex: '^(?!\\./|(msgpackr|zod)(/|$))',
  message: 'server/protocol/ imports only its own files and the packages msgpackr and zod: no node: modules, no Redis, no other server folder.',
};

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'client-widget/dist', 'load/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [msgpackrInCodecOnly] }],
    },
  },
  {
    // The widget ships to browsers and mini-programs. Its tests may start a server; the widget may not import one.
    files: ['client-widget/**/*.ts'],
    ignores: ['client-widget/test/**', 'client-widget/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [msgpackrInCodecOnly],
        patterns: [
          { regex: '(^|/)server/(?!protocol/)', message: 'The widget imports nothing of the server outside server/protocol/.' },
          { regex: '(^|/)server/protocol/(ops|validate)(\\.ts)?$', message: 'server/protocol/ops.ts and validate.ts are zod schemas, for the server only.' },
        ],
      }],
    },
  },
  {
    files: ['server/protocol/**/*.ts'],
    ignores: ['server/protocol/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [msgpackrInCodecOnly], patterns: [protocolImportsOnly] }] },
  },
  {
    files: ['server/protocol/codec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [protocolImportsOnly] }] },
  },
  {
    // Tests read JSON answers field by field; typing every one would add noise, not safety.
    files: ['**/*.test.ts', 'server/testing/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['load/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
