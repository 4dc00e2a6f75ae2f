/** How a server is installed and started: an npm package, a PyPI package, a Docker image, or a remote URL. */
export type Runtime = 'npx' | 'uvx' | 'docker' | 'remote';
/** Every runtime, in the order the form offers them. */
export const RUNTIMES: readonly Runtime[] = ['npx', 'uvx', 'docker', 'remote'];

/** The MCP transport a server speaks. */
export type Transport = 'stdio' | 'sse' | 'streamable-http';
/** Every transport, in the order the form offers them. */
export const TRANSPORTS: readonly Transport[] = ['stdio', 'sse', 'streamable-http'];

/** Container sharing: a fresh container per client session, or one long-lived container for all sessions. */
export type Isolation = 'session' | 'shared';
/** Container network: none at all, or outbound access. */
export type NetworkMode = 'none' | 'egress';
/** Where a server's install stands. */
export type InstallStatus = 'none' | 'building' | 'installed' | 'failed';

/** Per-container resource limits. */
export interface ResourceLimits {
  /** Memory limit in MiB. */
  memoryMb: number;
  /** CPU share, in CPUs (1 = one core). */
  cpus: number;
  /** Maximum number of processes. */
  pids: number;
}

/** An environment variable definition as the API returns it: the value itself is never returned. */
export interface EnvDefinition {
  key: string;
  description: string;
  required: boolean;
  secret: boolean;
  /** True when a value is stored. */
  hasValue: boolean;
  /** The stored value of a non-secret variable, if the API chooses to return it; secrets never have one. */
  value?: string;
}

/** The install state of a server. */
export interface InstallState {
  status: InstallStatus;
  imageTag: string | null;
  /** ISO time of the last successful build. */
  builtAt: string | null;
  error: string | null;
}

/** A server as `GET /api/servers` and `GET /api/servers/:id` return it (secrets masked). */
export interface McpServer {
  id: string;
  name: string;
  displayName: string;
  description: string;
  sourceUrl?: string | null;
  runtime: Runtime;
  package: string | null;
  image: string | null;
  url: string | null;
  port?: number | null;
  args: string[];
  transport: Transport;
  isolation: Isolation;
  network: NetworkMode;
  limits: ResourceLimits;
  warmPool: number;
  enabled: boolean;
  installState: InstallState;
  env: EnvDefinition[];
  toolCount: number;
  /** Live client sessions (containers) of this server. */
  liveSessions: number;
  createdAt: string;
  updatedAt: string;
}

/** An environment variable in a create or update request; `value` omitted keeps the stored one on update. */
export interface EnvInput {
  key: string;
  description: string;
  required: boolean;
  secret: boolean;
  value?: string;
}

/** The body of `POST /api/servers` (and, partially, of `POST /api/servers/:id/update`). */
export interface ServerInput {
  name: string;
  displayName: string;
  description: string;
  sourceUrl?: string;
  runtime: Runtime;
  package?: string;
  image?: string;
  url?: string;
  port?: number;
  args: string[];
  transport: Transport;
  isolation: Isolation;
  network: NetworkMode;
  limits: ResourceLimits;
  warmPool: number;
  enabled?: boolean;
  env: EnvInput[];
}

/** Where the analyzer found a value: a file of the repository and a line in it. */
export interface Evidence {
  file: string;
  line: number;
  text?: string;
}

/** An environment variable the analyzer found. */
export interface PlanEnvVar {
  key: string;
  description: string;
  required: boolean;
  secret: boolean;
}

/** The install-and-run plan the analyzer proposes for a repository. */
export interface AnalysisPlan {
  name: string;
  displayName?: string;
  description: string;
  runtime: Runtime;
  package?: string;
  image?: string;
  url?: string;
  args: string[];
  transport: Transport;
  port?: number;
  env: PlanEnvVar[];
  /** `egress` when the server needs the internet (it takes credentials for an online service). */
  network?: NetworkMode;
  /** How sure the analyzer is, from 0 to 1. */
  confidence: number;
  warnings: string[];
  /** Evidence per plan field (`runtime`, `package`, `env.API_KEY`, ...). */
  evidence: Record<string, Evidence>;
}

/** The steps an analysis goes through, in order. */
export type AnalysisStep = 'fetching' | 'reading files' | 'heuristics' | 'claude' | 'done';
/** Every analysis step, in order. */
export const ANALYSIS_STEPS: readonly AnalysisStep[] = ['fetching', 'reading files', 'heuristics', 'claude', 'done'];

/** An analysis as `GET /api/analyses/:id` returns it. */
export interface Analysis {
  id: string;
  url: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  progress: { step: AnalysisStep; percent: number };
  plan?: AnalysisPlan;
  error?: string;
}

/** A background job as `GET /api/jobs/:id` returns it. */
export interface Job {
  /** `<queue>.<job name>.<key>`. */
  id?: string;
  name?: string;
  /** BullMQ state: `waiting`, `active`, `completed`, `failed`, `delayed` or `unknown`. */
  state: string;
  /** An install reports `{percent, step: 'building' | 'probing' | 'done', message}`; other jobs may report none. */
  progress: { percent: number; step?: string; message?: string } | number | null;
  result?: unknown;
  error?: string;
  attemptsMade?: number;
}

/** A JSON Schema, as much of it as the admin reads. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** A tool of a server's catalog. */
export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchema;
}

/** A server's catalog as `GET /api/servers/:id/tools` returns it. */
export interface ToolCatalog {
  tools: ToolInfo[];
  resources: { uri: string; name: string; description?: string }[];
  resourceTemplates: { uriTemplate: string; name: string; description?: string }[];
  prompts: { name: string; description?: string }[];
  /** ISO time of the probe that read this catalog; null before the first install. */
  probedAt?: string | null;
}

/** An MCP API key as listed (the key itself is never returned again). */
export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A freshly created API key: `key` is shown once. */
export interface CreatedApiKey {
  id: string;
  name: string;
  key: string;
  prefix: string;
  createdAt: string;
}

/** A client whose configuration `GET /api/connect` offers. */
export type ConnectClient = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode' | 'raw';

/** A ready-to-paste client configuration. */
export interface ClientConfig {
  client: ConnectClient;
  title: string;
  /** Code language of `content`: `json`, `bash`, ... */
  language: string;
  content: string;
}

/** The answer of `GET /api/connect`. */
export interface ConnectInfo {
  url: string;
  mcpUrl: string;
  sseUrl: string;
  configs: ClientConfig[];
}

/** The answer of `POST /api/auth/login`. */
export interface LoginResponse {
  accessToken: string;
  tokenType: string;
  /** Lifetime of the token in seconds. */
  expiresIn: number;
}

/** One field error of a 400 answer: `field` is a dotted path such as `env.0.key`. */
export interface FieldError {
  field: string;
  message: string;
}
