import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'client-widget/dist', 'load/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', {
        paths: [{ name: 'msgpackr', message: 'Only server/protocol/codec.ts touches msgpackr.' }],
      }],
    },
  },
  {
    // Tests read JSON answers field by field; typing every one would add noise, not safety.
    files: ['**/*.test.ts', 'server/testing/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['server/protocol/codec.ts', 'load/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
