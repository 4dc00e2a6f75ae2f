import type {
  AnalysisPlan,
  EnvInput,
  Evidence,
  Isolation,
  McpServer,
  NetworkMode,
  ResourceLimits,
  Runtime,
  ServerInput,
  Transport,
} from '../../../core/api/api.models';
import type { ServerUpdate } from '../../../core/api/servers-api.service';

/** One environment variable row of the server form. */
export interface EnvRowValue {
  key: string;
  description: string;
  required: boolean;
  secret: boolean;
  /** The value typed in the form (`''` when none). */
  value: string;
  /** A value is already stored on the server (edit mode); it is never shown. */
  hasValue: boolean;
  /** The admin chose to replace the stored value with `value`. */
  replace: boolean;
}

/** Everything the server form edits, in the shape of its controls. */
export interface ServerFormValue {
  name: string;
  displayName: string;
  description: string;
  /** GitHub URL the server was analysed from (`''` when added otherwise). */
  sourceUrl: string;
  runtime: Runtime;
  package: string;
  image: string;
  url: string;
  /** Container port of an HTTP transport; null for stdio and remote servers. */
  port: number | null;
  args: string[];
  transport: Transport;
  isolation: Isolation;
  network: NetworkMode;
  limits: ResourceLimits;
  warmPool: number;
  enabled: boolean;
  env: EnvRowValue[];
}

/** The design's default container limits: 512 MiB, 1 CPU, 256 processes. */
export const DEFAULT_LIMITS: ResourceLimits = { memoryMb: 512, cpus: 1, pids: 256 };

/** The rule a server name follows (it prefixes tool names). */
export const SERVER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** The rule an environment variable name follows. */
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Environment variable names that hold credentials: their values go in password fields. */
const SECRET_KEY_PATTERN = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|PWD|CREDENTIAL|AUTH|PRIVATE|COOKIE|SESSION)/i;

