import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ContainerRunner, type RunningContainer } from './container-runner';
import { DockerRepository } from './docker.repository';
import { ImageBuilder } from './image-builder';
import { probeServer } from './probe';
import { ProbeTimeoutError, UnsupportedTransportError } from './runtime.errors';
import type { RuntimeLogger } from './runtime-logger';
import type { ServerSpec } from './server-spec';

function everything(overrides: Partial<ServerSpec> = {}): ServerSpec {
  return {
    id: `int-${randomUUID()}`,
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

/** A server that is just `node -e <script>` in the stock Node image. */
function nodeScript(script: string, overrides: Partial<ServerSpec> = {}): ServerSpec {
  return everything({
    name: 'script',
    runtime: 'docker',
    package: undefined,
    image: 'node:24-trixie-slim',
    args: ['node', '-e', script],
    ...overrides,
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe(ContainerRunner.name, () => {
  const instanceId = `int-test-${randomUUID()}`;
  const docker = new DockerRepository();
  const logLines: string[] = [];
  const logger: RuntimeLogger = { warn: (line) => logLines.push(line), debug: (line) => logLines.push(line) };
  const sut = new ContainerRunner(docker, { instanceId, logger, stopTimeoutSeconds: 2 });
  let running: RunningContainer[] = [];

  async function start(spec: ServerSpec): Promise<RunningContainer> {
    const container = await sut.start(spec, { sessionId: `sess-${randomUUID()}` });
    running.push(container);
    return container;
  }

  async function connect(container: RunningContainer): Promise<Client> {
    const client = new Client({ name: 'int-test', version: '1.0.0' });
    await client.connect(container.transport, { timeout: 30_000 });
    return client;
  }

  beforeAll(async () => {
    await docker.ping();
    await new ImageBuilder(docker, { network: 'host' }).ensureImage(everything());
  }, 600_000);

  afterEach(async () => {
    await Promise.all(running.map((container) => container.stop()));
    running = [];
  });

  afterAll(async () => {
    const leftovers = await docker.listContainers({ 'mcp-router.managed': 'true', 'mcp-router.instance': instanceId });
    await Promise.all(leftovers.map((container) => docker.removeContainer(container.id)));
    expect(leftovers).toEqual([]);
  });

  it('probes server-everything: its real tools, resources and prompts', async () => {
    const container = await start(everything());

    const catalog = await probeServer(container.transport, { timeoutMs: 30_000 });

    expect(catalog.serverInfo.name).toMatch(/everything/i);
    expect(catalog.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    expect(catalog.tools.find((tool) => tool.name === 'echo')?.inputSchema).toMatchObject({
      properties: { message: { type: 'string' } },
    });
    expect(catalog.resources.length + catalog.resourceTemplates.length).toBeGreaterThan(0);
    expect(catalog.prompts.length).toBeGreaterThan(0);
  });

  it('answers tools/call echo through the attach stream, with stderr in the logs', async () => {
    const container = await start(everything());
    const client = await connect(container);

    const result = await client.callTool({ name: 'echo', arguments: { message: 'hello from the router' } });

    expect(result.content).toEqual([{ type: 'text', text: 'Echo: hello from the router' }]);
    expect(container.logs.toArray()).toContain('Starting default (STDIO) server...');
  });

  it('starts containers hardened and labelled, with the secret env in the container and nowhere else', async () => {
    const secret = `sekrit-${randomUUID()}`;
    const spec = everything({ env: { API_TOKEN: secret } });
    const sessionId = `sess-${randomUUID()}`;
    const container = await sut.start(spec, { sessionId });
    running.push(container);

    const info = await docker.inspectContainer(container.containerId);

    expect(info?.Config).toMatchObject({ User: '1000:1000', OpenStdin: true, StdinOnce: false, Tty: false });
    expect(info?.Config.Labels).toMatchObject({
      'mcp-router.managed': 'true',
      'mcp-router.server': spec.id,
      'mcp-router.session': sessionId,
      'mcp-router.instance': instanceId,
    });
    expect(info?.HostConfig).toMatchObject({
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      ReadonlyRootfs: true,
      Memory: 512 * 1024 * 1024,
      MemorySwap: 512 * 1024 * 1024,
      NanoCpus: 1_000_000_000,
      PidsLimit: 256,
      Init: true,
    });
    expect(Object.keys(info?.HostConfig.Tmpfs ?? {}).sort()).toEqual(['/home/mcp', '/tmp']);
    expect(info?.Config.Env).toContain(`API_TOKEN=${secret}`);

    const client = await connect(container);
    const env = await client.callTool({ name: 'get-env', arguments: {} });
    expect(JSON.stringify(env.content)).toContain(secret);
    expect(logLines.join('\n')).not.toContain(secret);
  });

  it('fails a call in flight with the reason when the container is killed (docker kill)', async () => {
    const container = await start(everything());
    const client = await connect(container);
    let killed: Promise<void> | undefined;

    const call = client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 30, steps: 30 } },
      undefined,
      {
        onprogress: () => {
          killed ??= docker.killContainer(container.containerId, 'SIGKILL');
        },
        timeout: 60_000,
      },
    );

    await expect(call).rejects.toThrow(/MCP server container [0-9a-f]{12} was killed by SIGKILL \(exit code 137\)/);
    await killed;
  });

  it('says OOMKilled when a container runs out of memory during a call', async () => {
    const hog = 'process.stdin.once("data", () => { const hold = []; for (;;) hold.push(Buffer.alloc(4 << 20, 1)); });';
    const container = await start(nodeScript(hog, { limits: { memoryMb: 64 } }));

    const client = new Client({ name: 'int-test', version: '1.0.0' });

    await expect(client.connect(container.transport, { timeout: 30_000 })).rejects.toThrow(
      /was killed because it ran out of memory \(OOMKilled, exit code 137\)/,
    );
  });

  it('times the probe out on a server that never answers, quoting its stderr', async () => {
    const mute = 'console.error("booting, waiting for a license key"); setInterval(() => undefined, 1000);';
    const container = await start(nodeScript(mute));

    const probe = probeServer(container.transport, { timeoutMs: 3000 });

    await expect(probe).rejects.toThrow(ProbeTimeoutError);
    await expect(probe).rejects.toThrow(/within 3000 ms\nlast stderr lines:\n {2}booting, waiting for a license key/);
  });

  it('refuses a server that does not speak stdio, creating nothing', async () => {
    await expect(
      sut.start(everything({ transport: 'streamable-http', port: 3000 }), { sessionId: 's' }),
    ).rejects.toThrow(UnsupportedTransportError);
  });

  it('stops and removes idempotently', async () => {
    const container = await sut.start(everything(), { sessionId: `sess-${randomUUID()}` });

    await container.stop();
    await container.stop();
    await sut.stopAndRemove(container.containerId);

    expect(await docker.inspectContainer(container.containerId)).toBeNull();
  });

  it('answers the first tools/call of a cold container quickly (median of 5 spawns under 2.5 s)', async () => {
    const timings: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      const container = await start(everything());
      const client = await connect(container);
      await client.callTool({ name: 'echo', arguments: { message: 'x' } });
      timings.push(performance.now() - started);
      await container.stop();
    }
    expect(median(timings)).toBeLessThan(2500);
  }, 120_000);
});
