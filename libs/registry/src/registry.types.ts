import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';

/** How a server is installed and started. */
export const RUNTIMES = ['npx', 'uvx', 'docker', 'remote'] as const;
/** How a server is installed and started: an npm package, a PyPI package, a Docker image, or a remote URL. */
export type Runtime = (typeof RUNTIMES)[number];

/** The MCP transports a server can speak. */
export const TRANSPORTS = ['stdio', 'sse', 'streamable-http'] as const;
/** The MCP transport a server speaks. */
export type Transport = (typeof TRANSPORTS)[number];

/** Container sharing: a fresh container per client session, or one long-lived container for all sessions. */
export type Isolation = 'session' | 'shared';
/** Container network: none at all, or outbound access. */
export type NetworkMode = 'none' | 'egress';
/** Where a server's install stands. */
export type InstallStatus = 'none' | 'building' | 'installed' | 'failed';

/** An environment variable a server needs, as stored: the value encrypted (see `SecretCipher`). */
export interface StoredEnvVar {
  key: string;
  description: string;
  required: boolean;
  secret: boolean;
  /** The encrypted value, absent when none was given. */
  value?: string;
}

/** The tools, resources, resource templates and prompts a server announced when last probed. */
export interface ToolCatalog {
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
  /** ISO time of the probe. */
  probedAt: string;
}
