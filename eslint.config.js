import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import appsync from '@aws-appsync/eslint-plugin';

/** APPSYNC_JS code: the `<Type>.<field>.ts` resolvers and the helpers they import (ADR 0009). */
const RESOLVER_FILES = 'graphql/resolvers/**/*.ts';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', '.build/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // Domain code stays free of AWS: it must run anywhere and be tested without mocks.
    files: ['lambdas/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', '../adapters/*', '../handlers/*'],
              message: 'Domain code has no AWS or adapter imports.',
            },
          ],
        },
      ],
    },
  },
  {
    // AppSync's own rules for the APPSYNC_JS runtime (no regex literals, try/catch, classes, async,
    // disallowed built-ins, recursion, functions passed as values, ...). The recommended set needs
    // type information: the project service gives it from tsconfig.json, which includes graphql/.
    ...appsync.configs.recommended,
    files: [RESOLVER_FILES],
    languageOptions: {
      ...appsync.configs.recommended.languageOptions,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  prettier,
);
