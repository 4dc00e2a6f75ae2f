import { z } from 'zod';

/** How long the proxy waits for answers to requests still in flight when stdin closes, in milliseconds. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** The environment variables the stdio-proxy reads. Empty strings count as unset. */
export const proxyEnvSchema = z.object({
  MCP_ROUTER_URL: z
    .string({ error: 'is required (the router MCP endpoint, e.g. http://localhost:8080/mcp)' })
    .trim()
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://localhost:8080/mcp' })),
  MCP_ROUTER_TOKEN: optionalString,
  MCP_ROUTER_DRAIN_TIMEOUT: optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,4}$/)
      .refine((value) => Number(value) <= 3600)
      .optional(),
  ),
});

/** The validated configuration of the stdio-proxy. */
export interface ProxyConfig {
  /** The router's streamable HTTP endpoint; a bare origin (`http://host:8080`) means its `/mcp`. */
  url: URL;
  /** The API key sent as `Authorization: Bearer <token>`; unset sends no `Authorization` header. */
  token?: string;
  /** Bound on the wait for in-flight answers once stdin closes, in milliseconds (default 30 000). */
  drainTimeoutMs: number;
}

/** Thrown when the environment holds a bad setting; the message names every offending variable. */
export class ProxyConfigError extends Error {
  readonly code = 'PROXY_CONFIG_INVALID';

  /** @param problems one line per bad variable, `NAME: what is wrong`. */
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ProxyConfigError';
  }
}

/**
 * Validates the environment of the stdio-proxy. Pure: reads nothing but `env`, never echoes the token.
 * `MCP_ROUTER_DRAIN_TIMEOUT` is in seconds.
 * @throws {ProxyConfigError} naming each bad variable.
 */
export function loadProxyConfig(env: Record<string, string | undefined>): ProxyConfig {
  const parsed = proxyEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ProxyConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${describeIssue(issue.path, issue.message)}`),
    );
  }
  const url = new URL(parsed.data.MCP_ROUTER_URL);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/mcp';
  return {
    url,
    token: parsed.data.MCP_ROUTER_TOKEN,
    drainTimeoutMs:
      parsed.data.MCP_ROUTER_DRAIN_TIMEOUT === undefined
        ? DEFAULT_DRAIN_TIMEOUT_MS
        : Number(parsed.data.MCP_ROUTER_DRAIN_TIMEOUT) * 1000,
  };
}

/** The headers every request to the router carries. */
export function routerHeaders(config: Pick<ProxyConfig, 'token'>): Record<string, string> {
  return config.token === undefined ? {} : { Authorization: `Bearer ${config.token}` };
}

function describeIssue(path: PropertyKey[], message: string): string {
  return path[0] === 'MCP_ROUTER_DRAIN_TIMEOUT' ? 'must be a whole number of seconds (0 to 3600)' : message;
}
