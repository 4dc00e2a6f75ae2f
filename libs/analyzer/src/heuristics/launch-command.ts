import type { Runtime, Transport } from '@mcp-router/registry';
import { IMAGE_PATTERN, NPM_PACKAGE_PATTERN, PYPI_PACKAGE_PATTERN } from '../analysis-plan.schema';
import { tokenizeShell } from './shell-words';

/** An environment variable a launch command sets: `value` is undefined when it only names it (`docker -e KEY`). */
export interface LaunchEnv {
  key: string;
  value?: string;
}

/** How a README says to start a server, reduced to what the router can run. */
export interface LaunchSpec {
  runtime: Runtime;
  /** npm or PyPI package, without a floating tag (`@latest`); a pinned version stays. */
  package?: string;
  /** The executable uvx runs, when it differs from the package (`uvx --from pkg other-command`). */
  executable?: string;
  /** Docker image, without `:latest`. */
  image?: string;
  /** Remote server URL. */
  url?: string;
  args: string[];
  env: LaunchEnv[];
  transport: Transport;
  /** Container port a docker command publishes. */
  port?: number;
  /** Traits that make a launch a worse choice for the router. */
  traits: LaunchTrait[];
}

/** A trait of a launch command that makes it a worse default (see the scoring in `heuristic-planner.ts`). */
export type LaunchTrait = 'windows' | 'volume' | 'detached' | 'entrypoint' | 'env-file' | 'local-build';

/** Why an argv is not a launch the router can use. */
export type LaunchRejection = { rejected: string };

const FLOATING_TAGS = /^(latest|next|beta|alpha|canary|rc|stable|edge|main|master|nightly|dev)$/i;
/** Packages that install or inspect servers rather than being one. */
const TOOLING_PACKAGES = new Set(['@modelcontextprotocol/inspector', '@smithery/cli', 'smithery', 'mcp-get']);

/**
 * Reads an argv (`['npx', '-y', 'pkg', ...]`, `['docker', 'run', ...]`, `['uvx', ...]`, `['claude', 'mcp', 'add', ...]`,
 * `['env', 'K=V', 'npx', ...]`, `['cmd', '/c', 'npx', ...]`) into a {@link LaunchSpec}. `configEnv` is the `env` map of
 * the client configuration the argv came from. Returns a rejection for anything the router cannot run as is (a local
 * path, `python -m`, `uv run`, a git source, a tool such as the inspector).
 */
export function parseLaunchArgv(argv: string[], configEnv: LaunchEnv[] = []): LaunchSpec | LaunchRejection {
  const env: LaunchEnv[] = [...configEnv];
  const traits: LaunchTrait[] = [];
  let words = argv.filter((word) => word.length > 0);
  for (let guard = 0; guard < 4; guard += 1) {
    const head = words[0]?.toLowerCase();
    if (head === 'cmd' && /^\/c$/i.test(words[1] ?? '')) {
      traits.push('windows');
      words = words.slice(2);
    } else if (head === 'env' || head === 'export') {
      words = words.slice(1);
    } else if (head === 'set' && /^[A-Za-z_]\w*=/.test(words[1] ?? '')) {
      traits.push('windows');
      words = words.slice(1);
    } else if (head && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) {
      const word = words[0] ?? '';
      const eq = word.indexOf('=');
      upsertEnv(env, { key: word.slice(0, eq), value: word.slice(eq + 1) });
      words = words.slice(1);
      continue;
    } else {
      break;
    }
    while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) {
      const word = words[0] ?? '';
      const eq = word.indexOf('=');
      upsertEnv(env, { key: word.slice(0, eq), value: word.slice(eq + 1) });
      words = words.slice(1);
    }
  }
  const command = (words[0] ?? '').replace(/\.(exe|cmd)$/i, '').toLowerCase();
  const rest = words.slice(1);
  let spec: LaunchSpec | LaunchRejection;
  switch (command) {
    case 'npx':
    case 'bunx':
      spec = parseNpx(rest, env, traits);
      break;
    case 'pnpm':
    case 'yarn':
      spec = rest[0] === 'dlx' ? parseNpx(rest.slice(1), env, traits) : { rejected: `${command} ${rest[0] ?? ''}` };
      break;
    case 'uvx':
      spec = parseUvx(rest, env, traits);
      break;
    case 'uv':
      spec =
        rest[0] === 'tool' && rest[1] === 'run'
          ? parseUvx(rest.slice(2), env, traits)
          : { rejected: 'uv run needs a checkout' };
      break;
    case 'pipx':
      spec = rest[0] === 'run' ? parseUvx(rest.slice(1), env, traits, '--spec') : { rejected: 'pipx install' };
      break;
    case 'docker':
    case 'podman':
      spec = parseDocker(rest, env, traits);
      break;
    default:
      spec = parseClientCli(words, env) ?? { rejected: `not a launcher: ${command || '(empty)'}` };
  }
  if ('rejected' in spec) return spec;
  if (spec.runtime === 'npx' && spec.package && TOOLING_PACKAGES.has(stripNpmVersion(spec.package))) {
    return { rejected: `tooling package ${spec.package}` };
  }
  if (spec.runtime === 'npx' && spec.package && stripNpmVersion(spec.package) === 'mcp-remote') {
    const url = spec.args.find((arg) => /^https?:\/\//.test(arg));
    if (!url) return { rejected: 'mcp-remote without a URL' };
    return remoteSpec(url, 'streamable-http', env);
  }
  return spec;
}

