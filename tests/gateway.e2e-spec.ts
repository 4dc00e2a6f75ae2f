import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  type CallToolResult,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { AuditRepository } from '@mcp-router/registry';
import { DockerRepository, RUNTIME_LABELS } from '@mcp-router/runtime';
import { connectClient, createAndInstall, createApiKey, type ServerBody, startStack } from './support/mcp-servers';
import type { RunningApi, TestEnv } from './support/test-env';

function text(result: unknown): string {
  return (result as CallToolResult).content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
}

const docker = new DockerRepository();

async function managedContainers(prefix: string, labels: Record<string, string> = {}): Promise<string[]> {
  const containers = await docker.listContainers({
    [RUNTIME_LABELS.managed]: 'true',
    [RUNTIME_LABELS.deployment]: prefix,
    ...labels,
  });
  return containers.map((container) => container.id);
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('MCP gateway (real servers in real containers, official SDK client)', () => {
  let testEnv: TestEnv;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let auth: string;
  let key: { id: string; key: string };
  let everything: ServerBody;
  let memory: ServerBody;
  const clients: Client[] = [];

  beforeAll(async () => {
    ({ testEnv, api, worker, auth, key } = await startStack({ BUILD_NETWORK: 'host' }));
    [everything, memory] = await Promise.all([
      createAndInstall(api.http, auth, {
        name: 'everything',
        runtime: 'npx',
        package: '@modelcontextprotocol/server-everything',
        args: ['stdio'],
      }),
      // The root filesystem is read-only: the memory server keeps its graph in /tmp (a tmpfs) instead.
      createAndInstall(api.http, auth, {
        name: 'memory',
        runtime: 'npx',
        package: '@modelcontextprotocol/server-memory',
        env: [{ key: 'MEMORY_FILE_PATH', value: '/tmp/memory.jsonl' }],
      }),
    ]);
  }, 600_000);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await api.close();
    // The api closed its sessions: the worker tears their containers down.
    const left = await eventually(
      () => managedContainers(testEnv.env.QUEUE_PREFIX!),
      (ids) => ids.length === 0,
    );
    await worker.close();
    await testEnv.cleanup();
    expect(left).toEqual([]);
  }, 120_000);

  it('installs both servers with their real catalogs', () => {
    expect(everything).toMatchObject({ installState: { status: 'installed', error: null } });
    expect(everything.toolCount).toBeGreaterThanOrEqual(10);
    expect(memory.toolCount).toBe(9);
  });

  it('aggregates two servers over streamable HTTP: calls, a resource, a prompt, progress and sampling', async () => {
    const { client } = await connectClient(`${api.url}/mcp`, key.key, { capabilities: { sampling: {} } });
    clients.push(client);
    client.setRequestHandler(CreateMessageRequestSchema, (request) => ({
      model: 'test-model',
      role: 'assistant',
      content: { type: 'text', text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
    }));

    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'everything__echo',
        'everything__get-sum',
        'memory__create_entities',
        'memory__read_graph',
      ]),
    );

    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'hello router' } }))).toBe(
      'Echo: hello router',
    );
    const created = await client.callTool({
      name: 'memory__create_entities',
      arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] },
    });
    expect(created.isError).toBeFalsy();
    expect(text(await client.callTool({ name: 'memory__read_graph', arguments: {} }))).toContain('Ada');

    const resources = (await client.listResources()).resources;
    const architecture = resources.find((resource) => resource.uri.includes('architecture'));
    expect(architecture).toBeDefined();
    const read = await client.readResource({ uri: architecture!.uri });
    expect(read.contents[0]).toMatchObject({ uri: architecture!.uri });
    const templated = await client.readResource({ uri: 'demo://resource/dynamic/text/7' });
    expect(templated.contents.length).toBeGreaterThan(0);

    const prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name);
    expect(prompts).toContain('everything__simple-prompt');
    const prompt = await client.getPrompt({ name: 'everything__args-prompt', arguments: { city: 'Paris' } });
    expect(JSON.stringify(prompt.messages)).toContain('Paris');

    const progress: number[] = [];
    const long = await client.callTool(
      { name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 3 } },
      undefined,
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(long.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThanOrEqual(2);

    const sampled = await client.callTool({
      name: 'everything__trigger-sampling-request',
      arguments: { prompt: 'tell me', maxTokens: 10 },
    });
    expect(text(sampled)).toContain('sampled:');

    await expect(client.callTool({ name: 'nope__nothing', arguments: {} })).rejects.toThrow(
      /Unknown tool: nope__nothing/,
    );

    const audit = await eventually(
      () => worker.get(AuditRepository).getRecent(50, 'tool.call'),
      (events) => events.some((event) => event.target === 'everything/echo'),
      5000,
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: `key:${key.id}`,
          target: 'everything/echo',
          detail: expect.objectContaining({ outcome: 'ok' }),
        }),
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain('hello router');
  });

  it('relays elicitation and roots requests to the client, and a cancellation to the backend', async () => {
    const { client } = await connectClient(`${api.url}/mcp`, key.key, {
      capabilities: { elicitation: {}, roots: { listChanged: true } },
    });
    clients.push(client);
    let elicited = '';
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      elicited = request.params.message;
      return { action: 'decline' };
    });
    client.setRequestHandler(ListRootsRequestSchema, () => ({
      roots: [{ uri: 'file:///work/project', name: 'project' }],
    }));

    const elicitation = await client.callTool({ name: 'everything__trigger-elicitation-request', arguments: {} });
    expect(elicited.length).toBeGreaterThan(0);
    expect(text(elicitation)).toMatch(/decline/i);
    expect(text(await client.callTool({ name: 'everything__get-roots-list', arguments: {} }))).toContain(
      'file:///work/project',
    );

    const controller = new AbortController();
    const started = Date.now();
    const cancelled = client.callTool(
      { name: 'everything__trigger-long-running-operation', arguments: { duration: 20, steps: 20 } },
      undefined,
      { signal: controller.signal },
    );
    setTimeout(() => {
      controller.abort('user cancelled');
    }, 300);
    await expect(cancelled).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'after cancel' } }))).toBe(
      'Echo: after cancel',
    );
  });

  it('serves the same over legacy SSE, and one server alone at /mcp/:server', async () => {
    const { client: sse } = await connectClient(`${api.url}/sse`, key.key, { transport: 'sse' });
    clients.push(sse);
    expect(text(await sse.callTool({ name: 'everything__echo', arguments: { message: 'over sse' } }))).toBe(
      'Echo: over sse',
    );

    const { client: single } = await connectClient(`${api.url}/mcp/memory`, key.key);
    clients.push(single);
    const names = (await single.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('read_graph');
    expect(names.some((name) => name.includes('__'))).toBe(false);
  });

  it('gives each session its own containers: entities created in one are invisible to the other; DELETE removes them', async () => {
    const a = await connectClient(`${api.url}/mcp`, key.key);
    const b = await connectClient(`${api.url}/mcp`, key.key);
    clients.push(a.client, b.client);
    await a.client.callTool({
      name: 'memory__create_entities',
      arguments: { entities: [{ name: 'OnlyInA', entityType: 'secret', observations: ['x'] }] },
    });
    expect(text(await a.client.callTool({ name: 'memory__read_graph', arguments: {} }))).toContain('OnlyInA');
    expect(text(await b.client.callTool({ name: 'memory__read_graph', arguments: {} }))).not.toContain('OnlyInA');

    const sessionA = (a.transport as StreamableHTTPClientTransport).sessionId!;
    const sessionB = (b.transport as StreamableHTTPClientTransport).sessionId!;
    const prefix = testEnv.env.QUEUE_PREFIX!;
    expect(await managedContainers(prefix, { [RUNTIME_LABELS.session]: sessionA })).toHaveLength(1);
    await (a.transport as StreamableHTTPClientTransport).terminateSession();
    await (b.transport as StreamableHTTPClientTransport).terminateSession();
    const left = await eventually(
      async () => [
        ...(await managedContainers(prefix, { [RUNTIME_LABELS.session]: sessionA })),
        ...(await managedContainers(prefix, { [RUNTIME_LABELS.session]: sessionB })),
      ],
      (ids) => ids.length === 0,
    );
    expect(left).toEqual([]);
  });

  it('answers a crashed backend with isError naming the server and the reason; the next call gets a fresh container', async () => {
    const { client, transport } = await connectClient(`${api.url}/mcp`, key.key);
    clients.push(client);
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'one' } }))).toBe('Echo: one');
    const sessionId = (transport as StreamableHTTPClientTransport).sessionId!;
    const [containerId] = await managedContainers(testEnv.env.QUEUE_PREFIX!, { [RUNTIME_LABELS.session]: sessionId });
    const pending = client.callTool({
      name: 'everything__trigger-long-running-operation',
      arguments: { duration: 5, steps: 5 },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await docker.killContainer(containerId!);
    const failed = await pending;
    expect(failed.isError).toBe(true);
    expect(text(failed)).toMatch(/Server "everything" failed: .*(SIGKILL|exit code 137)/);
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'two' } }))).toBe('Echo: two');
  });

  it('offers the discovery view: list_servers, search_tools, describe_tool, call_tool', async () => {
    const { client } = await connectClient(`${api.url}/mcp?view=discovery`, key.key);
    clients.push(client);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names.slice(0, 4)).toEqual(['list_servers', 'search_tools', 'describe_tool', 'call_tool']);
    expect(names.some((name) => name.startsWith('everything__'))).toBe(false);
    expect(text(await client.callTool({ name: 'list_servers', arguments: {} }))).toContain('"memory"');
    const search = JSON.parse(
      text(await client.callTool({ name: 'search_tools', arguments: { query: 'knowledge graph entities' } })),
    ) as {
      results: { server: string; tool: string }[];
    };
    expect(search.results[0]).toMatchObject({ server: 'memory' });
    expect(
      text(await client.callTool({ name: 'describe_tool', arguments: { server: 'everything', tool: 'echo' } })),
    ).toContain('message');
    expect(
      text(
        await client.callTool({
          name: 'call_tool',
          arguments: { server: 'everything', tool: 'echo', arguments: { message: 'found' } },
        }),
      ),
    ).toBe('Echo: found');
  });

  it('refuses no key, a revoked key and a bad Host; lists change when a server is disabled', async () => {
    await api.http
      .post('/mcp')
      .send({})
      .expect(401)
      .expect('www-authenticate', /Bearer/);
    const revoked = await createApiKey(api.http, auth, 'short-lived');
    await api.http.post(`/api/keys/${revoked.id}/revoke`).set('Authorization', auth).expect(200);
    await expect(connectClient(`${api.url}/mcp`, revoked.key)).rejects.toThrow();
    await api.http
      .post('/mcp')
      .set('Host', 'evil.example.com')
      .set('Authorization', `Bearer ${key.key}`)
      .send({})
      .expect(403);

    const { client } = await connectClient(`${api.url}/mcp`, key.key);
    clients.push(client);
    let changed = 0;
    client.setNotificationHandler(
      (await import('@modelcontextprotocol/sdk/types.js')).ToolListChangedNotificationSchema,
      () => {
        changed++;
      },
    );
    await api.http
      .post(`/api/servers/${memory.id}/update`)
      .set('Authorization', auth)
      .send({ enabled: false })
      .expect(200);
    await eventually(
      () => Promise.resolve(changed),
      (count) => count > 0,
      5000,
    );
    expect(changed).toBeGreaterThan(0);
    expect((await client.listTools()).tools.some((tool) => tool.name.startsWith('memory__'))).toBe(false);
    await api.http
      .post(`/api/servers/${memory.id}/update`)
      .set('Authorization', auth)
      .send({ enabled: true })
      .expect(200);

    const metrics = await api.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/mcp_router_tool_calls_total\{server="everything",outcome="ok"\} \d+/);
    expect(metrics.text).toMatch(/mcp_router_live_sessions \d+/);
  });
});
