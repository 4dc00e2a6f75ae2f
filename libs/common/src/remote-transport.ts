import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * A remote server's HTTP headers, from its env entries: the key, with `_` read as `-`, is the header name
 * (`AUTHORIZATION` → `Authorization`, `X_API_KEY` → `X-Api-Key`), the (decrypted) value its value.
 */
export function headersFromEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key
        .toLowerCase()
        .split('_')
        .map((part) => (part ? part.charAt(0).toUpperCase() + part.slice(1) : part))
        .join('-'),
      value,
    ]),
  );
}

/**
 * An MCP client transport to a remote server: streamable HTTP, or the legacy SSE transport, with `headers` on every
 * request (the SSE stream included).
 */
export function createRemoteTransport(
  url: string,
  transport: 'sse' | 'streamable-http',
  headers: Record<string, string>,
): Transport {
  // The SDK sends requestInit's headers on the event stream too.
  if (transport === 'sse') return new SSEClientTransport(new URL(url), { requestInit: { headers } });
  return new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
}
