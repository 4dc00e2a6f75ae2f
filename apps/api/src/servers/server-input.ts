import { z } from 'zod';
import { RUNTIMES, TRANSPORTS } from '@mcp-router/registry';

/** Server names: slugs, because they prefix tool names. */
export const SERVER_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
// npm: optional scope, name, optional exact version or range.
const NPM_PACKAGE = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(@[A-Za-z0-9.^~<>=*+-]+)?$/;
// PyPI: name, optional extras, optional version specifier.
const PYPI_PACKAGE = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?((==|>=|<=|~=|!=|>|<)[A-Za-z0-9.*+!-]+)?$/;
// A Docker image reference: [registry[:port]/]path[:tag][@digest].
const IMAGE =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

const envEntry = z.object({
  key: z
    .string()
    .regex(ENV_KEY, 'must be an environment variable name (letters, digits, _; not starting with a digit)'),
  description: z.string().max(2000).default(''),
  required: z.boolean().default(false),
  secret: z.boolean().default(false),
  /** A new value; omit it on update to keep the stored one, `null` to clear it. */
  value: z.string().max(65_536).nullable().optional(),
});

const limits = z
  .object({
    memoryMb: z.number().int().min(16).max(65_536),
    cpus: z.number().positive().max(64),
    pids: z.number().int().min(8).max(65_536),
  })
  .partial();

const argument = z
  .string()
  .max(4096)
  .refine((arg) => !arg.includes('\0'), 'must not contain NUL');

/** The fields of a server an admin can set; the base of create and update. */
const serverFields = z.object({
  name: z
    .string()
    .regex(SERVER_NAME, 'must be a slug: lowercase letters, digits and -, at most 32, not starting with -'),
  displayName: z.string().min(1).max(200),
  description: z.string().max(5000),
  sourceUrl: z.url().max(500).nullable(),
  runtime: z.enum(RUNTIMES),
  package: z.string().max(300).nullable(),
  image: z.string().max(300).regex(IMAGE, 'must be a Docker image reference such as ghcr.io/org/name:tag').nullable(),
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2000)
    .nullable(),
  port: z.number().int().min(1).max(65_535).nullable(),
  args: z.array(argument).max(100),
  transport: z.enum(TRANSPORTS),
  env: z.array(envEntry).max(200),
  isolation: z.enum(['session', 'shared']),
  network: z.enum(['none', 'egress']),
  limits,
  warmPool: z.number().int().min(0).max(20),
  enabled: z.boolean(),
});

/** Body of `POST /api/servers`. Accepts an analyzer plan as it is: its extra fields (confidence, warnings, evidence) are dropped. */
export const createServerSchema = serverFields
  .extend({
    displayName: serverFields.shape.displayName.optional(),
    description: serverFields.shape.description.default(''),
    sourceUrl: serverFields.shape.sourceUrl.optional(),
    package: serverFields.shape.package.optional(),
    image: serverFields.shape.image.optional(),
    url: serverFields.shape.url.optional(),
    port: serverFields.shape.port.optional(),
    args: serverFields.shape.args.default([]),
    transport: serverFields.shape.transport.default('stdio'),
    env: serverFields.shape.env.default([]),
    isolation: serverFields.shape.isolation.default('session'),
    network: serverFields.shape.network.default('none'),
    limits: limits.default({}),
    warmPool: serverFields.shape.warmPool.default(0),
    enabled: serverFields.shape.enabled.default(true),
  })
  .superRefine(checkConsistency);

/** Body of `POST /api/servers/:id/update`: any subset of the fields. */
export const updateServerSchema = serverFields.partial();

/** A validated create body. */
export type CreateServerInput = z.infer<typeof createServerSchema>;
/** A validated update body. */
export type UpdateServerInput = z.infer<typeof updateServerSchema>;

/** The fields {@link checkConsistency} looks at, after defaults. */
export interface ServerShape {
  runtime: (typeof RUNTIMES)[number];
  package?: string | null;
  image?: string | null;
  url?: string | null;
  port?: number | null;
  transport: (typeof TRANSPORTS)[number];
  env: { key: string }[];
}

/**
 * Cross-field rules: what each runtime needs (a valid package, an image, or a URL), which transports make sense,
 * unique env keys. Reports each problem at its field.
 */
export function checkConsistency(server: ServerShape, ctx: z.RefinementCtx): void {
  const problem = (path: string, message: string): void => {
    ctx.addIssue({ code: 'custom', path: [path], message });
  };
  switch (server.runtime) {
    case 'npx':
      if (!server.package) problem('package', 'is required for an npx server (an npm package name)');
      else if (!NPM_PACKAGE.test(server.package))
        problem('package', 'must be an npm package name, optionally @version');
      break;
    case 'uvx':
      if (!server.package) problem('package', 'is required for a uvx server (a PyPI package name)');
      else if (!PYPI_PACKAGE.test(server.package))
        problem('package', 'must be a PyPI package name, optionally ==version');
      break;
    case 'docker':
      if (!server.image) problem('image', 'is required for a docker server');
      break;
    case 'remote':
      if (!server.url) problem('url', 'is required for a remote server');
      if (server.transport === 'stdio') problem('transport', 'a remote server speaks sse or streamable-http');
      break;
  }
  if (server.runtime !== 'remote' && server.transport !== 'stdio' && !server.port) {
    problem('port', `is required for a container speaking ${server.transport}`);
  }
  const seen = new Set<string>();
  server.env.forEach((entry, index) => {
    if (seen.has(entry.key))
      ctx.addIssue({ code: 'custom', path: ['env', index, 'key'], message: `duplicate key ${entry.key}` });
    seen.add(entry.key);
  });
}
