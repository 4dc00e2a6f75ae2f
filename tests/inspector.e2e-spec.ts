import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { type ConformanceFixture, startConformanceFixture } from './conformance/fixture-server';
import { createAndInstall, startStack } from './support/mcp-servers';
import type { RunningApi, TestEnv } from './support/test-env';

/** The Inspector's launcher; `--cli` selects its scriptable command-line client. */
const INSPECTOR = join(
  __dirname,
  '..',
  'node_modules',
  '@modelcontextprotocol',
  'inspector',
  'clients',
  'launcher',
  'build',
  'index.js',
);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the MCP Inspector CLI (argv array, no shell) with `home` as its HOME (it keeps state in ~/.mcp-inspector).
 * Asynchronous on purpose: the router under test runs in this process and must keep answering.
 */
function inspector(args: string[], home: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [INSPECTOR, '--cli', ...args],
      { env: { ...process.env, HOME: home, NO_COLOR: '1' }, timeout: 60_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('MCP Inspector CLI against the router', () => {
  let fixture: ConformanceFixture;
  let testEnv: TestEnv;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let key: string;
  let home: string;

  beforeAll(async () => {
    fixture = await startConformanceFixture();
    const stack = await startStack({}, 'inspector');
    ({ testEnv, api, worker } = stack);
    const auth = stack.auth;
    key = stack.key.key;
    await createAndInstall(api.http, auth, {
      name: 'fixture',
      runtime: 'remote',
      transport: 'streamable-http',
      url: fixture.url,
    });
    home = mkdtempSync(join(tmpdir(), 'mcpr-inspector-home-'));
  }, 120_000);

  afterAll(async () => {
    await api.close();
    await worker.close();
    await fixture.close();
    await testEnv.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 60_000);

  const connection = (path: string): string[] => [
    `${api.url}${path}`,
    '--transport',
    'http',
    '--header',
    `Authorization: Bearer ${key}`,
  ];

  it('lists the namespaced tools of /mcp', async () => {
    const run = await inspector([...connection('/mcp'), '--method', 'tools/list'], home);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const listed = JSON.parse(run.stdout) as { tools: { name: string; description?: string }[] };
    expect(listed.tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['fixture__echo', 'fixture__test_simple_text', 'fixture__test_sampling']),
    );
    expect(listed.tools.find((tool) => tool.name === 'fixture__echo')?.description).toBe('Echoes the message back');
  }, 90_000);

  it('calls fixture__echo through /mcp and shows its answer', async () => {
    const run = await inspector(
      [...connection('/mcp'), '--method', 'tools/call', '--tool-name', 'fixture__echo', '--tool-arg', 'message=hi'],
      home,
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ content: [{ type: 'text', text: 'Echo: hi' }] });
  }, 90_000);

  it('calls echo by its own name at /mcp/fixture', async () => {
    const run = await inspector(
      [...connection('/mcp/fixture'), '--method', 'tools/call', '--tool-name', 'echo', '--tool-arg', 'message=alone'],
      home,
    );
    expect(run).toMatchObject({ code: 0 });
    expect(JSON.parse(run.stdout)).toEqual({ content: [{ type: 'text', text: 'Echo: alone' }] });
  }, 90_000);

  it('is refused without the API key, with the reason the router gives', async () => {
    // --stored-auth-only: the CLI would otherwise start an interactive OAuth flow on the 401.
    const run = await inspector(
      [`${api.url}/mcp`, '--transport', 'http', '--stored-auth-only', '--method', 'tools/list'],
      home,
    );
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Unauthorized: send Authorization: Bearer');
  }, 90_000);
});
