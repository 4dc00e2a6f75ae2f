import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { type ProxyConfig, ProxyConfigError, loadProxyConfig, routerHeaders } from './proxy-config';
import { StderrLogger } from './stderr-logger';
import { StdioProxy } from './stdio-proxy';

/** Exit code of a bad configuration (any other exit is 0: the client closed stdin, or a signal). */
const EXIT_CONFIG = 2;

/**
 * mcp-router stdio-proxy: MCP over stdio ⇄ the router's streamable HTTP endpoint.
 *   MCP_ROUTER_URL=http://localhost:8080/mcp MCP_ROUTER_TOKEN=<API key> node dist/apps/stdio-proxy/main.js
 * JSON-RPC lines on stdin, answers and server messages on stdout, logs on stderr. Exits 0 once stdin closes, after
 * the requests in flight are answered and the router session is deleted.
 */
async function main(): Promise<void> {
  const logger = new StderrLogger();
  let config: ProxyConfig;
  try {
    config = loadProxyConfig(process.env);
  } catch (error: unknown) {
    if (!(error instanceof ProxyConfigError)) throw error;
    logger.error(error.message);
    process.exit(EXIT_CONFIG);
  }
  const headers = routerHeaders(config);
  const proxy = new StdioProxy({
    downstream: new StdioServerTransport(),
    createUpstream: () => new StreamableHTTPClientTransport(config.url, { requestInit: { headers } }),
    url: config.url,
    logger,
  });

  let exiting = false;
  const exit = (reason: string, drainTimeoutMs: number): void => {
    if (exiting) return;
    exiting = true;
    logger.info(`${reason}; closing`);
    void proxy.shutdown(drainTimeoutMs).finally(() => {
      process.exit(0);
    });
  };
  process.stdin.once('end', () => {
    exit('stdin closed', config.drainTimeoutMs);
  });
  process.stdout.on('error', (error: Error) => {
    exit(`stdout failed (${error.message})`, 0);
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      exit(`${signal} received`, 0);
    });
  }
  if (config.token === undefined) logger.warn('MCP_ROUTER_TOKEN is not set: requests carry no API key');
  await proxy.start();
  logger.info(`proxying stdio to ${config.url.href}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`stdio-proxy failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
