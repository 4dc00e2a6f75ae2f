/**
 * Jest for the Angular admin (jest-preset-angular, jsdom, zoneless). Run alone with
 * `npx jest -c apps/admin/jest.config.js`; it is also a project of the root config (`npm test`).
 *
 * Angular ships only ES modules (`.mjs`). Under `--experimental-vm-modules` (how `npm test` runs Jest) Jest loads every
 * `.mjs` file as an ES module, so the CommonJS preset cannot work there: the ESM preset is used instead. Without the
 * flag, the CommonJS preset. Specs import `jest` from `@jest/globals`, which works in both.
 */
const { SourceTextModule } = require('node:vm');
const { createCjsPreset, createEsmPreset } = require('jest-preset-angular/presets');

const vmModules = typeof SourceTextModule === 'function';
const createPreset = vmModules ? createEsmPreset : createCjsPreset;

/** @type {import('jest').Config} */
module.exports = {
  ...createPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  displayName: 'admin',
  rootDir: __dirname,
  // jest-environment-jsdom is not installed; the preset ships a jsdom environment of its own (jsdom is installed).
  testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/../../dist/'],
};
