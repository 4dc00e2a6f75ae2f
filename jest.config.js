/**
 * Jest: two projects.
 * - unit: `*.spec.ts` beside the source, no I/O beyond temp files.
 * - integration: `*.int-spec.ts` beside the source and `tests/**\/*.e2e-spec.ts`; real SQLite files, real Redis,
 *   the real Docker engine where a test says so.
 */
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
// ESM-only packages that Jest's CommonJS runtime must have transpiled.
const esmOnly = [
  '@octokit',
  'universal-user-agent',
  'before-after-hook',
  'bottleneck',
  'fast-content-type-parse',
  'json-with-bigint',
];

const libs = fs
  .readdirSync(path.join(__dirname, 'libs'))
  .filter((name) => fs.existsSync(path.join(__dirname, 'libs', name, 'src', 'index.ts')));
const moduleNameMapper = Object.fromEntries(
  libs.map((name) => [`^@mcp-router/${name}$`, `<rootDir>/libs/${name}/src/index.ts`]),
);

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/admin/'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.int-spec.ts', '<rootDir>/tests/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/support/integration-setup.ts'],
    },
    '<rootDir>/apps/admin/jest.config.js',
  ],
};
