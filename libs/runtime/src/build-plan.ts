import { createHash } from 'node:crypto';
import { InvalidServerSpecError, NothingToRunError } from './runtime.errors';
import { isExecutableName, isImageRef, parseNpmPackage, parsePythonPackage, pythonRequirement } from './package-ref';
import { SERVER_NAME_PATTERN, type ServerSpec } from './server-spec';

/** The files of an image build: the Dockerfile and the helper files it copies, all small text. */
export interface BuildContext {
  dockerfile: string;
  /** Extra files of the context by relative name (no folders). */
  files: Record<string, string>;
}

/** Settings of image builds that are not part of a server's plan (they do not change its image tag). */
export interface BuildSettings {
  /** The network builds run in (`BUILD_NETWORK`): `host` where the engine has no NAT; engine default when unset. */
  network?: string;
  /** The Python package index uvx builds install from (a PEP 503 "simple" URL). Default: PyPI. */
  pythonIndexUrl?: string;
}

/** The Python package index used when {@link BuildSettings.pythonIndexUrl} is unset. */
export const DEFAULT_PYTHON_INDEX_URL = 'https://pypi.org/simple';
/** The uv release uvx images install (from the configured index) to install the server's package. */
export const UV_VERSION = '0.9.5';
/** Where the runtime images keep their helpers; `server` in it is the link to the executable the image runs. */
export const RUNTIME_DIR = '/opt/mcp-router';
/** The uid:gid every server process runs as (the `node` user of the Node image, `mcp` in the uvx image). */
export const RUNTIME_USER = '1000:1000';
/** The home folder of the server process: a tmpfs in every container. */
export const RUNTIME_HOME = '/home/mcp';

const IMAGE_PREFIX = 'mcp-router/srv-';

/**
 * The build of a server's image: its Dockerfile and helper files; `null` for `docker` (the given image is run as is)
 * and `remote` (nothing runs locally). Only validated names reach the Dockerfile, and only inside exec-form JSON
 * arrays: no shell ever parses them. Arguments and environment are not part of the image (they are given to each
 * container), so editing them never needs a rebuild.
 * @throws {InvalidServerSpecError} when the name, package or executable does not match its strict pattern.
 */
export function buildContextFor(spec: ServerSpec): BuildContext | null {
  switch (spec.runtime) {
    case 'npx':
      return npxContext(spec);
    case 'uvx':
      return uvxContext(spec);
    case 'docker':
    case 'remote':
      return null;
  }
}

/**
 * The Dockerfile of a server's image (see {@link buildContextFor}); `null` when the server needs no build.
 * @throws {InvalidServerSpecError} as {@link buildContextFor}.
 */
export function dockerfileFor(spec: ServerSpec): string | null {
  return buildContextFor(spec)?.dockerfile ?? null;
}

/**
 * A short hash (12 hex digits of sha256) of everything that shapes a server's image: the generated build context,
 * which itself is a function of the runtime, the normalized package and the executable only. The same plan gives
 * the same hash, so an image already built is reused; a change of the templates gives a new one.
 * @throws {InvalidServerSpecError} as {@link buildContextFor}; {@link NothingToRunError} for docker/remote servers.
 */
