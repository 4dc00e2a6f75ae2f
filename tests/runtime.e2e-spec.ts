import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ContainerOwnershipRepository } from '@mcp-router/queue';
import { DockerRepository, RUNTIME_LABELS } from '@mcp-router/runtime';
import { ContainerLifecycleService } from '../apps/worker/src/runtime/container-lifecycle.service';
import { connectClient, createAndInstall, createApiKey, type ServerBody, waitForJob } from './support/mcp-servers';
import {
  dumpRedis,
  loginHeader,
  makeTestEnv,
  type RunningApi,
  startApi,
  startWorker,
  type TestEnv,
} from './support/test-env';

const SECRET = 'tok-runtime-e2e-9f8e7d6c5b4a';
const docker = new DockerRepository();

function text(result: unknown): string {
  return (result as CallToolResult).content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
}

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('container runtime through the api and the worker', () => {
  let testEnv: TestEnv;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let auth: string;
  let key: string;
  let server: ServerBody;
  const clients: Client[] = [];

  beforeAll(async () => {
    testEnv = makeTestEnv({
      BUILD_NETWORK: 'host',
      SESSION_IDLE_TIMEOUT: '3',
      SANDBOX_ENABLED: 'false',
      REAP_GRACE: '0',
    });
    api = await startApi(testEnv.env);
    worker = await startWorker(testEnv.env);
    auth = await loginHeader(api.http);
    key = (await createApiKey(api.http, auth)).key;
    server = await createAndInstall(api.http, auth, {
      name: 'everything',
      runtime: 'npx',
      package: '@modelcontextprotocol/server-everything',
      args: ['stdio'],
      env: [{ key: 'API_TOKEN', description: 'a secret', required: true, secret: true, value: SECRET }],
    });
  }, 600_000);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await api.close();
    const left = await until(
      async () =>
        docker.listContainers({
          [RUNTIME_LABELS.managed]: 'true',
          [RUNTIME_LABELS.deployment]: testEnv.env.QUEUE_PREFIX!,
        }),
      (containers) => containers.length === 0,
    );
    await worker.close();
    await testEnv.cleanup();
    expect(left).toEqual([]);
  }, 120_000);

  it('reuses the image when the same plan is installed again, and serves the probed catalog', async () => {
    const again = await api.http.post(`/api/servers/${server.id}/install`).set('Authorization', auth).expect(202);
    const job = await waitForJob(api.http, auth, again.body.jobId as string);
    expect(job).toMatchObject({
      state: 'completed',
      result: { image: 'reused', imageTag: server.installState.imageTag },
    });
    const tools = await api.http.get(`/api/servers/${server.id}/tools`).set('Authorization', auth).expect(200);
    expect(tools.body.tools.map((tool: { name: string }) => tool.name)).toEqual(
      expect.arrayContaining(['echo', 'get-env']),
    );
    const logs = await api.http.get(`/api/servers/${server.id}/logs`).set('Authorization', auth).expect(200);
    expect(logs.body.lines.join('\n')).toMatch(/probe ok: \d+ tools/);
  });

  it('spawns a hardened, labelled container with the secret in its env and nowhere else', async () => {
    const { client, transport } = await connectClient(`${api.url}/mcp/everything`, key);
    clients.push(client);
    expect(text(await client.callTool({ name: 'get-env', arguments: {} }))).toContain(SECRET);
    const sessionId = (transport as StreamableHTTPClientTransport).sessionId!;
    const [container] = await docker.listContainers({ [RUNTIME_LABELS.session]: sessionId });
    const info = (await docker.inspectContainer(container!.id))!;
    expect(info.HostConfig).toMatchObject({
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      ReadonlyRootfs: true,
      Memory: 512 * 1024 * 1024,
      NanoCpus: 1e9,
      PidsLimit: 256,
    });
    expect(Object.keys(info.HostConfig.Tmpfs ?? {})).toEqual(expect.arrayContaining(['/tmp', '/home/mcp']));
    expect(info.Config.User).not.toMatch(/^(root|0)?(:|$)/);
    expect(info.Config.Labels).toMatchObject({
      [RUNTIME_LABELS.managed]: 'true',
      [RUNTIME_LABELS.server]: server.id,
      [RUNTIME_LABELS.session]: sessionId,
      [RUNTIME_LABELS.instance]: expect.any(String),
    });
    expect(info.Config.Env).toContain(`API_TOKEN=${SECRET}`);

    expect(await dumpRedis(testEnv.env.QUEUE_PREFIX!)).not.toContain(SECRET);
    const logs = await api.http.get(`/api/servers/${server.id}/logs`).set('Authorization', auth).expect(200);
    expect(JSON.stringify(logs.body)).not.toContain(SECRET);
    for (const file of readdirSync(testEnv.dataDir).filter((name) => name.startsWith('mcp-router.sqlite'))) {
      expect(readFileSync(join(testEnv.dataDir, file)).includes(Buffer.from(SECRET))).toBe(false);
    }
  });

  it('tears an idle session down with its container', async () => {
    const { client, transport } = await connectClient(`${api.url}/mcp`, key);
    clients.push(client);
    await client.callTool({ name: 'everything__echo', arguments: { message: 'x' } });
    const sessionId = (transport as StreamableHTTPClientTransport).sessionId!;
    expect(await docker.listContainers({ [RUNTIME_LABELS.session]: sessionId })).toHaveLength(1);
    const left = await until(
      () => docker.listContainers({ [RUNTIME_LABELS.session]: sessionId }),
      (containers) => containers.length === 0,
      20_000,
    );
    expect(left).toEqual([]);
    await expect(client.callTool({ name: 'everything__echo', arguments: { message: 'late' } })).rejects.toThrow(
      /404|not found/i,
    );
  });

  it('keeps a warm pool: a session claims a started container, and the pool refills', async () => {
    await api.http
      .post(`/api/servers/${server.id}/update`)
      .set('Authorization', auth)
      .send({ warmPool: 1 })
      .expect(200);
    const refill = await api.http.post(`/api/servers/${server.id}/install`).set('Authorization', auth).expect(202);
    await waitForJob(api.http, auth, refill.body.jobId as string);
    const ownership = api.app.get(ContainerOwnershipRepository);
    const pooled = await until(
      () => ownership.pool(server.id),
      (ids) => ids.length === 1,
    );
    expect(pooled).toHaveLength(1);
    expect((await docker.inspectContainer(pooled[0]!))?.State.Running).toBe(true);
    const { client } = await connectClient(`${api.url}/mcp`, key);
    clients.push(client);
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'from the pool' } }))).toBe(
      'Echo: from the pool',
    );
    // The session took the pooled container (it is owned now, out of the pool), and a new one took its place.
    expect(await ownership.isOwned(pooled[0]!)).toBe(true);
    const refilled = await until(
      () => ownership.pool(server.id),
      (ids) => ids.length === 1 && ids[0] !== pooled[0],
    );
    expect(refilled).toHaveLength(1);
    expect(refilled).not.toContain(pooled[0]);
    await api.http
      .post(`/api/servers/${server.id}/update`)
      .set('Authorization', auth)
      .send({ warmPool: 0 })
      .expect(200);
  });

  it('reaps a managed container that no live session owns, and leaves owned ones alone', async () => {
    // An orphan, as an api that crashed would leave behind: managed, of this deployment, owned by no one.
    const orphan = await docker.createContainer({
      Image: server.installState.imageTag!,
      Labels: {
        [RUNTIME_LABELS.managed]: 'true',
        [RUNTIME_LABELS.server]: server.id,
        [RUNTIME_LABELS.session]: 'crashed-session',
        [RUNTIME_LABELS.instance]: 'gone',
        [RUNTIME_LABELS.deployment]: testEnv.env.QUEUE_PREFIX!,
      },
      HostConfig: { NetworkMode: 'none', Init: true },
      OpenStdin: true,
    });
    await docker.startContainer(orphan);
    // A container of another router sharing this engine: never ours to reap.
    const foreign = await docker.createContainer({
      Image: server.installState.imageTag!,
      Labels: {
        [RUNTIME_LABELS.managed]: 'true',
        [RUNTIME_LABELS.server]: 'another-routers-server',
        [RUNTIME_LABELS.session]: 'elsewhere',
        [RUNTIME_LABELS.instance]: 'other',
        [RUNTIME_LABELS.deployment]: 'another-deployment',
      },
      HostConfig: { NetworkMode: 'none', Init: true },
    });
    // A live session, whose container the reaper must leave alone.
    const { client, transport } = await connectClient(`${api.url}/mcp`, key);
    clients.push(client);
    await client.callTool({ name: 'everything__echo', arguments: { message: 'owned' } });
    const sessionId = (transport as StreamableHTTPClientTransport).sessionId!;
    const [owned] = await docker.listContainers({ [RUNTIME_LABELS.session]: sessionId });
    const report = await worker.get(ContainerLifecycleService).reap();
    expect(report.containers).toContain(orphan);
    expect(report.containers).not.toContain(owned!.id);
    expect(await docker.inspectContainer(orphan)).toBeNull();
    expect(report.containers).not.toContain(foreign);
    expect(await docker.inspectContainer(foreign)).not.toBeNull();
    await docker.removeContainer(foreign);
  });

  it('runs an isolation: shared server in one container for every session', async () => {
    await api.http
      .post(`/api/servers/${server.id}/update`)
      .set('Authorization', auth)
      .send({ isolation: 'shared' })
      .expect(200);
    const a = await connectClient(`${api.url}/mcp`, key);
    const b = await connectClient(`${api.url}/mcp`, key);
    clients.push(a.client, b.client);
    expect(text(await a.client.callTool({ name: 'everything__echo', arguments: { message: 'a' } }))).toBe('Echo: a');
    expect(text(await b.client.callTool({ name: 'everything__echo', arguments: { message: 'b' } }))).toBe('Echo: b');
    const containers = await docker.listContainers({
      [RUNTIME_LABELS.server]: server.id,
      [RUNTIME_LABELS.session]: 'shared',
    });
    expect(containers).toHaveLength(1);
    const detail = await api.http.get(`/api/servers/${server.id}`).set('Authorization', auth).expect(200);
    expect(detail.body.liveSessions).toBeGreaterThanOrEqual(2);
    await api.http
      .post(`/api/servers/${server.id}/update`)
      .set('Authorization', auth)
      .send({ isolation: 'session' })
      .expect(200);
    const left = await until(
      () => docker.listContainers({ [RUNTIME_LABELS.server]: server.id, [RUNTIME_LABELS.session]: 'shared' }),
      (list) => list.length === 0,
    );
    expect(left).toEqual([]);
  });

  it('tears down every container and the image of a deleted server', async () => {
    const { client } = await connectClient(`${api.url}/mcp`, key);
    clients.push(client);
    await client.callTool({ name: 'everything__echo', arguments: { message: 'y' } });
    const deleted = await api.http.post(`/api/servers/${server.id}/delete`).set('Authorization', auth).expect(200);
    const job = await waitForJob(api.http, auth, deleted.body.jobId as string);
    expect(job.state).toBe('completed');
    const left = await until(
      () => docker.listContainers({ [RUNTIME_LABELS.server]: server.id }),
      (containers) => containers.length === 0,
    );
    expect(left).toEqual([]);
    expect(await docker.imageExists(server.installState.imageTag!)).toBe(false);
  });
});