function upsertEnv(env: LaunchEnv[], entry: LaunchEnv): void {
  const existing = env.find((item) => item.key === entry.key);
  if (!existing) env.push(entry);
  else if (entry.value !== undefined) existing.value = entry.value;
}

/** Drops a floating dist-tag from an npm spec (`pkg@latest` → `pkg`); keeps a pinned version. */
export function normalizeNpmPackage(spec: string): string {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return spec;
  const version = spec.slice(at + 1);
  return FLOATING_TAGS.test(version) || version === '' ? spec.slice(0, at) : spec;
}

/** The npm package name without its version. */
export function stripNpmVersion(spec: string): string {
  const at = spec.lastIndexOf('@');
  return at <= 0 ? spec : spec.slice(0, at);
}

/** Normalizes a uvx / PyPI spec: `pkg@latest` → `pkg`, `pkg@1.2` → `pkg==1.2`. */
export function normalizePypiPackage(spec: string): string {
  const at = spec.indexOf('@');
  if (at <= 0) return spec;
  const version = spec.slice(at + 1);
  if (FLOATING_TAGS.test(version) || version === '') return spec.slice(0, at);
  return /^\d/.test(version) ? `${spec.slice(0, at)}==${version}` : spec;
}

/** The PyPI project name without extras or version, normalized (PEP 503: lower case, runs of `-_.` → `-`). */
export function pypiName(spec: string): string {
  return (spec.split(/[[=<>!~@]/)[0] ?? spec).toLowerCase().replace(/[-_.]+/g, '-');
}

/** A Docker image without `:latest` (other tags and digests are kept). */
export function normalizeImage(image: string): string {
  return image.replace(/:latest$/, '');
}

/** A Docker image reduced to what identifies it: no default registry, no tag, no digest, lower case. */
export function imageIdentity(image: string): string {
  let name = image.toLowerCase().replace(/@sha256:[a-f0-9]+$/, '');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  return name.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
}

const NPX_VALUE_OPTIONS = new Set(['-p', '--package', '--cache', '--registry', '--userconfig', '--node-options']);

function parseNpx(words: string[], env: LaunchEnv[], traits: LaunchTrait[]): LaunchSpec | LaunchRejection {
  let packageSpec: string | undefined;
  let i = 0;
  for (; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (word === '--') {
      i += 1;
      break;
    }
    if (word === '-c' || word === '--call') return { rejected: 'npx -c runs a shell string' };
    if (NPX_VALUE_OPTIONS.has(word)) {
      if (word === '-p' || word === '--package') packageSpec = words[i + 1];
      i += 1;
      continue;
    }
    if (word.startsWith('--package=')) {
      packageSpec = word.slice('--package='.length);
      continue;
    }
    if (word.startsWith('-')) continue;
    break;
  }
  const positional = words[i];
  if (positional === undefined && packageSpec === undefined) return { rejected: 'npx without a package' };
  let args = words.slice(i + 1);
  let spec = packageSpec ?? positional ?? '';
  if (packageSpec !== undefined && positional !== undefined) {
    // `npx -p pkg bin args`: the bin is implied by the package when it has one bin; keep the rest.
    args = words.slice(i + 1);
    spec = packageSpec;
  }
  const pkg = normalizeNpmPackage(spec);
  if (!NPM_PACKAGE_PATTERN.test(pkg)) return { rejected: `not an npm package: ${spec}` };
  return finish({ runtime: 'npx', package: pkg, args, env, transport: 'stdio', traits });
}

const UVX_VALUE_OPTIONS = new Set([
  '--from',
  '--spec',
  '--with',
  '--with-editable',
  '--with-requirements',
  '--python',
  '-p',
  '--index',
  '--index-url',
  '--extra-index-url',
  '--default-index',
  '--env-file',
  '--constraints',
  '--overrides',
  '--directory',
  '--project',
  '--cache-dir',
  '--config-file',
  '--index-strategy',
  '--keyring-provider',
  '--resolution',
  '--prerelease',
  '--exclude-newer',
  '--link-mode',
  '--python-preference',
]);

function parseUvx(
  words: string[],
  env: LaunchEnv[],
  traits: LaunchTrait[],
  fromOption = '--from',
): LaunchSpec | LaunchRejection {
  let from: string | undefined;
  let i = 0;
  for (; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (word === '--') {
      i += 1;
      break;
    }
    const [name = '', inline] = word.startsWith('--') && word.includes('=') ? word.split(/=(.*)/s) : [word, undefined];
    if (name === fromOption || name === '--from' || name === '--spec') {
      from = inline ?? words[i + 1];
      if (inline === undefined) i += 1;
      continue;
    }
    if (UVX_VALUE_OPTIONS.has(name)) {
      if (name === '--env-file') traits.push('env-file');
      if (inline === undefined) i += 1;
      continue;
    }
    if (word.startsWith('-')) continue;
    break;
  }
  const executable = words[i];
  if (executable === undefined) return { rejected: 'uvx without a command' };
  const source = from ?? executable;
  if (/^(git\+|https?:|file:|\.|\/|~)/.test(source) || source.includes('/')) {
    return { rejected: `not a PyPI package: ${source}` };
  }
  const pkg = normalizePypiPackage(source);
  if (!PYPI_PACKAGE_PATTERN.test(pkg)) return { rejected: `not a PyPI package: ${source}` };
  const exe = executable.replace(/\.exe$/i, '');
  if (/\.exe$/i.test(executable)) traits.push('windows');
  const spec: LaunchSpec = { runtime: 'uvx', package: pkg, args: words.slice(i + 1), env, transport: 'stdio', traits };
  if (from !== undefined && pypiName(exe) !== pypiName(pkg)) spec.executable = exe;
  return finish(spec);
}

const DOCKER_VALUE_OPTIONS = new Set([
  '-e',
  '--env',
  '--env-file',
  '-v',
  '--volume',
  '--mount',
  '-p',
  '--publish',
  '--name',
  '--entrypoint',
  '--network',
  '--net',
  '-w',
  '--workdir',
  '-u',
  '--user',
  '--platform',
  '--pull',
  '--add-host',
  '-l',
  '--label',
  '--cpus',
  '-m',
  '--memory',
  '--memory-swap',
  '--hostname',
  '-h',
  '--restart',
  '--log-driver',
  '--log-opt',
  '--cap-add',
  '--cap-drop',
  '--security-opt',
  '--device',
  '--gpus',
  '--ulimit',
  '--tmpfs',
  '--shm-size',
  '--ipc',
  '--pid',
  '--dns',
  '--expose',
  '--stop-signal',
  '--stop-timeout',
  '--runtime',
  '--link',
  '--cidfile',
  '--group-add',
  '--userns',
  '--label-file',
]);
const DOCKER_FLAG_LETTERS = /^-[itdP]+$/;

function parseDocker(words: string[], env: LaunchEnv[], traits: LaunchTrait[]): LaunchSpec | LaunchRejection {
  let rest = words;
  if (rest[0] === 'container') rest = rest.slice(1);
  if (rest[0] !== 'run') return { rejected: `docker ${rest[0] ?? ''}` };
  let port: number | undefined;
  let i = 1;
  for (; i < rest.length; i += 1) {
    const word = rest[i] ?? '';
    if (word === '--') {
      i += 1;
      break;
    }
    if (!word.startsWith('-')) break;
    const [name = '', inline] = word.startsWith('--') && word.includes('=') ? word.split(/=(.*)/s) : [word, undefined];
    if (DOCKER_FLAG_LETTERS.test(word)) {
      if (word.includes('d')) traits.push('detached');
      continue;
    }
    if (name === '--detach') traits.push('detached');
    if (!DOCKER_VALUE_OPTIONS.has(name)) continue;
    const value = inline ?? rest[i + 1] ?? '';
    if (inline === undefined) i += 1;
    if (name === '-e' || name === '--env') {
      const eq = value.indexOf('=');
      if (eq < 0) upsertEnv(env, { key: value });
      else upsertEnv(env, { key: value.slice(0, eq), value: value.slice(eq + 1) });
    } else if (name === '-v' || name === '--volume' || name === '--mount') {
      traits.push('volume');
    } else if (name === '-p' || name === '--publish') {
      const containerPort = Number(/(\d+)(\/\w+)?$/.exec(value)?.[1]);
      if (Number.isInteger(containerPort) && containerPort > 0 && containerPort < 65536) port = containerPort;
    } else if (name === '--entrypoint') {
      traits.push('entrypoint');
    } else if (name === '--env-file') {
      traits.push('env-file');
    }
  }
  const image = rest[i];
  if (image === undefined) return { rejected: 'docker run without an image' };
  const normalized = normalizeImage(image);
  if (!IMAGE_PATTERN.test(normalized)) return { rejected: `not an image reference: ${image}` };
  const env2 = env.filter((entry) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.key));
  const spec: LaunchSpec = {
    runtime: 'docker',
    image: normalized,
    args: rest.slice(i + 1),
    env: env2,
    transport: 'stdio',
    traits,
  };
  if (port !== undefined) spec.port = port;
  return finish(spec);
}

