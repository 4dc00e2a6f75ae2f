'use strict';
/**
 * Runs a TypeScript file of this repository directly, without a build step:
 *
 *   node scripts/run-ts.cjs <file.ts> [args...]
 *
 * For scripts such as benchmarks that boot the real api or worker. It installs a CommonJS require hook that compiles
 * every `.ts` file on the fly with @swc/core, using the repository's `.swcrc` (legacy decorators and their metadata,
 * as Nest needs; CommonJS output; inline source maps, so stack traces point at the TypeScript lines), and it resolves
 * the `@mcp-router/<lib>` imports to `libs/<lib>/src/index.ts` like the tsconfig paths and the Jest mapper do.
 * Types are not checked: run `npx tsc --noEmit -p tsconfig.json` for that.
 *
 * Notes:
 * - Node's own TypeScript support (type stripping) cannot run this code (decorators, parameter properties): this
 *   hook replaces it for `.ts` files loaded through `require`, which is how compiled CommonJS code loads them.
 * - ESM-only packages (@octokit/*) load through Node's `require(esm)` (Node 22.12 and later).
 * - `process.argv` is shifted so that the script sees `[node, <file.ts>, ...args]`, as if run directly.
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const swcOptions = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcOptions.$schema;

const libsDir = path.join(root, 'libs');
/** `@mcp-router/<lib>` → absolute path of the lib's public index. */
const aliases = new Map(
  fs
    .readdirSync(libsDir)
    .filter((name) => fs.existsSync(path.join(libsDir, name, 'src', 'index.ts')))
    .map((name) => [`@mcp-router/${name}`, path.join(libsDir, name, 'src', 'index.ts')]),
);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveWithAliases(request, parent, isMain, options) {
  const alias = aliases.get(request);
  return resolveFilename.call(this, alias ?? request, parent, isMain, options);
};

/** Compiles one TypeScript file to CommonJS; the result is what Node runs. */
function compile(source, filename) {
  return transformSync(source, {
    ...swcOptions,
    swcrc: false,
    configFile: false,
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
  }).code;
}

// Registering the extension also makes extension-less relative imports ('./foo') find './foo.ts'.
Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(compile(fs.readFileSync(filename, 'utf8'), filename), filename);
};

process.setSourceMapsEnabled(true);

const [, , target, ...args] = process.argv;
if (!target) {
  process.stderr.write('usage: node scripts/run-ts.cjs <file.ts> [args...]\n');
  process.exit(2);
}
const entry = path.resolve(target);
process.argv = [process.argv[0], entry, ...args];
require(entry);
