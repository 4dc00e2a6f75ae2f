import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig } from '@mcp-router/config';
import { DockerRepository, RUNTIME_LABELS } from '@mcp-router/runtime';
import { SANDBOX_SERVER_ID, SandboxImageService } from '@mcp-router/sandbox';
import { loginHeader, makeTestEnv, type RunningApi, startApi, type TestEnv } from './support/test-env';

// The python_sandbox tool through the whole stack: the api's MCP endpoint (streamable HTTP, API key), the gateway,
// the SandboxService, a real sandbox container per session on the real Docker engine, and real Redis.

const BUILD_TIMEOUT_MS = 20 * 60_000;
// Each test starts a container (1-2 s) and some run for several seconds more; the projects' testTimeout is not applied.
jest.setTimeout(60_000);
const docker = new DockerRepository();

interface Session {
  client: Client;
  transport: StreamableHTTPClientTransport;
  id: string;
}

function texts(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : `[${item.type}]`)).join('\n');
}

describe('python_sandbox (e2e)', () => {
  let testEnv: TestEnv;
  let api: RunningApi;
  let apiKey: string;
  let instanceId: string;
  let sessions: Session[] = [];

  const connect = async (): Promise<Session> => {
    const transport = new StreamableHTTPClientTransport(new URL(`${api.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
    });
    const client = new Client({ name: 'sandbox-e2e', version: '1.0.0' });
    await client.connect(transport);
    const session = { client, transport, id: transport.sessionId ?? '' };
    sessions.push(session);
    return session;
  };

  const run = async (session: Session, code: string, timeoutS?: number): Promise<CallToolResult> =>
    (await session.client.callTool({
      name: 'python_sandbox',
      arguments: timeoutS === undefined ? { code } : { code, timeout_s: timeoutS },
    })) as CallToolResult;

  const containersOf = (sessionId: string) => docker.listContainers({ [RUNTIME_LABELS.session]: sessionId });

  beforeAll(async () => {
    instanceId = `sandbox-e2e-${randomBytes(4).toString('hex')}`;
    testEnv = makeTestEnv({ INSTANCE_ID: instanceId, SANDBOX_WARM_POOL: '0' });
    // Building the image (when it is missing) needs a network with NAT: on these machines, the host's.
    const { config } = loadConfig({ ...testEnv.env, BUILD_NETWORK: process.env.BUILD_NETWORK ?? 'host' });
    await new SandboxImageService(docker, config).ensureImage();
    api = await startApi(testEnv.env);
    const auth = await loginHeader(api.http);
    const created = await api.http
      .post('/api/keys')
      .set('Authorization', auth)
      .send({ name: 'sandbox-e2e' })
      .expect(201);
    apiKey = created.body.key;
  }, BUILD_TIMEOUT_MS);

  afterEach(async () => {
    for (const session of sessions) {
      await session.transport.terminateSession().catch(() => undefined);
      await session.client.close();
    }
    sessions = [];
  });

  afterAll(async () => {
    await api.close();
    // The api removes its containers on shutdown; anything left would be a leak (and is removed all the same).
    const leftovers = await docker.listContainers({ [RUNTIME_LABELS.instance]: instanceId });
    await Promise.all(leftovers.map((container) => docker.removeContainer(container.id)));
    await testEnv.cleanup();
    expect(leftovers).toEqual([]);
  });

  it('lists python_sandbox and python_sandbox_reset though no server is installed', async () => {
    const session = await connect();

    const { tools } = await session.client.listTools();

    expect(tools.map((tool) => tool.name)).toEqual(['python_sandbox', 'python_sandbox_reset']);
    expect(tools[0]?.description).toMatch(/pandas.*State persists.*no network/s);
  });

  it('keeps variables between calls of a session', async () => {
    const session = await connect();

    const first = await run(session, "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3]})\ndf.a.sum()");
    const second = await run(session, 'df.a.mean(), len(df)');

    expect(first).toEqual({ content: [{ type: 'text', text: 'result:\n6' }], isError: false });
    expect(texts(second)).toBe('result:\n(2.0, 3)');
    const containers = await containersOf(session.id);
    expect(containers).toEqual([
      expect.objectContaining({
        state: 'running',
        labels: expect.objectContaining({
          [RUNTIME_LABELS.managed]: 'true',
          [RUNTIME_LABELS.server]: SANDBOX_SERVER_ID,
          [RUNTIME_LABELS.instance]: instanceId,
        }),
      }),
    ]);
  });

  it('returns a seaborn plot as a PNG image', async () => {
    const session = await connect();

    const result = await run(
      session,
      "import seaborn as sns\nimport pandas as pd\nsns.histplot(pd.DataFrame({'x': [1, 2, 2, 3, 3, 3]}), x='x');",
    );

    expect(result.isError).toBe(false);
    const image = result.content.find((item) => item.type === 'image');
    expect(image).toMatchObject({ type: 'image', mimeType: 'image/png' });
    const png = Buffer.from(image?.type === 'image' ? image.data : '', 'base64');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(1024);
  });

  it('stops an endless loop at timeout_s and the next call works', async () => {
    const session = await connect();
    await run(session, 'kept = 41');

    const started = performance.now();
    const result = await run(session, 'while True: pass', 2);
    const elapsedMs = performance.now() - started;

    expect(result.isError).toBe(true);
    expect(texts(result)).toContain('Timeout: timed out after 2 s');
    expect(elapsedMs).toBeLessThan(3_500);
    expect(texts(await run(session, 'kept + 1'))).toBe('result:\n42');
  });

  it('interrupts a running call when the client cancels it', async () => {
    const session = await connect();
    const controller = new AbortController();

    const cancelled = session.client.callTool(
      { name: 'python_sandbox', arguments: { code: 'while True: pass' } },
      undefined,
      {
        signal: controller.signal,
      },
    );
    setTimeout(() => {
      controller.abort();
    }, 500);
    await expect(cancelled).rejects.toThrow(/abort/i);
    const started = performance.now();
    const next = await run(session, '1 + 1');

    // Without the interrupt the kernel would still be busy with the loop for its 30 s timeout.
    expect(texts(next)).toBe('result:\n2');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('has no network', async () => {
    const session = await connect();

    const result = await run(session, "import urllib.request\nurllib.request.urlopen('http://example.com', timeout=5)");

    expect(result.isError).toBe(true);
    expect(texts(result)).toMatch(/URLError/);
  });

  it('keeps sessions apart', async () => {
    const alice = await connect();
    const bob = await connect();

    await run(alice, "secret = 'alice'");
    const peek = await run(bob, 'secret');

    expect(peek.isError).toBe(true);
    expect(texts(peek)).toContain("NameError: name 'secret' is not defined");
    expect(texts(await run(alice, 'secret'))).toBe("result:\n'alice'");
    const [aliceContainers, bobContainers] = await Promise.all([containersOf(alice.id), containersOf(bob.id)]);
    expect(aliceContainers).toHaveLength(1);
    expect(bobContainers).toHaveLength(1);
    expect(aliceContainers[0]?.id).not.toBe(bobContainers[0]?.id);
  });

  it('removes the container when the session closes', async () => {
    const session = await connect();
    await run(session, 'x = 1');
    expect(await containersOf(session.id)).toHaveLength(1);

    await session.transport.terminateSession();

    expect(await containersOf(session.id)).toEqual([]);
  });

  it('starts over on python_sandbox_reset', async () => {
    const session = await connect();
    await run(session, 'x = 1');
    const [before] = await containersOf(session.id);

    const reset = (await session.client.callTool({ name: 'python_sandbox_reset', arguments: {} })) as CallToolResult;
    const after = await run(session, 'x');

    expect(reset.isError).toBeFalsy();
    expect(texts(reset)).toMatch(/reset/);
    expect(texts(after)).toContain("NameError: name 'x' is not defined");
    const containers = await containersOf(session.id);
    expect(containers.map((container) => container.id)).not.toContain(before?.id);
  });

  it('survives a fork bomb with a clear error', async () => {
    const session = await connect();
    await run(session, 'kept = "still here"');

    const result = await run(session, 'import os\nwhile True:\n    os.fork()', 60);

    expect(result.isError).toBe(true);
    expect(texts(result)).toMatch(/BlockingIOError: .*Resource temporarily unavailable/);
    expect(texts(await run(session, 'kept'))).toBe("result:\n'still here'");
  });

  it('survives a memory bomb with a clear error', async () => {
    const session = await connect();
    await run(session, 'kept = "still here"');

    const result = await run(session, 'blocks = []\nwhile True:\n    blocks.append(bytearray(10**7))', 60);

    expect(result.isError).toBe(true);
    expect(texts(result)).toMatch(/MemoryError.*out of memory/s);
    expect(texts(await run(session, 'del blocks\nkept'))).toBe("result:\n'still here'");
  });

  it('replaces an OOM-killed kernel and says so in the next result', async () => {
    const session = await connect();
    // Files in the tmpfs workspace count against the container's memory but not against the kernel's address-space
    // limit: together with a large allocation they get the container OOM-killed instead of raising MemoryError.
    const bomb = [
      'import numpy as np',
      "with open('fill', 'wb') as f:",
      '    for _ in range(250):',
      "        f.write(b'x' * 2**20)",
      'blocks = []',
      'while True:',
      '    blocks.append(np.ones(2**24))',
    ].join('\n');

    const killed = await run(session, bomb, 60);
    const next = await run(session, '1 + 1');

    expect(killed.isError).toBe(true);
    expect(texts(killed)).toMatch(/ran out of memory \(limit 1024 MiB\) and was killed/);
    expect(next.isError).toBe(false);
    expect(texts(next)).toMatch(/^note:\nThe previous kernel was restarted: it ran out of memory/);
    expect(texts(next)).toMatch(/result:\n2$/);
  });

  it('replaces a kernel that was killed between calls, and says so', async () => {
    const session = await connect();
    await run(session, 'x = 1');
    const [container] = await containersOf(session.id);

    await docker.killContainer(container!.id);
    await docker.waitForExit(container!.id);
    const next = await run(session, "'x' in globals()");

    expect(texts(next)).toMatch(
      /^note:\nThe previous kernel was restarted: it exited unexpectedly \(exit code 137\)\./,
    );
    expect(texts(next)).toMatch(/result:\nFalse$/);
    expect((await containersOf(session.id)).map((each) => each.id)).not.toContain(container!.id);
  });
});
