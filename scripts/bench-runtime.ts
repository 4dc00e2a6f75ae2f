/**
 * Benchmark of the container runtime through the real stack — api, worker, Redis, the Docker engine — with the
 * official SDK client and a real server (`@modelcontextprotocol/server-everything`, installed as an npx server):
 *
 *   npm run bench:runtime               (node scripts/run-ts.cjs scripts/bench-runtime.ts [--runs 20])
 *
 * - cold: a new session's first `tools/call` (`echo`), which starts a container (a `spawn` job), attaches, and
 *   initializes the server;
 * - warm: the same with a warm pool of 2 in steady state (full, its servers booted): the call claims a started
 *   container.
 * p50 and p95 over `--runs` sessions each. Targets on a 2-core machine: cold p50 ≤ 1.2 s, warm p50 ≤ 80 ms.
 */
import { parseArgs } from 'node:util';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ContainerOwnershipRepository } from '@mcp-router/queue';
import { connectClient, createAndInstall, startStack } from '../tests/support/mcp-servers';
import { percentile, printTable } from './bench-util';

/** How long pooled containers are left to finish booting before a warm measurement, in milliseconds. */
const POOL_SETTLE_MS = 1500;

async function firstCall(url: string, key: string): Promise<number> {
  const { client, transport } = await connectClient(`${url}/mcp/everything`, key);
  try {
    const started = performance.now();
    const result = await client.callTool({ name: 'echo', arguments: { message: 'bench' } });
    const elapsed = performance.now() - started;
    if (result.isError) throw new Error(`echo failed: ${JSON.stringify(result.content)}`);
    return elapsed;
  } finally {
    await (transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
  const runs = Number(values.runs);
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
  try {
    const server = await createAndInstall(api.http, auth, {
      name: 'everything',
      runtime: 'npx',
      package: '@modelcontextprotocol/server-everything',
      args: ['stdio'],
    });
    await firstCall(api.url, key);
    const cold: number[] = [];
    for (let i = 0; i < runs; i++) cold.push(await firstCall(api.url, key));

    await api.http
      .post(`/api/servers/${server.id}/update`)
      .set('Authorization', auth)
      .send({ warmPool: 2 })
      .expect(200);
    await api.http.post(`/api/servers/${server.id}/install`).set('Authorization', auth).expect(202);
    const ownership = api.app.get(ContainerOwnershipRepository);
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) {
      const deadline = Date.now() + 60_000;
      while ((await ownership.pool(server.id)).length < 2) {
        if (Date.now() > deadline) throw new Error('the warm pool did not refill within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Steady state: a pooled container joins the pool when started, and its server finishes booting ~0.3 s later.
      await new Promise((resolve) => setTimeout(resolve, POOL_SETTLE_MS));
      warm.push(await firstCall(api.url, key));
    }
    await api.http
      .post(`/api/servers/${server.id}/update`)
      .set('Authorization', auth)
      .send({ warmPool: 0 })
      .expect(200);
    const ok = printTable("Container runtime: a new session's first tools/call (echo), through api + worker + Docker", [
      {
        what: 'cold spawn → first answer',
        n: cold.length,
        stat: 'p50',
        value: percentile(cold, 50),
        unit: 'ms',
        target: 1200,
      },
      { what: 'cold spawn → first answer', n: cold.length, stat: 'p95', value: percentile(cold, 95), unit: 'ms' },
      {
        what: 'warm-pool claim → first answer',
        n: warm.length,
        stat: 'p50',
        value: percentile(warm, 50),
        unit: 'ms',
        target: 80,
      },
      { what: 'warm-pool claim → first answer', n: warm.length, stat: 'p95', value: percentile(warm, 95), unit: 'ms' },
    ]);
    process.exitCode = ok ? 0 : 1;
  } finally {
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
