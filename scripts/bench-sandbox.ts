/**
 * Benchmark of the python_sandbox tool through the real stack: the api (streamable HTTP `/mcp`, API key), the
 * gateway, the SandboxService, sandbox containers on the real Docker engine, real Redis (`REDIS_URL`).
 *
 *   npm run bench:sandbox              (node scripts/run-ts.cjs scripts/bench-sandbox.ts)
 *   npm run bench:sandbox -- --calls 500 --sessions 20
 *
 * Measures, with the official SDK client:
 * - a trivial call (`1+1`) in a warm session: p50 and p99 over `--calls` calls (default 200, after 20 unmeasured);
 * - the first call of a new session, with a warm pool of 2 and without one: p50 over `--sessions` sessions each
 *   (default 10). With a pool, each session starts once the pool is full again (steady state).
 * Prints a table and sets exit code 1 when a target is missed. Builds the sandbox image first if it is missing.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig } from '@mcp-router/config';
import { DockerRepository, RUNTIME_LABELS } from '@mcp-router/runtime';
import { SandboxImageService, SandboxService } from '@mcp-router/sandbox';
import { loginHeader, makeTestEnv, type RunningApi, startApi } from '../tests/support/test-env';
import { percentile } from './bench-util';

const WARM_UP_CALLS = 20;
const POOL_SIZE = 2;
const POOL_WAIT_MS = 60_000;

interface Row {
  what: string;
  samples: number[];
  stat: 'p50' | 'p99';
  targetMs?: number;
}

interface Stack {
  api: RunningApi;
  apiKey: string;
  sandbox: SandboxService;
  instanceId: string;
  close(): Promise<void>;
}

function write(line = ''): void {
  process.stdout.write(`${line}\n`);
}

async function startStack(warmPool: number): Promise<Stack> {
  const instanceId = `bench-sandbox-${randomBytes(4).toString('hex')}`;
  const testEnv = makeTestEnv({ INSTANCE_ID: instanceId, SANDBOX_WARM_POOL: String(warmPool) });
  const api = await startApi(testEnv.env);
  const auth = await loginHeader(api.http);
  const created = await api.http.post('/api/keys').set('Authorization', auth).send({ name: 'bench' }).expect(201);
  const docker = new DockerRepository();
  return {
    api,
    apiKey: (created.body as { key: string }).key,
    sandbox: api.app.get(SandboxService),
    instanceId,
    async close() {
      await api.close();
      const leftovers = await docker.listContainers({ [RUNTIME_LABELS.instance]: instanceId });
      await Promise.all(leftovers.map((container) => docker.removeContainer(container.id)));
      await testEnv.cleanup();
      if (leftovers.length) throw new Error(`${leftovers.length} sandbox container(s) outlived the api`);
    },
  };
}

async function connect(stack: Stack): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${stack.api.url}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${stack.apiKey}` } },
  });
  const client = new Client({ name: 'bench-sandbox', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

/** Runs `code`; resolves with the round trip in milliseconds. */
async function timedCall(client: Client, code: string, expected: string): Promise<number> {
  const started = performance.now();
  const result = (await client.callTool({ name: 'python_sandbox', arguments: { code } })) as CallToolResult;
  const elapsed = performance.now() - started;
  const text = result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
  if (result.isError || !text.endsWith(expected)) throw new Error(`unexpected answer to ${code}: ${text}`);
  return elapsed;
}

async function close(session: { client: Client; transport: StreamableHTTPClientTransport }): Promise<void> {
  await session.transport.terminateSession();
  await session.client.close();
}

async function waitForPool(sandbox: SandboxService, size: number): Promise<void> {
  const deadline = Date.now() + POOL_WAIT_MS;
  while (sandbox.pooledCount < size) {
    if (Date.now() > deadline) throw new Error(`the warm pool did not reach ${size} within ${POOL_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function benchWarm(stack: Stack, calls: number): Promise<number[]> {
  const session = await connect(stack);
  try {
    await timedCall(session.client, '1+1', 'result:\n2');
    for (let i = 0; i < WARM_UP_CALLS; i++) await timedCall(session.client, '1+1', 'result:\n2');
    const samples: number[] = [];
    for (let i = 0; i < calls; i++) samples.push(await timedCall(session.client, '1+1', 'result:\n2'));
    return samples;
  } finally {
    await close(session);
  }
}

/** The first call of `sessions` new sessions, one after the other: [connect times, first-call times]. */
async function benchNewSessions(stack: Stack, sessions: number, poolSize: number): Promise<[number[], number[]]> {
  const connects: number[] = [];
  const firstCalls: number[] = [];
  for (let i = 0; i < sessions; i++) {
    if (poolSize > 0) await waitForPool(stack.sandbox, poolSize);
    const started = performance.now();
    const session = await connect(stack);
    connects.push(performance.now() - started);
    try {
      firstCalls.push(await timedCall(session.client, '1+1', 'result:\n2'));
    } finally {
      await close(session);
    }
  }
  return [connects, firstCalls];
}

function printTable(rows: Row[]): boolean {
  const header = ['measurement', 'n', 'stat', 'ms', 'target', 'ok'];
  const cells = rows.map((row) => {
    const value = percentile(row.samples, row.stat === 'p50' ? 50 : 99);
    const ok = row.targetMs === undefined ? '' : value <= row.targetMs ? 'yes' : 'NO';
    return [
      row.what,
      String(row.samples.length),
      row.stat,
      value.toFixed(1),
      row.targetMs === undefined ? '' : `≤ ${row.targetMs}`,
      ok,
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column]!.length)));
  const line = (cell: string[]): string => cell.map((text, column) => text.padEnd(widths[column]!)).join('  ');
  write(line(header));
  write(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const cell of cells) write(line(cell));
  return cells.every((cell) => cell[5] !== 'NO');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { calls: { type: 'string', default: '200' }, sessions: { type: 'string', default: '10' } },
  });
  const calls = Number.parseInt(values.calls, 10);
  const sessions = Number.parseInt(values.sessions, 10);
  if (!(calls >= 1) || !(sessions >= 1)) throw new Error('--calls and --sessions must be positive integers');

  write('Preparing the sandbox image…');
  // Image builds need a network with NAT; on engines without one (these machines), the host's.
  const { config } = loadConfig({ BUILD_NETWORK: 'host', ...process.env });
  await new SandboxImageService(new DockerRepository(), config).ensureImage();

  const rows: Row[] = [];
  write(`Without a warm pool: ${calls} warm calls, then ${sessions} new sessions…`);
  const cold = await startStack(0);
  try {
    const warm = await benchWarm(cold, calls);
    rows.push({ what: 'warm call 1+1', samples: warm, stat: 'p50', targetMs: 30 });
    rows.push({ what: 'warm call 1+1', samples: warm, stat: 'p99' });
    const [connects, firstCalls] = await benchNewSessions(cold, sessions, 0);
    rows.push({ what: 'new session: connect (initialize)', samples: connects, stat: 'p50' });
    rows.push({ what: 'new session, no pool: first call', samples: firstCalls, stat: 'p50', targetMs: 2500 });
  } finally {
    await cold.close();
  }

  write(`With a warm pool of ${POOL_SIZE}: ${sessions} new sessions…`);
  const pooled = await startStack(POOL_SIZE);
  try {
    const [, firstCalls] = await benchNewSessions(pooled, sessions, POOL_SIZE);
    rows.push({
      what: `new session, pool of ${POOL_SIZE}: first call`,
      samples: firstCalls,
      stat: 'p50',
      targetMs: 200,
    });
  } finally {
    await pooled.close();
  }

  write();
  if (!printTable(rows)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
