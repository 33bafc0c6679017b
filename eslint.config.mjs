import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'jest.config.js', 'test/brokers/jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '../index', message: 'Nothing imports src/index.ts.' }] },
      ],
    },
  },
  {
    files: ['src/pipeline/**/*.ts', 'src/routing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['mqtt', 'aedes', '../app/*', '../decorators/*', '../integrations/*'],
              message: 'pipeline and routing stay free of mqtt and app wiring (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/retry/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['mqtt', 'aedes', '../app/*', '../decorators/*', '../integrations/*', '../pipeline/*'],
              message:
                'retry depends on transport types only; the pipeline and the app use it (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
);