/** `claude mcp add`, `codex mcp add`, `gemini mcp add`, `amp mcp add`, ... and `claude mcp add-json`. */
function parseClientCli(words: string[], env: LaunchEnv[]): LaunchSpec | LaunchRejection | undefined {
  const mcp = words.indexOf('mcp');
  if (mcp < 0 || mcp > 1) return undefined;
  const verb = words[mcp + 1];
  if (verb === 'add-json') return { rejected: 'add-json (parsed as a client configuration)' };
  if (verb !== 'add') return undefined;
  let transport: string | undefined;
  const positional: string[] = [];
  let i = mcp + 2;
  for (; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (word === '--') {
      i += 1;
      break;
    }
    if (positional.length >= 1 && !word.startsWith('-')) break;
    if (!word.startsWith('-')) {
      positional.push(word);
      continue;
    }
    const [name = '', inline] = word.includes('=') && word.startsWith('--') ? word.split(/=(.*)/s) : [word, undefined];
    if (name === '--trust') continue;
    if (name === '-e' || name === '--env') {
      let j = inline === undefined ? i + 1 : i;
      const first = inline ?? words[j] ?? '';
      addAssignment(env, first);
      // claude's -e takes several KEY=value words.
      while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[j + 1] ?? '') && positional.length === 0) {
        j += 1;
        addAssignment(env, words[j] ?? '');
      }
      i = j;
      continue;
    }
    if (name === '-t' || name === '--transport') transport = inline ?? words[i + 1];
    if (inline === undefined) i += 1;
  }
  if (positional.length === 0 && words[i] !== undefined && !String(words[i]).startsWith('-')) {
    positional.push(words[i] ?? '');
    i += 1;
  }
  let argv = words.slice(i);
  if (argv.length === 1 && /\s/.test(argv[0] ?? '')) {
    argv = tokenizeShell(argv[0] ?? '').flatMap((token) => (token.kind === 'word' ? [token.value] : []));
  }
  const target = argv[0];
  if (target === undefined) return { rejected: 'mcp add without a command' };
  if (/^https?:\/\//.test(target)) {
    return remoteSpec(target, transport === 'sse' ? 'sse' : 'streamable-http', env);
  }
  const inner = parseLaunchArgv(argv, env);
  return inner;
}

