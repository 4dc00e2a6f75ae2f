import type { McpServerEntity, SecretCipher, StoredEnvVar } from '@mcp-router/registry';

/** An env entry as the API shows it: never the value, only whether one is set. */
export interface EnvVarView {
  key: string;
  description: string;
  required: boolean;
  secret: boolean;
  hasValue: boolean;
}

/** A server as the API shows it (secret values masked). */
export interface ServerView {
  id: string;
  name: string;
  displayName: string;
  description: string;
  sourceUrl: string | null;
  runtime: McpServerEntity['runtime'];
  package: string | null;
  image: string | null;
  url: string | null;
  port: number | null;
  args: string[];
  transport: McpServerEntity['transport'];
  isolation: McpServerEntity['isolation'];
  network: McpServerEntity['network'];
  limits: McpServerEntity['limits'];
  warmPool: number;
  enabled: boolean;
  installState: {
    status: McpServerEntity['installStatus'];
    imageTag: string | null;
    builtAt: string | null;
    error: string | null;
  };
  env: EnvVarView[];
  toolCount: number;
  /** Client sessions holding a container (or connection) of this server right now. */
  liveSessions: number;
  createdAt: string;
  updatedAt: string;
}

/** Maps an entity to its API view. Pure; the env values never leave. */
export function toServerView(server: McpServerEntity, liveSessions = 0): ServerView {
  return {
    id: server.id,
    name: server.name,
    displayName: server.displayName,
    description: server.description,
    sourceUrl: server.sourceUrl,
    runtime: server.runtime,
    package: server.package,
    image: server.image,
    url: server.url,
    port: server.port,
    args: server.args,
    transport: server.transport,
    isolation: server.isolation,
    network: server.network,
    limits: server.limits,
    warmPool: server.warmPool,
    enabled: server.enabled,
    installState: {
      status: server.installStatus,
      imageTag: server.imageTag,
      builtAt: server.builtAt ? server.builtAt.toISOString() : null,
      error: server.installError,
    },
    env: server.env.map((entry) => ({
      key: entry.key,
      description: entry.description,
      required: entry.required,
      secret: entry.secret,
      hasValue: entry.value !== undefined,
    })),
    toolCount: server.catalog?.tools.length ?? 0,
    liveSessions,
    createdAt: server.createdAt.toISOString(),
    updatedAt: server.updatedAt.toISOString(),
  };
}

/** An env entry as given in a create or update body. */
export interface EnvInput {
  key: string;
  description: string;
  required: boolean;
  secret: boolean;
  value?: string | null;
}

/**
 * The env definitions to store: each given value encrypted; an entry given without `value` keeps the value stored
 * under the same key (so an edit form never has to send secrets back); `value: null` clears it.
 */
export function mergeEnv(stored: StoredEnvVar[], input: EnvInput[], cipher: SecretCipher): StoredEnvVar[] {
  const previous = new Map(stored.map((entry) => [entry.key, entry.value]));
  return input.map((entry) => {
    const next: StoredEnvVar = {
      key: entry.key,
      description: entry.description,
      required: entry.required,
      secret: entry.secret,
    };
    const value =
      entry.value === undefined
        ? previous.get(entry.key)
        : entry.value === null
          ? undefined
          : cipher.encrypt(entry.value);
    if (value !== undefined) next.value = value;
    return next;
  });
}
