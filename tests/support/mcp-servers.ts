import type { INestApplicationContext } from '@nestjs/common';
import type TestAgent from 'supertest/lib/agent';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { loginHeader, makeTestEnv, type RunningApi, startApi, startWorker, type TestEnv } from './test-env';

/** A server as the API returns it (the fields tests read). */
export interface ServerBody {
  id: string;
  name: string;
  installState: { status: string; error: string | null; imageTag: string | null };
  toolCount: number;
  liveSessions: number;
}

/** Polls `GET /api/jobs/:id` until the job completes or fails; returns its final status. */
export async function waitForJob(
  http: TestAgent,
  auth: string,
  jobId: string,
  timeoutMs = 240_000,
): Promise<{ state: string; result?: unknown; error?: string; progress: unknown }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await http.get(`/api/jobs/${jobId}`).set('Authorization', auth);
    const body = response.body as { state: string; result?: unknown; error?: string; progress: unknown };
    if (response.status === 200 && (body.state === 'completed' || body.state === 'failed')) return body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${body.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Creates a server through the API and installs it (build + probe); fails the test when the install fails. */
export async function createAndInstall(
  http: TestAgent,
  auth: string,
  body: Record<string, unknown>,
): Promise<ServerBody> {
  const created = await http.post('/api/servers').set('Authorization', auth).send(body).expect(201);
  const id = (created.body as ServerBody).id;
  const install = await http.post(`/api/servers/${id}/install`).set('Authorization', auth).expect(202);
  const job = await waitForJob(http, auth, (install.body as { jobId: string }).jobId);
  if (job.state !== 'completed') throw new Error(`install of ${String(body.name)} failed: ${job.error ?? 'unknown'}`);
  return (await http.get(`/api/servers/${id}`).set('Authorization', auth).expect(200)).body as ServerBody;
}

/** Creates an API key and returns it. */
export async function createApiKey(http: TestAgent, auth: string, name = 'test'): Promise<{ id: string; key: string }> {
  const response = await http.post('/api/keys').set('Authorization', auth).send({ name }).expect(201);
  return response.body as { id: string; key: string };
}

/** Connects the official SDK client to the router, over streamable HTTP or legacy SSE. */
export async function connectClient(
  url: string,
  key: string,
  options: { transport?: 'http' | 'sse'; capabilities?: ClientCapabilities; client?: Client } = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport | SSEClientTransport }> {
  const headers = { Authorization: `Bearer ${key}` };
  const client =
    options.client ??
    new Client({ name: 'router-test', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  const transport =
    options.transport === 'sse'
      ? new SSEClientTransport(new URL(url), { requestInit: { headers } })
      : new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport };
}

/** A running router for a test or a benchmark: its environment, api, worker, an admin header and an API key. */
export interface RunningStack {
  testEnv: TestEnv;
  api: RunningApi;
  worker: INestApplicationContext;
  /** The admin `Authorization` header. */
  auth: string;
  key: { id: string; key: string };
}

/** Starts the api and the worker on a fresh environment (with `overrides`), logs in and creates an API key. */
export async function startStack(overrides: Record<string, string> = {}, keyName = 'test'): Promise<RunningStack> {
  const testEnv = makeTestEnv(overrides);
  const api = await startApi(testEnv.env);
  const worker = await startWorker(testEnv.env);
  const auth = await loginHeader(api.http);
  const key = await createApiKey(api.http, auth, keyName);
  return { testEnv, api, worker, auth, key };
}
