/** What the admin's Connect page shows in place of a real key: clients get their own key, created there. */
export const API_KEY_PLACEHOLDER = '<YOUR_API_KEY>';

/** The image of the stdio-proxy (built by `docker compose build`), which Claude Desktop runs as a stdio server. */
export const STDIO_PROXY_IMAGE = 'mcp-router/stdio-proxy';

/** A client whose configuration `GET /api/connect` offers. */
export type ConnectClient = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode' | 'raw';

/** A ready-to-paste client configuration. */
export interface ClientConfig {
  client: ConnectClient;
  /** Names the client and where the content goes. */
  title: string;
  /** Code language of `content`: `json`, `bash` or `text`. */
  language: 'json' | 'bash' | 'text';
  content: string;
}

/** The answer of `GET /api/connect`. */
export interface ConnectInfo {
  /** The router's public base URL (the admin). */
  url: string;
  /** The streamable HTTP MCP endpoint. */
  mcpUrl: string;
  /** The legacy HTTP+SSE endpoint. */
  sseUrl: string;
  configs: ClientConfig[];
}

const SERVER_NAME = 'mcp-router';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

/**
 * The router's endpoints and one configuration per client, for a router reached at `publicUrl` (no trailing slash
 * needed). Pure. Keys appear as {@link API_KEY_PLACEHOLDER}. When the URL is the local machine, the stdio-proxy
 * container runs with `--network host` so that its `localhost` is the host's.
 */
export function buildConnectInfo(publicUrl: string): ConnectInfo {
  const url = publicUrl.replace(/\/+$/, '');
  const mcpUrl = `${url}/mcp`;
  const sseUrl = `${url}/sse`;
  const authorization = `Bearer ${API_KEY_PLACEHOLDER}`;
  return {
    url,
    mcpUrl,
    sseUrl,
    configs: [
      {
        client: 'claude-desktop',
        title: 'Claude Desktop (claude_desktop_config.json)',
        language: 'json',
        content: json({
          mcpServers: {
            [SERVER_NAME]: {
              command: 'docker',
              args: [
                'run',
                '-i',
                '--rm',
                ...(isLoopback(url) ? ['--network', 'host'] : []),
                '-e',
                `MCP_ROUTER_URL=${mcpUrl}`,
                '-e',
                `MCP_ROUTER_TOKEN=${API_KEY_PLACEHOLDER}`,
                STDIO_PROXY_IMAGE,
              ],
            },
          },
        }),
      },
      {
        client: 'claude-code',
        title: 'Claude Code (terminal)',
        language: 'bash',
        content: `claude mcp add --transport http ${SERVER_NAME} ${mcpUrl} --header "Authorization: ${authorization}"`,
      },
      {
        client: 'cursor',
        title: 'Cursor (~/.cursor/mcp.json)',
        language: 'json',
        content: json({ mcpServers: { [SERVER_NAME]: { url: mcpUrl, headers: { Authorization: authorization } } } }),
      },
      {
        client: 'vscode',
        title: 'VS Code (.vscode/mcp.json)',
        language: 'json',
        content: json({
          servers: { [SERVER_NAME]: { type: 'http', url: mcpUrl, headers: { Authorization: authorization } } },
        }),
      },
      {
        client: 'raw',
        title: 'Any MCP client',
        language: 'text',
        content: [
          `Streamable HTTP:     ${mcpUrl}`,
          `HTTP + SSE (legacy): ${sseUrl}`,
          `Header:              Authorization: ${authorization}`,
        ].join('\n'),
      },
    ],
  };
}

function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost') || hostname.startsWith('127.');
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