/** Whether an environment variable name looks like it holds a credential (`GITHUB_TOKEN`, `API_KEY`, ...). */
export function looksSecret(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

/**
 * Turns any label into a valid server name: lowercase, runs of other characters become one dash, at most 32
 * characters, no leading or trailing dash. `''` when nothing usable is left.
 */
export function slugify(text: string): string {
  const withoutScope = text.replace(/^@[^/]+\//, '');
  return withoutScope
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 32)
    .replace(/-+$/, '');
}

/** A blank environment row. */
export function emptyEnvRow(overrides: Partial<EnvRowValue> = {}): EnvRowValue {
  return {
    key: '',
    description: '',
    required: false,
    secret: false,
    value: '',
    hasValue: false,
    replace: false,
    ...overrides,
  };
}

/** The form of a server added by hand: npx over stdio, default isolation, no network, default limits. */
export function emptyServerForm(): ServerFormValue {
  return {
    name: '',
    displayName: '',
    description: '',
    sourceUrl: '',
    runtime: 'npx',
    package: '',
    image: '',
    url: '',
    port: null,
    args: [],
    transport: 'stdio',
    isolation: 'session',
    network: 'none',
    limits: { ...DEFAULT_LIMITS },
    warmPool: 0,
    enabled: true,
    env: [],
  };
}

/** The form prefilled with an analyzer's plan; `sourceUrl` is the analysed repository. */
export function planToFormValue(plan: AnalysisPlan, sourceUrl: string): ServerFormValue {
  return {
    ...emptyServerForm(),
    name: slugify(plan.name) || slugify(plan.displayName ?? ''),
    displayName: plan.displayName?.trim() || plan.name,
    description: plan.description,
    sourceUrl,
    runtime: plan.runtime,
    package: plan.package ?? '',
    image: plan.image ?? '',
    url: plan.url ?? '',
    port: plan.port ?? null,
    args: [...plan.args],
    transport: plan.transport,
    network: plan.network ?? 'none',
    env: plan.env.map((variable) =>
      emptyEnvRow({
        key: variable.key,
        description: variable.description,
        required: variable.required,
        secret: variable.secret,
      }),
    ),
  };
}

/** The form of an existing server: stored values stay hidden (`hasValue`), except non-secret ones the API returns. */
export function serverToFormValue(server: McpServer): ServerFormValue {
  return {
    name: server.name,
    displayName: server.displayName,
    description: server.description,
    sourceUrl: server.sourceUrl ?? '',
    runtime: server.runtime,
    package: server.package ?? '',
    image: server.image ?? '',
    url: server.url ?? '',
    port: server.port ?? null,
    args: [...server.args],
    transport: server.transport,
    isolation: server.isolation,
    network: server.network,
    limits: { ...DEFAULT_LIMITS, ...server.limits },
    warmPool: server.warmPool,
    enabled: server.enabled,
    env: server.env.map((definition) => {
      const shownValue = !definition.secret && typeof definition.value === 'string' ? definition.value : '';
      return emptyEnvRow({
        key: definition.key,
        description: definition.description,
        required: definition.required,
        secret: definition.secret,
        value: shownValue,
        hasValue: definition.hasValue && !shownValue,
      });
    }),
  };
}

/**
 * The form fields shown for a runtime and transport: the runtime's target (package, image or URL), the port of a
 * container HTTP transport, and the container settings unless the server is remote.
 */
export function visibleFields(runtime: Runtime, transport: Transport): string[] {
  const fields = ['name', 'displayName', 'description', 'runtime', 'transport', 'args', 'env'];
  if (runtime === 'npx' || runtime === 'uvx') fields.push('package');
  if (runtime === 'docker') fields.push('image');
  if (runtime === 'remote') fields.push('url');
  else fields.push('isolation', 'network', 'limits', 'warmPool');
  if (needsPort(runtime, transport)) fields.push('port');
  return fields;
}

/** Whether a server of this runtime and transport listens on a container port. */
export function needsPort(runtime: Runtime, transport: Transport): boolean {
  return runtime !== 'remote' && transport !== 'stdio';
}

/** The transports a runtime can use: a remote server is reached over HTTP, never stdio. */
export function transportsFor(runtime: Runtime): Transport[] {
  return runtime === 'remote' ? ['streamable-http', 'sse'] : ['stdio', 'streamable-http', 'sse'];
}

function envInput(row: EnvRowValue, keepStored: boolean): EnvInput {
  const input: EnvInput = {
    key: row.key.trim(),
    description: row.description.trim(),
    required: row.required,
    secret: row.secret,
  };
  const keeping = keepStored && row.hasValue && !row.replace;
  if (!keeping && row.value !== '') input.value = row.value;
  return input;
}

function toInput(value: ServerFormValue, keepStored: boolean): ServerInput {
  const input: ServerInput = {
    name: value.name.trim(),
    displayName: value.displayName.trim() || value.name.trim(),
    description: value.description.trim(),
    runtime: value.runtime,
    args: value.args.map((arg) => arg.trim()).filter((arg) => arg !== ''),
    transport: value.transport,
    isolation: value.isolation,
    network: value.network,
    limits: {
      memoryMb: value.limits.memoryMb,
      cpus: value.limits.cpus,
      pids: value.limits.pids,
    },
    warmPool: value.warmPool,
    enabled: value.enabled,
    env: value.env.map((row) => envInput(row, keepStored)),
  };
  if (value.sourceUrl.trim()) input.sourceUrl = value.sourceUrl.trim();
  if (value.runtime === 'npx' || value.runtime === 'uvx') input.package = value.package.trim();
  if (value.runtime === 'docker') input.image = value.image.trim();
  if (value.runtime === 'remote') input.url = value.url.trim();
  if (needsPort(value.runtime, value.transport) && value.port !== null) input.port = value.port;
  return input;
}

/**
 * The body of `POST /api/servers`: trimmed, only the target field of the runtime (package, image or url), blank
 * arguments dropped, env values only where one was typed.
 */
export function toServerInput(value: ServerFormValue): ServerInput {
  return toInput(value, false);
}

/**
 * The body of `POST /api/servers/:id/update`: like {@link toServerInput}, but a stored value that was not replaced
 * is sent without `value`, which keeps it.
 */
export function toServerUpdate(value: ServerFormValue): ServerUpdate {
  return toInput(value, true);
}

/**
 * The control path of an API field error: `env.0.key` and `env[0].key` become `['env', 0, 'key']`.
 * Returns `[]` for errors about the whole body.
 */
export function fieldPath(field: string): (string | number)[] {
  if (!field || field === '(body)') return [];
  return field
    .replace(/\[(\w+)\]/g, '.$1')
    .split('.')
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The analyzer's evidence for a field, looked up by field name, or for an env row by `env.<KEY>` / `<KEY>`. */
export function evidenceFor(evidence: Record<string, Evidence> | undefined, field: string): Evidence | undefined {
  if (!evidence) return undefined;
  const direct = evidence[field];
  if (direct) return direct;
  if (field.startsWith('env.')) {
    const key = field.slice('env.'.length);
    return evidence[`env[${key}]`] ?? evidence[key];
  }
  return undefined;
}

/** Fields a warning can be placed beside, in the order they are matched. */
const WARNING_FIELDS = ['package', 'image', 'url', 'args', 'transport', 'port', 'runtime', 'network', 'name'] as const;

/** The analyzer's warnings, each placed beside the field it mentions, or left general. */
export interface PlacedWarnings {
  /** Warnings that mention no field. */
  general: string[];
  /** Warnings per field: `package`, `args`, ..., or `env.<KEY>` for an environment variable. */
  byField: Record<string, string[]>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Places each warning beside the field it concerns: an environment variable named in it (exact, case-sensitive)
 * wins, then the first plan field named as a whole word (`package`, `args`, ...); a warning about a field that is
 * not shown (`visibleFields`), or about none, is general.
 */
export function placeWarnings(
  warnings: readonly string[],
  envKeys: readonly string[],
  shownFields: readonly string[] = WARNING_FIELDS,
): PlacedWarnings {
  const placed: PlacedWarnings = { general: [], byField: {} };
  const add = (field: string, warning: string): void => {
    (placed.byField[field] ??= []).push(warning);
  };
  for (const warning of warnings) {
    const key = envKeys.find((candidate) => candidate && new RegExp(`\\b${escapeRegExp(candidate)}\\b`).test(warning));
    if (key) {
      add(`env.${key}`, warning);
      continue;
    }
    const field = WARNING_FIELDS.find((candidate) => new RegExp(`\\b${candidate}s?\\b`, 'i').test(warning));
    if (field && shownFields.includes(field)) add(field, warning);
    else placed.general.push(warning);
  }
  return placed;
}

/** The analyzer's confidence as a whole percentage (accepts 0–1 or 0–100). */
export function confidencePercent(confidence: number): number {
  const percent = confidence <= 1 ? confidence * 100 : confidence;
  return Math.round(Math.min(100, Math.max(0, percent)));
}
