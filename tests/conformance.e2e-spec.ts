import type { INestApplicationContext } from '@nestjs/common';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type AuthProxy, startAuthProxy } from './conformance/auth-proxy';
import { type ConformanceRun, runConformanceSuite } from './conformance/conformance-suite';
import { type ConformanceFixture, startConformanceFixture } from './conformance/fixture-server';
import { connectClient, createAndInstall, type ServerBody, startStack } from './support/mcp-servers';
import type { RunningApi, TestEnv } from './support/test-env';

function summary(label: string, run: ConformanceRun): string {
  const failed = run.failed.map((check) => `\n    ✗ ${check.key}: ${check.errorMessage ?? ''}`).join('');
  return `  ${label}: ${run.passed.length} checks pass, ${run.failed.length} fail${failed}`;
}

describe('MCP conformance suite (@modelcontextprotocol/conformance) directly and through /mcp/:server', () => {
  let fixture: ConformanceFixture;
  let testEnv: TestEnv;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let proxy: AuthProxy;
  let server: ServerBody;
  let key: string;
  let direct: ConformanceRun;
  let routed: ConformanceRun;

  beforeAll(async () => {
    fixture = await startConformanceFixture();
    const stack = await startStack({}, 'conformance');
    ({ testEnv, api, worker } = stack);
    const auth = stack.auth;
    key = stack.key.key;
    server = await createAndInstall(api.http, auth, {
      name: 'conformance',
      runtime: 'remote',
      transport: 'streamable-http',
      url: fixture.url,
    });
    // The suite's CLI cannot send headers: a local pass-through adds the API key and keeps Host and Origin.
    proxy = await startAuthProxy(api.url, `Bearer ${key}`);
    direct = await runConformanceSuite(fixture.url);
    routed = await runConformanceSuite(`${proxy.url}/mcp/conformance`);
    process.stderr.write(
      `Conformance suite, ${direct.checks.length} checks reported directly:\n` +
        `${summary('directly', direct)}\n${summary('through the router', routed)}\n`,
    );
  }, 240_000);

  afterAll(async () => {
    await proxy.close();
    await api.close();
    await worker.close();
    await fixture.close();
    await testEnv.cleanup();
  }, 60_000);

  it('installs the fixture as a remote server with its whole catalog', () => {
    expect(server).toMatchObject({ installState: { status: 'installed', error: null } });
    expect(server.toolCount).toBeGreaterThanOrEqual(15);
  });

  it('the fixture passes every check of every scenario when tested directly', () => {
    expect(direct.failed).toEqual([]);
    expect(direct.passed.length).toBeGreaterThanOrEqual(40);
    expect(new Set(direct.checks.map((check) => check.scenario)).size).toBeGreaterThanOrEqual(30);
  });

  it('every check that passes directly passes through the router too', () => {
    const routedPasses = new Set(routed.passed);
    const lost = direct.passed
      .filter((key) => !routedPasses.has(key))
      .map((key) => ({
        key,
        routed: routed.checks.find((check) => check.key === key)?.errorMessage ?? 'not reported',
      }));
    expect(lost).toEqual([]);
    expect(routed.passed.length).toBeGreaterThanOrEqual(direct.passed.length);
  });

  it('ends its session on the remote server when the client ends the router session', async () => {
    const { client, transport } = await connectClient(`${api.url}/mcp/conformance`, key);
    const before = fixture.sessionCount();
    const echoed = await client.callTool({ name: 'echo', arguments: { message: 'one session' } });
    expect(echoed.content).toEqual([{ type: 'text', text: 'Echo: one session' }]);
    expect(fixture.sessionCount()).toBe(before + 1);
    await (transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
    const deadline = Date.now() + 5000;
    while (fixture.sessionCount() > before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(fixture.sessionCount()).toBe(before);
  });
});
