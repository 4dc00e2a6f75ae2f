import { z } from 'zod';
import { InvalidServerSpecError } from './runtime.errors';
import { isExecutableName, isImageRef, parseNpmPackage, parsePythonPackage } from './package-ref';

/** How a server is installed and started: an npm package, a PyPI package, a Docker image, or a remote URL. */
export type ServerRuntime = 'npx' | 'uvx' | 'docker' | 'remote';

/** The MCP transport a server speaks. */
export type McpTransportKind = 'stdio' | 'sse' | 'streamable-http';

/** Container network: none at all, or outbound access through the engine's default bridge. */
export type NetworkAccess = 'none' | 'egress';

/** Container resource limits. */
export interface ResourceLimits {
  /** Memory (and memory + swap: no swap) in MiB; at least 6 (the engine's minimum). */
  memoryMb: number;
  /** CPUs as a fraction of cores (0.5 = half a core). */
  cpus: number;
  /** Maximum number of processes and threads. */
  pids: number;
}

/** The limits a container gets for every field its spec leaves out: 512 MiB, 1 CPU, 256 pids. */
export const DEFAULT_LIMITS: Readonly<ResourceLimits> = Object.freeze({ memoryMb: 512, cpus: 1, pids: 256 });

/**
 * What the runtime needs to know of a server to build its image and run it. Built by the caller from the stored
 * server; `env` carries decrypted values and must only exist for the moment of a spawn.
 */
export interface ServerSpec {
  /** The server's id (written into container labels). */
  id: string;
  /** The server's slug, `^[a-z0-9][a-z0-9-]{0,31}$` (names its image). */
  name: string;
  runtime: ServerRuntime;
  /** npx: `name[@version]`; uvx: `name[extras][==version]` or `name@version`. Pin a version for reproducible images. */
  package?: string;
  /**
   * The executable to run from the package. npx default: the package's only `bin`, else the one named like the
   * package (npx's rule); uvx default: the package name (uvx's rule).
   */
  bin?: string;
  /** docker: the image to run (pulled when absent). */
  image?: string;
  /** Arguments after the executable (npx/uvx) or the image's entrypoint (docker). An argv array, never a shell string. */
  args: string[];
  transport: McpTransportKind;
  /** remote: the server's URL. */
  url?: string;
  /** The port a containerised HTTP server listens on. */
  port?: number;
  network: NetworkAccess;
  /** Resource limits; a missing field takes its value from {@link DEFAULT_LIMITS}. */
  limits?: Partial<ResourceLimits>;
  /** Environment of the container: decrypted values, only at spawn time. Never logged, never in an error message. */
  env: Record<string, string>;
}

/** The name of a server: a slug of at most 32 characters. */
export const SERVER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** The name of an environment variable the runtime accepts. */
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const NO_NUL = (text: string): boolean => !text.includes('\0');

const limitsSchema = z
  .object({
    memoryMb: z
      .number()
      .int()
      .min(6)
      .max(1024 * 1024),
    cpus: z.number().min(0.01).max(256),
    pids: z.number().int().min(8).max(1_000_000),
  })
  .partial();

/** zod schema of a {@link ServerSpec}: every field checked, the package, image and executable against strict patterns. */
export const serverSpecSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    name: z.string().regex(SERVER_NAME_PATTERN, 'must be a slug: a-z, 0-9 and "-", at most 32 characters'),
    runtime: z.enum(['npx', 'uvx', 'docker', 'remote']),
    package: z.string().optional(),
    bin: z.string().refine(isExecutableName, 'must be an executable name (letters, digits, ".", "_", "-")').optional(),
    image: z.string().refine(isImageRef, 'must be a Docker image reference').optional(),
    args: z.array(z.string().max(8192).refine(NO_NUL, 'must not contain NUL')).max(128),
    transport: z.enum(['stdio', 'sse', 'streamable-http']),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    network: z.enum(['none', 'egress']),
    limits: limitsSchema.optional(),
    env: z.record(
      z.string().regex(ENV_KEY_PATTERN, 'must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)'),
      z.string().max(65536, 'value is too long').refine(NO_NUL, 'value must not contain NUL'),
    ),
  })
  .superRefine(
    (spec, ctx) => {
      const need = (field: 'package' | 'image' | 'url', why: string): void => {
        if (spec[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
      };
      // Typed as a string: with `when` this also runs on a spec whose runtime failed its own check.
      const runtime: string = spec.runtime;
      if (runtime === 'npx') {
        need('package', 'is required for runtime npx');
        if (typeof spec.package === 'string' && !parseNpmPackage(spec.package)) {
          ctx.addIssue({ code: 'custom', path: ['package'], message: 'must be an npm package: name[@version]' });
        }
      } else if (runtime === 'uvx') {
        need('package', 'is required for runtime uvx');
        if (typeof spec.package === 'string' && !parsePythonPackage(spec.package)) {
          ctx.addIssue({
            code: 'custom',
            path: ['package'],
            message: 'must be a PyPI package: name[extras][==version]',
          });
        }
      } else if (runtime === 'docker') {
        need('image', 'is required for runtime docker');
      } else if (runtime === 'remote') {
        need('url', 'is required for runtime remote');
      }
    },
    // Run even when other fields failed, so that one answer lists every problem (the checks tolerate bad fields).
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

/**
 * Validates an untrusted spec (built from stored data) at the boundary of the runtime.
 * @throws {InvalidServerSpecError} listing each bad field; an env problem names the key, never the value.
 */
export function parseServerSpec(input: unknown): ServerSpec {
  const result = serverSpecSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidServerSpecError(
      result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(spec)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** The spec's limits with every missing field taken from {@link DEFAULT_LIMITS}. */
export function resolveLimits(limits: Partial<ResourceLimits> | undefined): ResourceLimits {
  return {
    memoryMb: limits?.memoryMb ?? DEFAULT_LIMITS.memoryMb,
    cpus: limits?.cpus ?? DEFAULT_LIMITS.cpus,
    pids: limits?.pids ?? DEFAULT_LIMITS.pids,
  };
}
