/**
 * Benchmark of the MCP gateway, side by side in one run, with the official SDK client:
 *
 *   npm run bench:gateway               (node scripts/run-ts.cjs scripts/bench-gateway.ts [--calls 1000])
 *
 * - the same `@modelcontextprotocol/server-everything` reached directly over streamable HTTP (its own HTTP
 *   transport, a local process) and through the router (streamable HTTP → gateway → a warm container over the
 *   Docker attach stream): `--calls` sequential `echo` calls each → p50, p99, the p50 ratio and the router-added p50;
 * - throughput with 16 concurrent sessions, direct and through the router;
 * - `tools/list` through the router with 1,000 catalogued tools (10 servers × 100) → p50.
 * Targets: p50 ratio ≤ 1.25, router-added p50 ≤ 2 ms, `tools/list` p50 ≤ 15 ms.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ServerRepository } from '@mcp-router/registry';
import { CatalogSyncService } from '../apps/api/src/mcp/catalog-sync.service';
import { connectClient, createAndInstall, startStack } from '../tests/support/mcp-servers';
import { percentile, printTable } from './bench-util';

const CONCURRENT_SESSIONS = 16;
const CALLS_PER_SESSION = 100;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

async function startDirectServer(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [require.resolve('@modelcontextprotocol/server-everything/dist/index.js'), 'streamableHttp'],
    {
      env: { PATH: process.env.PATH, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('server-everything did not start'));
    }, 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { url: `http://127.0.0.1:${port}/mcp`, child };
}

async function directClient(url: string): Promise<Client> {
  const client = new Client({ name: 'bench-gateway', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function echoLoop(client: Client, calls: number, tool: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    const result = await client.callTool({ name: tool, arguments: { message: `m${i}` } });
    samples.push(performance.now() - started);
    if (result.isError) throw new Error(`echo failed: ${JSON.stringify(result.content)}`);
  }
  return samples;
}

/** Calls per second of `sessions` clients each making CALLS_PER_SESSION sequential calls at once. */
async function throughput(clients: Client[], tool: string): Promise<number> {
  await Promise.all(clients.map((client) => echoLoop(client, 5, tool)));
  const started = performance.now();
  await Promise.all(clients.map((client) => echoLoop(client, CALLS_PER_SESSION, tool)));
  return (clients.length * CALLS_PER_SESSION) / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '1000' } } });
  const calls = Number(values.calls);
  const direct = await startDirectServer();
  const {
    testEnv,
    api,
    worker,
    auth,
    key: apiKey,
  } = await startStack({
    BUILD_NETWORK: 'host',
    SANDBOX_ENABLED: 'false',
    LOG_LEVEL: 'silent',
  });
  const key = apiKey.key;
  const clients: Client[] = [];
  try {
    await createAndInstall(api.http, auth, {
      name: 'everything',
      runtime: 'npx',
      package: '@modelcontextprotocol/server-everything',
      args: ['stdio'],
    });

    // Sequential latency, interleaved in blocks so that machine noise hits both sides alike.
    const directOne = await directClient(direct.url);
    const routed = (await connectClient(`${api.url}/mcp`, key)).client;
    clients.push(directOne, routed);
    await echoLoop(directOne, 50, 'echo');
    await echoLoop(routed, 50, 'everything__echo');
    const directSamples: number[] = [];
    const routerSamples: number[] = [];
    for (let block = 0; block < 10; block++) {
      directSamples.push(...(await echoLoop(directOne, calls / 10, 'echo')));
      routerSamples.push(...(await echoLoop(routed, calls / 10, 'everything__echo')));
    }

    const directMany = await Promise.all(Array.from({ length: CONCURRENT_SESSIONS }, () => directClient(direct.url)));
    const routedMany = await Promise.all(
      Array.from({ length: CONCURRENT_SESSIONS }, async () => (await connectClient(`${api.url}/mcp`, key)).client),
    );
    clients.push(...directMany, ...routedMany);
    const directRate = await throughput(directMany, 'echo');
    const routerRate = await throughput(routedMany, 'everything__echo');

    // 1,000 catalogued tools: ten servers with a hundred tools each, straight into the registry.
    const servers = api.app.get(ServerRepository);
    for (let s = 0; s < 10; s++) {
      await servers.create({
        name: `synthetic-${s}`,
        displayName: `Synthetic ${s}`,
        description: 'benchmark catalog',
        sourceUrl: null,
        runtime: 'npx',
        package: `synthetic-${s}`,
        image: null,
        url: null,
        port: null,
        args: [],
        transport: 'stdio',
        env: [],
        isolation: 'session',
        network: 'none',
        limits: { memoryMb: 512, cpus: 1, pids: 256 },
        warmPool: 0,
        enabled: true,
        installStatus: 'installed',
        imageTag: 'mcp-router/srv-synthetic:0',
        builtAt: new Date(),
        installError: null,
        catalog: {
          tools: Array.from({ length: 100 }, (_, t) => ({
            name: `tool_${t}_of_server_${s}`,
            description: `Synthetic tool ${t}: does something useful with its input and returns a result`,
            inputSchema: {
              type: 'object' as const,
              properties: { query: { type: 'string' }, limit: { type: 'integer' } },
              required: ['query'],
            },
          })),
          resources: [],
          resourceTemplates: [],
          prompts: [],
          probedAt: new Date().toISOString(),
        },
      });
    }
    await api.app.get(CatalogSyncService).refresh();
    const lister = (await connectClient(`${api.url}/mcp`, key)).client;
    clients.push(lister);
    const listed = (await lister.listTools()).tools.length;
    if (listed < 1000) throw new Error(`expected at least 1000 tools, listed ${listed}`);
    const listSamples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await lister.listTools();
      listSamples.push(performance.now() - started);
    }

    const directP50 = percentile(directSamples, 50);
    const routerP50 = percentile(routerSamples, 50);
    const ok = printTable(
      `MCP gateway vs direct streamable HTTP (server-everything echo), ${calls} sequential calls each`,
      [
        { what: 'direct echo', n: directSamples.length, stat: 'p50', value: directP50, unit: 'ms' },
        { what: 'direct echo', n: directSamples.length, stat: 'p99', value: percentile(directSamples, 99), unit: 'ms' },
        { what: 'router echo (warm container)', n: routerSamples.length, stat: 'p50', value: routerP50, unit: 'ms' },
        {
          what: 'router echo (warm container)',
          n: routerSamples.length,
          stat: 'p99',
          value: percentile(routerSamples, 99),
          unit: 'ms',
        },
        {
          what: 'p50 ratio router / direct',
          n: calls,
          stat: 'ratio',
          value: routerP50 / directP50,
          unit: '×',
          target: 1.25,
        },
        { what: 'router-added p50', n: calls, stat: 'Δp50', value: routerP50 - directP50, unit: 'ms', target: 2 },
        {
          what: `direct, ${CONCURRENT_SESSIONS} sessions`,
          n: CONCURRENT_SESSIONS * CALLS_PER_SESSION,
          stat: 'rate',
          value: directRate,
          unit: 'calls/s',
        },
        {
          what: `router, ${CONCURRENT_SESSIONS} sessions`,
          n: CONCURRENT_SESSIONS * CALLS_PER_SESSION,
          stat: 'rate',
          value: routerRate,
          unit: 'calls/s',
        },
        {
          what: `tools/list, ${listed} tools`,
          n: listSamples.length,
          stat: 'p50',
          value: percentile(listSamples, 50),
          unit: 'ms',
          target: 15,
        },
        {
          what: `tools/list, ${listed} tools`,
          n: listSamples.length,
          stat: 'p99',
          value: percentile(listSamples, 99),
          unit: 'ms',
        },
      ],
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    direct.child.kill();
    await api.close();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await worker.close();
    await testEnv.cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
