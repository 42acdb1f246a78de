import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import appsync from '@aws-appsync/eslint-plugin';

/** APPSYNC_JS code: the `<Type>.<field>.ts` resolvers and the shared ids and paths they import (ADR 0009). */
const RESOLVER_FILES = ['graphql/resolvers/**/*.ts', 'lambdas/domain/paths.ts'];

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
    // Domain code stays free of AWS, Lambda and the layers around it, at any depth: it must run
    // anywhere and be tested without mocks. A test in test/unit/lint pins that these fire.
    files: ['lambdas/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@aws-sdk/*',
                '@smithy/*',
                '@aws-lite/*',
                '@aws-lambda-powertools/*',
                'aws-lambda',
                'aws-cdk-lib',
                'aws-cdk-lib/*',
                'constructs',
              ],
              message:
                'Domain code has no AWS, Lambda or CDK imports: put it behind a port in lambdas/adapters.',
            },
            {
              group: ['**/adapters', '**/adapters/**', '**/handlers', '**/handlers/**', '**/functions/**'],
              message:
                'Domain code does not import adapters, handlers or function entries: depend on a port.',
            },
            {
              group: ['**/local/**', '**/lib/**', '**/bin/**', '**/bench/**'],
              message: 'Domain code does not import the local runtime, CDK, CLIs or benchmarks.',
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
    files: RESOLVER_FILES,
    languageOptions: {
      ...appsync.configs.recommended.languageOptions,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  prettier,
);
