import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/**
 * The environment variables MCP Router reads, with their defaults. Empty strings count as unset.
 * Durations are in seconds, sizes in MiB.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port.default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^(postgres|postgresql):\/\//, 'must be a postgres:// URL (leave unset for SQLite in DATA_DIR)')
      .optional(),
  ),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _ only')
    .default('mcpr'),
  ADMIN_PASSCODE: optionalString.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  SECRETS_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9+/_-]{43}=?$|^[0-9a-fA-F]{64}$/, 'must be 32 bytes, as 64 hex digits or base64')
      .optional(),
  ),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-5'),
  ANTHROPIC_BASE_URL: optionalString.pipe(z.url({ error: 'must be a URL' }).optional()),
  GITHUB_TOKEN: optionalString,
  GITHUB_API_URL: z.url({ error: 'must be a URL' }).default('https://api.github.com'),
  DOCKER_HOST: optionalString.pipe(
    z
      .string()
      .regex(/^(unix|tcp|http|https):\/\//, 'must be unix:///path or tcp://host:port')
      .optional(),
  ),
  BUILD_NETWORK: optionalString,
  CONTAINER_MEMORY_MB: positiveInt.default(512),
  CONTAINER_CPUS: z.coerce.number().positive().max(64).default(1),
  CONTAINER_PIDS: positiveInt.default(256),
  PROBE_TIMEOUT: positiveInt.default(30),
  REAP_GRACE: nonNegativeInt.default(120),
  SESSION_IDLE_TIMEOUT: positiveInt.default(900),
  SANDBOX_ENABLED: z.stringbool().default(true),
  SANDBOX_WARM_POOL: nonNegativeInt.default(0),
  SANDBOX_MEMORY_MB: positiveInt.default(1024),
  SANDBOX_CPUS: z.coerce.number().positive().max(64).default(1),
  SANDBOX_PIDS: positiveInt.default(128),
  SANDBOX_CONTEXT_DIR: optionalString,
  INSTANCE_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
  ),
});

/** The raw, validated environment (before secrets are resolved from `DATA_DIR`). */
export type Env = z.infer<typeof envSchema>;
