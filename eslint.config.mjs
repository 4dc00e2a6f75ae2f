// ESLint flat config: typescript-eslint strict (type-checked) for the Node code, boundaries between libs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const libs = ['config', 'registry', 'queue', 'common', 'runtime', 'analyzer', 'gateway', 'sandbox'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.angular/**',
      'docker/**/*.py',
      '**/*.cjs',
      '**/jest.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // The legacy HTTP+SSE transport is a product requirement, and a gateway needs the low-level Server.
      '@typescript-eslint/no-deprecated': [
        'error',
        {
          allow: [
            {
              from: 'package',
              package: '@modelcontextprotocol/sdk',
              name: ['Server', 'SSEServerTransport', 'SSEClientTransport'],
            },
          ],
        },
      ],
      // Nest and TypeORM take plain option objects where their types name classes.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: libs.map((lib) => `**/libs/${lib}/**`),
              message: 'Import another lib through its public index: @mcp-router/<lib>.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '@mcp-router/*/src/**'],
              message: "A lib never imports an app, nor another lib's insides.",
            },
            {
              group: libs.map((lib) => `**/libs/${lib}/**`),
              message: 'Import another lib through its public index: @mcp-router/<lib>.',
            },
          ],
        },
      ],
    },
  },
  {
    // The Angular admin: a browser app with its own tsconfigs (DOM lib, bundler resolution, its specs on Jest).
    files: ['apps/admin/src/**/*.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: false,
        project: ['apps/admin/tsconfig.app.json', 'apps/admin/tsconfig.spec.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Angular validators and template handlers are static or arrow functions: passing them is safe. (Its specs
      // keep the relaxations of the next block.)
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'tests/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Tests may use a lib's test helpers (its src/testing folder) directly.
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
