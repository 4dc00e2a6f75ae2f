import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { envSchema } from './config.schema';
import type { AppConfig } from './config.types';

/** Thrown when the environment holds a bad setting; the message names every offending variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';

  /** @param problems one line per bad variable, `NAME: what is wrong`. */
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** The raw values the loader keeps besides {@link AppConfig}: secrets that are resolved later against `DATA_DIR`. */
export interface RawSecrets {
  adminPasscode?: string;
  jwtSecret?: string;
  secretsKey?: string;
}

/**
 * Validates the environment and builds the typed configuration. Pure: reads nothing but `env`.
 * @throws {ConfigError} naming each bad variable.
 */
export function loadConfig(env: Record<string, string | undefined>): { config: AppConfig; raw: RawSecrets } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${describeIssue(issue)}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const config: AppConfig = {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    dataDir,
    database: e.DATABASE_URL
      ? { type: 'postgres', url: e.DATABASE_URL }
      : { type: 'sqlite', path: resolve(dataDir, 'mcp-router.sqlite') },
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    instanceId: e.INSTANCE_ID ?? `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-')}-${randomUUID().slice(0, 8)}`,
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, model: e.ANTHROPIC_MODEL, baseUrl: e.ANTHROPIC_BASE_URL },
    github: { apiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''), token: e.GITHUB_TOKEN },
    docker: { host: e.DOCKER_HOST, buildNetwork: e.BUILD_NETWORK },
    containerDefaults: { memoryMb: e.CONTAINER_MEMORY_MB, cpus: e.CONTAINER_CPUS, pids: e.CONTAINER_PIDS },
    probeTimeoutMs: e.PROBE_TIMEOUT * 1000,
    reapGraceMs: e.REAP_GRACE * 1000,
    sessionIdleTimeoutMs: e.SESSION_IDLE_TIMEOUT * 1000,
    sandbox: {
      enabled: e.SANDBOX_ENABLED,
      warmPool: e.SANDBOX_WARM_POOL,
      limits: { memoryMb: e.SANDBOX_MEMORY_MB, cpus: e.SANDBOX_CPUS, pids: e.SANDBOX_PIDS },
      contextDir: resolve(e.SANDBOX_CONTEXT_DIR ?? 'docker/sandbox'),
    },
  };
  return { config, raw: { adminPasscode: e.ADMIN_PASSCODE, jwtSecret: e.JWT_SECRET, secretsKey: e.SECRETS_KEY } };
}

// The value is never echoed: a bad secret must not end up in the boot log.
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}
