import { z } from 'zod';
import type { Runtime, Transport } from '@mcp-router/registry';

/**
 * The runtimes a plan may name: the registry's, spelled out here (checked against its type) so that the pure
 * heuristics load no database code.
 */
export const PLAN_RUNTIMES = ['npx', 'uvx', 'docker', 'remote'] as const satisfies readonly Runtime[];
/** The transports a plan may name (the registry's, see {@link PLAN_RUNTIMES}). */
export const PLAN_TRANSPORTS = ['stdio', 'sse', 'streamable-http'] as const satisfies readonly Transport[];
// Compile-time checks: these fail to compile when the registry gains a runtime or transport that plans cannot name.
const _everyRuntime: [Exclude<Runtime, (typeof PLAN_RUNTIMES)[number]>] extends [never] ? true : never = true;
const _everyTransport: [Exclude<Transport, (typeof PLAN_TRANSPORTS)[number]>] extends [never] ? true : never = true;

/** Server names are slugs: they prefix tool names. */
export const SERVER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** An environment variable name. */
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** An npm package name, optionally `@version`. */
export const NPM_PACKAGE_PATTERN = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(@[A-Za-z0-9.^~<>=*+-]+)?$/;
/** A PyPI package name, optionally with extras and a version specifier. */
export const PYPI_PACKAGE_PATTERN =
  /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?((==|>=|<=|~=|!=|>|<)[A-Za-z0-9.*+!-]+)?$/;
/** A Docker image reference: `[registry[:port]/]path[:tag][@digest]`. */
export const IMAGE_PATTERN =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** The steps of an analysis, in order, as `onProgress` reports them. */
export const ANALYSIS_STEPS = ['fetching', 'reading files', 'heuristics', 'claude', 'done'] as const;
/** A step of an analysis. */
export type AnalysisStep = (typeof ANALYSIS_STEPS)[number];

/** Where a value of the plan comes from: a file of the repository (repo-relative path), a 1-based line, an excerpt. */
export const evidenceSchema = z.object({
  file: z.string().min(1).max(500),
  line: z.number().int().min(0),
  text: z.string().max(500).optional(),
});
/** Where a value of the plan comes from. */
export type Evidence = z.infer<typeof evidenceSchema>;

/** An environment variable the server reads. `secret` values are stored encrypted and never shown again. */
export const planEnvVarSchema = z.object({
  key: z.string().regex(ENV_KEY_PATTERN),
  description: z.string().max(2000),
  required: z.boolean(),
  secret: z.boolean(),
});
/** An environment variable the server reads. */
export type PlanEnvVar = z.infer<typeof planEnvVarSchema>;

/**
 * The fields of a plan, without the cross-field rules: also the input schema of the tool Claude is forced to call
 * (a JSON schema cannot carry the refinements of {@link planSchema}).
 */
export const planFieldsSchema = z.object({
  name: z.string().regex(SERVER_NAME_PATTERN),
  displayName: z.string().min(1).max(200),
  description: z.string().max(5000),
  runtime: z.enum(PLAN_RUNTIMES),
  package: z.string().min(1).max(300).optional(),
  image: z.string().min(1).max(300).optional(),
  url: z.string().max(2000).optional(),
  args: z.array(z.string().max(4096)).max(100),
  transport: z.enum(PLAN_TRANSPORTS),
  port: z.number().int().min(1).max(65_535).optional(),
  env: z.array(planEnvVarSchema).max(200),
  /** `egress` when the server talks to an online service (it needs credentials for one, or is remote). */
  network: z.enum(['none', 'egress']).optional(),
  confidence: z.number().min(0).max(1),
  warnings: z.array(z.string().max(2000)).max(100),
  /** Evidence per plan field: `runtime`, `package`, `image`, `url`, `args`, `transport`, `port`, `env.<KEY>`, ... */
  evidence: z.record(z.string().max(200), evidenceSchema),
});

/**
 * The install-and-run plan of an MCP server, as the analyzer proposes it and `POST /api/servers` accepts it: npx and
 * uvx need a `package`, docker an `image`, remote an http(s) `url` and a network transport; env keys are unique.
 */
export const planSchema = planFieldsSchema.superRefine((plan, ctx) => {
  const problem = (path: string, message: string): void => {
    ctx.addIssue({ code: 'custom', path: [path], message });
  };
  switch (plan.runtime) {
    case 'npx':
      if (!plan.package || !NPM_PACKAGE_PATTERN.test(plan.package)) problem('package', 'must be an npm package name');
      break;
    case 'uvx':
      if (!plan.package || !PYPI_PACKAGE_PATTERN.test(plan.package)) problem('package', 'must be a PyPI package name');
      break;
    case 'docker':
      if (!plan.image || !IMAGE_PATTERN.test(plan.image)) problem('image', 'must be a Docker image reference');
      break;
    case 'remote':
      if (!plan.url || !/^https?:\/\/[^\s]+$/.test(plan.url)) problem('url', 'must be an http(s) URL');
      if (plan.transport === 'stdio') problem('transport', 'a remote server speaks sse or streamable-http');
      break;
  }
  if (plan.runtime !== 'remote' && plan.transport !== 'stdio' && !plan.port) {
    problem('port', `is required for a container speaking ${plan.transport}`);
  }
  const keys = new Set<string>();
  for (const entry of plan.env) {
    if (keys.has(entry.key)) problem('env', `duplicate key ${entry.key}`);
    keys.add(entry.key);
  }
});

/** The install-and-run plan of an MCP server (see {@link planSchema}). */
export type AnalysisPlan = z.infer<typeof planSchema>;
