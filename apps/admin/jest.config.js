/**
 * Jest for the Angular admin (jest-preset-angular, jsdom, zoneless). Run alone with
 * `npx jest -c apps/admin/jest.config.js`, or add this file to the root config's `projects`.
 */
const { createCjsPreset } = require('jest-preset-angular/presets');

/** @type {import('jest').Config} */
module.exports = {
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  displayName: 'admin',
  rootDir: __dirname,
  // jest-environment-jsdom is not installed; the preset ships a jsdom environment of its own (jsdom is installed).
  testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/../../dist/'],
};
