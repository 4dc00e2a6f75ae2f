import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Transport } from '@mcp-router/registry';
import { type RepoFile, repoFileKind } from '../repo-files';

/** An environment variable a file mentions, with what that file says about it. */
export interface EnvHint {
  key: string;
  description?: string;
  /** True / false when the source says so; undefined when it does not. */
  required?: boolean;
  secret?: boolean;
  file: string;
  line: number;
  source: EnvHintSource;
}

/** Where an {@link EnvHint} comes from. */
export type EnvHintSource =
  | 'launch'
  | 'server.json'
  | 'smithery'
  | 'env-example'
  | 'compose'
  | 'code'
  | 'readme-table'
  | 'readme-list'
  | 'readme-prose'
  | 'openapi';

/** A name a manifest publishes the server under, and where. */
export interface PublishedName {
  name: string;
  file: string;
  line: number;
}

/** A package of `server.json` (the MCP registry's format), camelCase and snake_case spellings alike. */
export interface ServerJsonPackage {
  registryType: string;
  identifier: string;
  version?: string;
  transport: Transport;
  args: string[];
  file: string;
  line: number;
}

/** What the manifests of a repository say. */
export interface ManifestFacts {
  npm: PublishedName[];
  pypi: PublishedName[];
  /** Executables the packages install (package.json `bin`, pyproject `[project.scripts]`). */
  executables: string[];
  /** OCI images `server.json` publishes. */
  images: PublishedName[];
  serverJsonPackages: ServerJsonPackage[];
  remotes: { url: string; transport: Transport; file: string; line: number }[];
  /** Titles and descriptions, best first. */
  titles: { text: string; file: string; line: number }[];
  descriptions: { text: string; file: string; line: number }[];
  env: EnvHint[];
  dockerfiles: { file: string; exposedPort?: number }[];
  /** Images compose files build locally (`build:` with `image:`), which no registry serves. */
  locallyBuiltImages: string[];
  smitheryCommand?: { argv: string[]; file: string; line: number };
}

/** 1-based line of the first occurrence of `needle` in `content` (1 when absent). */
export function lineOf(content: string, needle: string, fromLine = 1): number {
  const lines = content.split(/\r?\n/);
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i += 1) {
    if ((lines[i] ?? '').includes(needle)) return i + 1;
  }
  return fromLine;
}

const optionalString = z.string().optional().catch(undefined);
const optionalBoolean = z.boolean().optional().catch(undefined);

const packageJsonSchema = z.object({
  name: optionalString,
  description: optionalString,
  private: optionalBoolean,
  bin: z
    .union([z.string(), z.record(z.string(), z.string())])
    .optional()
    .catch(undefined),
});