export function planHashFor(spec: ServerSpec): string {
  const context = buildContextFor(spec);
  if (!context) throw new NothingToRunError(`server ${spec.name} (${spec.runtime}) has no image to build`);
  const hash = createHash('sha256').update(context.dockerfile);
  for (const name of Object.keys(context.files).sort()) {
    hash.update(`\0${name}\0`).update(context.files[name] ?? '');
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * The image a server's containers run: `mcp-router/srv-<name>:<plan hash>` for npx/uvx, the given image for docker.
 * @throws {InvalidServerSpecError} on a bad name, package or image; {@link NothingToRunError} for a remote server.
 */
export function imageTagFor(spec: ServerSpec): string {
  if (spec.runtime === 'remote') throw new NothingToRunError(`server ${spec.name} is remote: it has no image`);
  if (spec.runtime === 'docker') {
    if (spec.image === undefined || !isImageRef(spec.image)) {
      throw new InvalidServerSpecError(['image: must be a Docker image reference']);
    }
    return spec.image;
  }
  return `${IMAGE_PREFIX}${spec.name}:${planHashFor(spec)}`;
}

/**
 * The build arguments of a server's image build: settings that may differ between machines (the Python index),
 * deliberately kept out of the Dockerfile so they do not change the image tag.
 */
export function buildArgsFor(spec: ServerSpec, settings: BuildSettings): Record<string, string> {
  return spec.runtime === 'uvx' ? { UV_INDEX_URL: settings.pythonIndexUrl ?? DEFAULT_PYTHON_INDEX_URL } : {};
}

function assertName(spec: ServerSpec): void {
  if (!SERVER_NAME_PATTERN.test(spec.name)) {
    throw new InvalidServerSpecError(['name: must be a slug: a-z, 0-9 and "-", at most 32 characters']);
  }
  if (spec.bin !== undefined && !isExecutableName(spec.bin)) {
    throw new InvalidServerSpecError(['bin: must be an executable name (letters, digits, ".", "_", "-")']);
  }
}

/** One Dockerfile instruction in exec form: a JSON array, which the Dockerfile parser never hands to a shell. */
function exec(instruction: 'RUN' | 'ENTRYPOINT', argv: string[]): string {
  return `${instruction} ${JSON.stringify(argv)}`;
}

function npxContext(spec: ServerSpec): BuildContext {
  assertName(spec);
  const ref = spec.package === undefined ? null : parseNpmPackage(spec.package);
  if (!ref) throw new InvalidServerSpecError(['package: must be an npm package: name[@version]']);
  const installSpec = `${ref.name}@${ref.version ?? 'latest'}`;
  const dockerfile = [
    `# MCP Router runtime image for the npm package ${installSpec} (generated by @mcp-router/runtime).`,
    'FROM node:24-trixie-slim',
    'ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false',
    `COPY resolve-bin.cjs ${RUNTIME_DIR}/resolve-bin.cjs`,
    '# npm resolves the version (the newest matching the spec) at build time; the build log names it.',
    exec('RUN', ['npm', 'install', '--global', '--omit=dev', '--no-audit', '--no-fund', installSpec]),
    exec('RUN', ['node', `${RUNTIME_DIR}/resolve-bin.cjs`, ref.name, spec.bin ?? '']),
    `USER ${RUNTIME_USER}`,
    `WORKDIR ${RUNTIME_HOME}`,
    `ENV HOME=${RUNTIME_HOME}`,
    '# node runs the package executable directly: no npx, no shell at start.',
    exec('ENTRYPOINT', ['node', `${RUNTIME_DIR}/server`]),
    '',
  ].join('\n');
  return { dockerfile, files: { 'resolve-bin.cjs': RESOLVE_BIN_CJS } };
}

function uvxContext(spec: ServerSpec): BuildContext {
  assertName(spec);
  const ref = spec.package === undefined ? null : parsePythonPackage(spec.package);
  if (!ref) throw new InvalidServerSpecError(['package: must be a PyPI package: name[extras][==version]']);
  const command = spec.bin ?? ref.name;
  if (!isExecutableName(command)) throw new InvalidServerSpecError(['bin: must be an executable name']);
  const uv = `${RUNTIME_DIR}/uv/bin/uv`;
  const venvPython = `${RUNTIME_DIR}/venv/bin/python`;
  const dockerfile = [
    `# MCP Router runtime image for the PyPI package ${pythonRequirement(ref)} (generated by @mcp-router/runtime).`,
    'FROM debian:trixie-slim',
    'ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never UV_HTTP_TIMEOUT=20',
    '# Python from Debian (its archive is reachable wherever apt works); a user for the server.',
    'RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \\',
    '    && rm -rf /var/lib/apt/lists/* \\',
    `    && useradd --uid 1000 --user-group --no-create-home --home-dir ${RUNTIME_HOME} mcp`,
    '# The index packages come from: a build argument, so a mirror does not change the image tag.',
    `ARG UV_INDEX_URL=${DEFAULT_PYTHON_INDEX_URL}`,
    `COPY check-index.py link-command.py ${RUNTIME_DIR}/`,
    '# Fail in seconds, naming the index, when it cannot be reached (instead of retrying for minutes).',
    exec('RUN', ['python3', `${RUNTIME_DIR}/check-index.py`]),
    '# uv itself comes from the same index: the one network dependency of the build.',
    `RUN python3 -m venv ${RUNTIME_DIR}/uv \\`,
    `    && ${RUNTIME_DIR}/uv/bin/pip install --no-cache-dir --disable-pip-version-check --timeout 20 --retries 1 \\`,
    `       --index-url "$UV_INDEX_URL" uv==${UV_VERSION}`,
    exec('RUN', [uv, 'venv', '--python', '/usr/bin/python3', `${RUNTIME_DIR}/venv`]),
    exec('RUN', [uv, 'pip', 'install', '--python', venvPython, pythonRequirement(ref)]),
    exec('RUN', [venvPython, `${RUNTIME_DIR}/link-command.py`, command]),
    `USER ${RUNTIME_USER}`,
    `WORKDIR ${RUNTIME_HOME}`,
    `ENV HOME=${RUNTIME_HOME}`,
    exec('ENTRYPOINT', [`${RUNTIME_DIR}/server`]),
    '',
  ].join('\n');
  return { dockerfile, files: { 'check-index.py': CHECK_INDEX_PY, 'link-command.py': LINK_COMMAND_PY } };
}

/**
 * Build-time helper of npx images: finds the executable of the globally installed package the way npx picks it,
 * refuses anything that is not a Node.js script, and links it to `/opt/mcp-router/server`.
 */
export const RESOLVE_BIN_CJS = `'use strict';
// Generated by @mcp-router/runtime: runs once, at image build time.
const fs = require('node:fs');
const path = require('node:path');

// argv: package name, wanted executable ('' = npx's choice), and (for tests) the global node_modules folder.
const [name, wanted, globalRoot] = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write('mcp-router: ' + message + '\\n');
  process.exit(1);
};
const root = path.join(globalRoot || path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules'), name);
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const unscoped = name.includes('/') ? name.slice(name.indexOf('/') + 1) : name;
const bins = typeof manifest.bin === 'string' ? { [unscoped]: manifest.bin } : manifest.bin || {};
const names = Object.keys(bins);
if (names.length === 0) fail(name + '@' + manifest.version + ' has no executable (no "bin" in its package.json)');
let chosen = wanted;
if (!chosen) {
  if (names.length === 1) chosen = names[0];
  else if (names.includes(unscoped)) chosen = unscoped;
  else fail(name + ' has several executables (' + names.join(', ') + '): choose one as the server\\'s bin');
}
if (!Object.hasOwn(bins, chosen)) fail(name + ' has no executable "' + chosen + '"; it has: ' + names.join(', '));
const target = path.resolve(root, bins[chosen]);
if (!target.startsWith(root + path.sep) || !fs.statSync(target).isFile()) {
  fail('the executable "' + chosen + '" of ' + name + ' is not a file inside the package');
}
const head = fs.readFileSync(target, 'utf8').slice(0, 200);
const isNode = /\\.[cm]?js$/.test(target) || /^#!.*\\bnode\\b/.test(head) || !head.startsWith('#!');
if (!isNode) fail('the executable "' + chosen + '" of ' + name + ' is not a Node.js script');
fs.symlinkSync(target, path.join(__dirname, 'server'));
process.stdout.write('mcp-router: ' + name + '@' + manifest.version + ' runs "' + chosen + '" = ' + target + '\\n');
`;

/** Build-time helper of uvx images: fails fast, naming the index (credentials hidden), when it is unreachable. */
export const CHECK_INDEX_PY = `# Generated by @mcp-router/runtime: runs once, at image build time.
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

index = os.environ.get("UV_INDEX_URL") or "${DEFAULT_PYTHON_INDEX_URL}"
parts = urllib.parse.urlsplit(index)
shown = urllib.parse.urlunsplit((parts.scheme, parts.hostname or "", parts.path, "", "")) if parts.username else index
probe = index.rstrip("/") + "/pip/"
try:
    with urllib.request.urlopen(probe, timeout=10) as response:
        response.read(1)
except urllib.error.HTTPError as error:
    if error.code in (401, 403):
        sys.exit(f"mcp-router: the Python package index {shown} refused access (HTTP {error.code})")
except (urllib.error.URLError, OSError, ValueError) as error:
    reason = getattr(error, "reason", error)
    sys.exit(f"mcp-router: the Python package index {shown} is unreachable: {reason}")
print(f"mcp-router: Python package index {shown} reachable")
`;

/** Build-time helper of uvx images: links the package's console script to `/opt/mcp-router/server`. */
export const LINK_COMMAND_PY = `# Generated by @mcp-router/runtime: runs once, at image build time.
import os
import sys

command = sys.argv[1]
bin_dir = os.path.join(sys.prefix, "bin")
target = os.path.join(bin_dir, command)
if not os.path.isfile(target):
    found = sorted(n for n in os.listdir(bin_dir) if not n.startswith(("python", "pip", "activate", "Activate")))
    sys.exit(f"mcp-router: the package installs no command {command!r}; it installs: {', '.join(found) or 'none'}")
os.symlink(target, os.path.join(os.path.dirname(os.path.abspath(__file__)), "server"))
print(f"mcp-router: runs {target}")
`;
