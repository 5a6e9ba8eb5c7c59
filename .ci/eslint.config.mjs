import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The parser corpus is third-party code kept verbatim as test input.
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/**/corpus/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
);