function addAssignment(env: LaunchEnv[], word: string): void {
  const eq = word.indexOf('=');
  if (eq > 0) upsertEnv(env, { key: word.slice(0, eq), value: word.slice(eq + 1) });
}

/** A remote-server launch; local URLs (a server the user started themselves) are rejected. */
export function remoteSpec(url: string, transport: Transport, env: LaunchEnv[] = []): LaunchSpec | LaunchRejection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { rejected: `not a URL: ${url}` };
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) return { rejected: `not an http(s) URL: ${url}` };
  if (/^(localhost|127\.|0\.0\.0\.0|\[::1\]|host\.docker\.internal)/.test(parsed.hostname) || /[<>{}]/.test(url)) {
    return { rejected: `local or placeholder URL: ${url}` };
  }
  const resolved: Transport =
    transport === 'stdio' ? (/\/sse\/?$/.test(parsed.pathname) ? 'sse' : 'streamable-http') : transport;
  return { runtime: 'remote', url, args: [], env, transport: resolved, traits: [] };
}

function finish(spec: LaunchSpec): LaunchSpec {
  spec.args = spec.args.map(unquote);
  spec.env = spec.env.map((entry) =>
    entry.value === undefined ? entry : { key: entry.key, value: unquote(entry.value) },
  );
  return spec;
}

/** Strips one pair of matching outer quotes that a README left inside a JSON string (`"\"redis://...\""`). */
export function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && /^(["']).*\1$/s.test(trimmed)) return trimmed.slice(1, -1);
  return value;
}
