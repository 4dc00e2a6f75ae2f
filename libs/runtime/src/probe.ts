import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  type Implementation,
  McpError,
  type Prompt,
  type Resource,
  type ResourceTemplate,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { DockerStdioTransport } from './docker-stdio.transport';
import { ProbeFailedError, ProbeTimeoutError } from './runtime.errors';

/** What a server offers, as announced when probed. */
export interface ToolCatalog {
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
  /** The server's name and version from its `initialize` answer. */
  serverInfo: Implementation;
  /** ISO time of the probe. */
  probedAt: string;
}

/** Options of {@link probeServer}. */
export interface ProbeOptions {
  /** Bound on `initialize`, and on each list request, in ms; default 30000. */
  timeoutMs?: number;
  /** Where the server's stderr lines are (default: the transport's own buffer when it is a DockerStdioTransport). */
  stderr?: { tail(n: number): string[] };
  /** How many stderr lines a failure quotes; default 20. */
  stderrLines?: number;
  /** How the probe introduces itself; default `mcp-router-probe`. */
  clientInfo?: Implementation;
  /** The clock, for `probedAt`. */
  now?: () => Date;
}

/** A bound on pages per list, against a server that hands out cursors forever. */
const MAX_PAGES = 100;

/**
 * Connects an MCP client over `transport`, initializes within the bound, then lists tools, resources, resource
 * templates and prompts (each only when the server announces the capability, following pagination cursors), and
 * closes the client (and so the transport; stopping the container is the caller's job).
 * @throws {ProbeTimeoutError} when `initialize` is not answered in time; {@link ProbeFailedError} when the server
 *   fails otherwise. Both messages end with the last lines of the server's stderr.
 */
export async function probeServer(transport: Transport, options: ProbeOptions = {}): Promise<ToolCatalog> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const stderr = options.stderr ?? (transport instanceof DockerStdioTransport ? transport.stderr : undefined);
  const withStderr = (message: string): string => {
    const lines = stderr?.tail(options.stderrLines ?? 20) ?? [];
    return lines.length === 0
      ? `${message}\n(no stderr output)`
      : `${message}\nlast stderr lines:\n${lines.map((line) => `  ${line}`).join('\n')}`;
  };
  // Announce what the gateway relays (sampling, elicitation, roots): some servers list tools only to clients that
  // can serve them. Nothing here answers such requests; a probe never calls a tool.
  const client = new Client(options.clientInfo ?? { name: 'mcp-router-probe', version: '1.0.0' }, {
    capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } },
  });
  try {
    try {
      await client.connect(transport, { timeout: timeoutMs });
    } catch (error) {
      if (error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number)) {
        throw new ProbeTimeoutError(withStderr(`the server did not answer initialize within ${timeoutMs} ms`));
      }
      throw new ProbeFailedError(withStderr(`initialize failed: ${messageOf(error)}`), { cause: error });
    }
    const capabilities = client.getServerCapabilities() ?? {};
    const request = { timeout: timeoutMs };
    const step = async <T>(what: string, work: () => Promise<T[]>): Promise<T[]> => {
      try {
        return await work();
      } catch (error) {
        throw new ProbeFailedError(withStderr(`${what} failed: ${messageOf(error)}`), { cause: error });
      }
    };
    const tools = capabilities.tools
      ? await step('tools/list', () =>
          paginate(async (cursor) => {
            const page = await client.listTools(cursor === undefined ? {} : { cursor }, request);
            return { items: page.tools, nextCursor: page.nextCursor };
          }),
        )
      : [];
    const resources = capabilities.resources
      ? await step('resources/list', () =>
          paginate(async (cursor) => {
            const page = await client.listResources(cursor === undefined ? {} : { cursor }, request);
            return { items: page.resources, nextCursor: page.nextCursor };
          }),
        )
      : [];
    const resourceTemplates = capabilities.resources
      ? await step('resources/templates/list', () =>
          paginate(async (cursor) => {
            const page = await client.listResourceTemplates(cursor === undefined ? {} : { cursor }, request);
            return { items: page.resourceTemplates, nextCursor: page.nextCursor };
          }),
        )
      : [];
    const prompts = capabilities.prompts
      ? await step('prompts/list', () =>
          paginate(async (cursor) => {
            const page = await client.listPrompts(cursor === undefined ? {} : { cursor }, request);
            return { items: page.prompts, nextCursor: page.nextCursor };
          }),
        )
      : [];
    const serverInfo = client.getServerVersion() ?? { name: 'unknown', version: 'unknown' };
    return {
      tools,
      resources,
      resourceTemplates,
      prompts,
      serverInfo,
      probedAt: (options.now?.() ?? new Date()).toISOString(),
    };
  } finally {
    // A streamable-HTTP server (a remote one) is told the session is over, as the specification asks of a client.
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
      await transport.terminateSession().catch(() => undefined);
    }
    await client.close();
  }
}

async function paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (cursor === undefined || seen.has(cursor)) return items;
    seen.add(cursor);
  }
  return items;
}

function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
    ? error.message
    : String(error);
}