const pyprojectSchema = z.object({
  project: z
    .object({
      name: optionalString,
      description: optionalString,
      scripts: z.record(z.string(), z.unknown()).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  tool: z
    .object({
      poetry: z
        .object({
          name: optionalString,
          description: optionalString,
          scripts: z.record(z.string(), z.unknown()).optional().catch(undefined),
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

const serverJsonEnvSchema = z.object({
  name: z.string(),
  description: optionalString,
  isRequired: optionalBoolean,
  is_required: optionalBoolean,
  isSecret: optionalBoolean,
  is_secret: optionalBoolean,
});
const serverJsonArgSchema = z.object({
  type: optionalString,
  name: optionalString,
  value: optionalString,
  valueHint: optionalString,
  value_hint: optionalString,
});
const serverJsonPackageSchema = z.object({
  registryType: optionalString,
  registry_type: optionalString,
  registryName: optionalString,
  registry_name: optionalString,
  identifier: optionalString,
  name: optionalString,
  version: optionalString,
  transport: z.object({ type: optionalString, url: optionalString }).optional().catch(undefined),
  environmentVariables: z.array(serverJsonEnvSchema).optional().catch(undefined),
  environment_variables: z.array(serverJsonEnvSchema).optional().catch(undefined),
  packageArguments: z.array(serverJsonArgSchema).optional().catch(undefined),
  package_arguments: z.array(serverJsonArgSchema).optional().catch(undefined),
});
const serverJsonSchema = z.object({
  name: optionalString,
  title: optionalString,
  description: optionalString,
  packages: z.array(serverJsonPackageSchema).optional().catch(undefined),
  remotes: z
    .array(z.object({ type: optionalString, transport_type: optionalString, url: optionalString }))
    .optional()
    .catch(undefined),
});

const smitherySchema = z.object({
  startCommand: z
    .object({
      type: optionalString,
      configSchema: z
        .object({
          required: z.array(z.string()).optional().catch(undefined),
          properties: z
            .record(z.string(), z.object({ description: optionalString }).catch({ description: undefined }))
            .optional()
            .catch(undefined),
        })
        .optional()
        .catch(undefined),
      commandFunction: optionalString,
    })
    .optional()
    .catch(undefined),
});

const composeSchema = z.object({
  services: z
    .record(
      z.string(),
      z
        .object({
          image: optionalString,
          build: z.unknown().optional(),
          environment: z
            .union([z.array(z.string()), z.record(z.string(), z.unknown())])
            .optional()
            .catch(undefined),
        })
        .catch({ image: undefined, build: undefined, environment: undefined }),
    )
    .optional()
    .catch(undefined),
});

function transportOf(type: string | undefined): Transport {
  if (!type) return 'stdio';
  if (/sse/i.test(type)) return 'sse';
  if (/http/i.test(type)) return 'streamable-http';
  return 'stdio';
}

function tryParse(parse: () => unknown): unknown {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

/** An env-var-looking name: upper case, digits and `_`, with at least one `_` (so `README` or `JSON` are not). */
export const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/**
 * Reads the manifests among `files` (package.json, pyproject.toml, setup.py, setup.cfg, server.json, smithery.yaml,
 * Dockerfile, compose files, `.env.example`, an OpenAPI spec): published names, executables, env variables, titles.
 * Malformed files are skipped (each is validated with zod).
 */
export function readManifests(files: RepoFile[]): ManifestFacts {
  const facts: ManifestFacts = {
    npm: [],
    pypi: [],
    executables: [],
    images: [],
    serverJsonPackages: [],
    remotes: [],
    titles: [],
    descriptions: [],
    env: [],
    dockerfiles: [],
    locallyBuiltImages: [],
  };
  for (const file of files) {
    switch (repoFileKind(file.path)) {
      case 'package.json':
        readPackageJson(file, facts);
        break;
      case 'pyproject':
        readPyproject(file, facts);
        break;
      case 'setup.py':
      case 'setup.cfg':
        readSetup(file, facts);
        break;
      case 'server.json':
        readServerJson(file, facts);
        break;
      case 'smithery':
        readSmithery(file, facts);
        break;
      case 'dockerfile': {
        const expose = /^\s*EXPOSE\s+(\d+)/im.exec(file.content);
        facts.dockerfiles.push(expose ? { file: file.path, exposedPort: Number(expose[1]) } : { file: file.path });
        break;
      }
      case 'compose':
        readCompose(file, facts);
        break;
      case 'env-example':
        readEnvExample(file, facts);
        break;
      case 'openapi':
        readOpenApi(file, facts);
        break;
      default:
        break;
    }
  }
  return facts;
}

function readPackageJson(file: RepoFile, facts: ManifestFacts): void {
  const parsed = packageJsonSchema.safeParse(tryParse(() => JSON.parse(file.content)));
  if (!parsed.success) return;
  const pkg = parsed.data;
  if (pkg.name && !pkg.private)
    facts.npm.push({ name: pkg.name, file: file.path, line: lineOf(file.content, '"name"') });
  if (typeof pkg.bin === 'string' && pkg.name) facts.executables.push(pkg.name.replace(/^@[^/]+\//, ''));
  if (pkg.bin && typeof pkg.bin === 'object') facts.executables.push(...Object.keys(pkg.bin));
  if (pkg.description) {
    facts.descriptions.push({ text: pkg.description, file: file.path, line: lineOf(file.content, '"description"') });
  }
}

function readPyproject(file: RepoFile, facts: ManifestFacts): void {
  const parsed = pyprojectSchema.safeParse(tryParse(() => parseToml(file.content)));
  if (!parsed.success) return;
  const project = parsed.data.project ?? parsed.data.tool?.poetry;
  if (!project) return;
  if (project.name) facts.pypi.push({ name: project.name, file: file.path, line: lineOf(file.content, 'name') });
  facts.executables.push(...Object.keys(project.scripts ?? {}));
  if (project.description) {
    facts.descriptions.push({ text: project.description, file: file.path, line: lineOf(file.content, 'description') });
  }
}

function readSetup(file: RepoFile, facts: ManifestFacts): void {
  const name = /^\s*name\s*=\s*["']?([A-Za-z0-9._-]+)["']?/m.exec(file.content);
  if (name?.[1]) facts.pypi.push({ name: name[1], file: file.path, line: lineOf(file.content, name[0].trim()) });
  for (const script of file.content.matchAll(/["']?([A-Za-z0-9._-]+)\s*=\s*[A-Za-z0-9_.]+:[A-Za-z0-9_]+/g)) {
    if (script[1]) facts.executables.push(script[1]);
  }
}

function readServerJson(file: RepoFile, facts: ManifestFacts): void {
  const parsed = serverJsonSchema.safeParse(tryParse(() => JSON.parse(file.content)));
  if (!parsed.success) return;
  const server = parsed.data;
  if (server.title) facts.titles.push({ text: server.title, file: file.path, line: lineOf(file.content, '"title"') });
  if (server.description) {
    facts.descriptions.push({ text: server.description, file: file.path, line: lineOf(file.content, '"description"') });
  }
  for (const pkg of server.packages ?? []) {
    const registryType = (
      pkg.registryType ??
      pkg.registry_type ??
      pkg.registryName ??
      pkg.registry_name ??
      ''
    ).toLowerCase();
    const identifier = pkg.identifier ?? pkg.name;
    if (!identifier) continue;
    const line = lineOf(file.content, identifier);
    const published = { name: identifier, file: file.path, line };
    if (registryType === 'npm') facts.npm.push(published);
    else if (registryType === 'pypi') facts.pypi.push(published);
    else if (registryType === 'oci' || registryType === 'docker') facts.images.push(published);
    const args = (pkg.packageArguments ?? pkg.package_arguments ?? []).flatMap((arg) => {
      const value =
        arg.value ?? ((arg.valueHint ?? arg.value_hint) ? `<${arg.valueHint ?? arg.value_hint ?? ''}>` : undefined);
      if (arg.type === 'named' && arg.name) return value ? [arg.name, value] : [arg.name];
      return value ? [value] : [];
    });
    const entry: ServerJsonPackage = {
      registryType,
      identifier,
      transport: transportOf(pkg.transport?.type),
      args,
      file: file.path,
      line,
    };
    if (pkg.version && !pkg.version.includes('$')) entry.version = pkg.version;
    facts.serverJsonPackages.push(entry);
    for (const variable of pkg.environmentVariables ?? pkg.environment_variables ?? []) {
      const hint: EnvHint = {
        key: variable.name,
        file: file.path,
        line: lineOf(file.content, `"${variable.name}"`),
        source: 'server.json',
      };
      if (variable.description) hint.description = variable.description;
      const required = variable.isRequired ?? variable.is_required;
      if (required !== undefined) hint.required = required;
      const secret = variable.isSecret ?? variable.is_secret;
      if (secret !== undefined) hint.secret = secret;
      facts.env.push(hint);
    }
  }
  for (const remote of server.remotes ?? []) {
    if (remote.url && /^https?:\/\//.test(remote.url)) {
      facts.remotes.push({
        url: remote.url,
        transport: transportOf(remote.type ?? remote.transport_type) === 'sse' ? 'sse' : 'streamable-http',
        file: file.path,
        line: lineOf(file.content, remote.url),
      });
    }
  }
}

function readSmithery(file: RepoFile, facts: ManifestFacts): void {
  const parsed = smitherySchema.safeParse(tryParse(() => parseYaml(file.content)));
  if (!parsed.success || !parsed.data.startCommand) return;
  const start = parsed.data.startCommand;
  const required = new Set(start.configSchema?.required ?? []);
  const properties = start.configSchema?.properties ?? {};
  const fn = start.commandFunction ?? '';
  for (const match of fn.matchAll(/\b([A-Z][A-Z0-9_]*)\s*:\s*config\.([A-Za-z0-9_]+)/g)) {
    const key = match[1] ?? '';
    const property = match[2] ?? '';
    const hint: EnvHint = { key, file: file.path, line: lineOf(file.content, key), source: 'smithery' };
    const description = properties[property]?.description;
    if (description) hint.description = description.trim();
    hint.required = required.has(property);
    facts.env.push(hint);
  }
  const command = /command\s*:\s*['"]([^'"]+)['"]/.exec(fn)?.[1];
  const args = /args\s*:\s*\[([^\]]*)\]/.exec(fn)?.[1];
  if (command) {
    const literalArgs = [...(args ?? '').matchAll(/['"]([^'"]*)['"]/g)].map((match) => match[1] ?? '');
    facts.smitheryCommand = {
      argv: [command, ...literalArgs],
      file: file.path,
      line: lineOf(file.content, 'commandFunction'),
    };
  }
}

function readCompose(file: RepoFile, facts: ManifestFacts): void {
  const parsed = composeSchema.safeParse(tryParse(() => parseYaml(file.content)));
  if (!parsed.success) return;
  for (const service of Object.values(parsed.data.services ?? {})) {
    if (service.build !== undefined && service.image) facts.locallyBuiltImages.push(service.image);
    const environment = service.environment;
    const keys = Array.isArray(environment)
      ? environment.map((item) => item.split('=')[0] ?? '')
      : Object.keys(environment ?? {});
    for (const key of keys) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        facts.env.push({ key, file: file.path, line: lineOf(file.content, key), source: 'compose' });
      }
    }
  }
}

function readEnvExample(file: RepoFile, facts: ManifestFacts): void {
  const lines = file.content.split(/\r?\n/);
  let comment: string[] = [];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith('#')) {
      const text = line.replace(/^#+\s*/, '');
      // A commented-out assignment (`# KEY=value`) documents an optional variable.
      const assignment = /^([A-Z][A-Z0-9_]*)=/.exec(text);
      if (assignment?.[1]) {
        facts.env.push({
          key: assignment[1],
          file: file.path,
          line: index + 1,
          source: 'env-example',
          required: false,
        });
        comment = [];
      } else if (text) {
        comment.push(text);
      }
      return;
    }
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match?.[1]) {
      comment = [];
      return;
    }
    const trailing = /\s#\s*(.*)$/.exec(match[2] ?? '')?.[1];
    const description = [...comment, trailing].filter(Boolean).join(' ');
    const hint: EnvHint = { key: match[1], file: file.path, line: index + 1, source: 'env-example' };
    if (description) hint.description = description;
    if (/\boptional\b/i.test(description)) hint.required = false;
    facts.env.push(hint);
    comment = [];
  });
}

const openApiSchema = z.object({
  components: z
    .object({ securitySchemes: z.record(z.string(), z.unknown()).optional().catch(undefined) })
    .optional()
    .catch(undefined),
  securityDefinitions: z.record(z.string(), z.unknown()).optional().catch(undefined),
});
const securitySchemeSchema = z.object({
  type: optionalString,
  scheme: optionalString,
  name: optionalString,
  in: optionalString,
  description: optionalString,
});

function readOpenApi(file: RepoFile, facts: ManifestFacts): void {
  const raw = tryParse(() => (file.path.endsWith('.json') ? JSON.parse(file.content) : parseYaml(file.content)));
  const parsed = openApiSchema.safeParse(raw);
  if (!parsed.success) return;
  const schemes = { ...(parsed.data.securityDefinitions ?? {}), ...(parsed.data.components?.securitySchemes ?? {}) };
  for (const [schemeName, value] of Object.entries(schemes)) {
    const scheme = securitySchemeSchema.safeParse(value);
    if (!scheme.success) continue;
    const { type, name, scheme: httpScheme } = scheme.data;
    const isApiKey = type === 'apiKey';
    const isBearer = type === 'http' && /bearer|basic/i.test(httpScheme ?? '');
    if (!isApiKey && !isBearer) continue;
    const base = envNameOf(isApiKey && name ? name : schemeName);
    const key = /(KEY|TOKEN|SECRET|PASSWORD)$/.test(base) ? base : `${base}_${isApiKey ? 'KEY' : 'TOKEN'}`;
    const where = isApiKey
      ? `the ${scheme.data.in ?? 'header'} ${name ?? schemeName}`
      : `HTTP ${httpScheme ?? 'bearer'} auth`;
    facts.env.push({
      key,
      description:
        scheme.data.description ?? `Credential of the API's security scheme ${schemeName} (sent as ${where})`,
      required: true,
      secret: true,
      file: file.path,
      line: lineOf(file.content, schemeName),
      source: 'openapi',
    });
  }
}

/** `X-Api-Key` / `bearerAuth` → `X_API_KEY` / `BEARER_AUTH`. */
export function envNameOf(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
    .replace(/^(\d)/, '_$1');
}
