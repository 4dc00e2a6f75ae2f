import * as z from 'zod/mini';

import type { Transport } from '../../../core/api/api.models';
import {
  emptyEnvRow,
  emptyServerForm,
  type EnvRowValue,
  looksSecret,
  type ServerFormValue,
  slugify,
} from '../server-form/server-form.model';

/** One server entry of a Claude Desktop / Cursor / VS Code configuration file. */
const entrySchema = z.looseObject({
  command: z.optional(z.string()),
  args: z.optional(z.array(z.string())),
  env: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  url: z.optional(z.string()),
  type: z.optional(z.string()),
  transport: z.optional(z.string()),
  headers: z.optional(z.record(z.string(), z.string())),
  disabled: z.optional(z.boolean()),
});

/** A configuration file: Claude Desktop and Cursor use `mcpServers`, VS Code uses `servers`. */
const configSchema = z.looseObject({
  mcpServers: z.optional(z.record(z.string(), z.unknown())),
  servers: z.optional(z.record(z.string(), z.unknown())),
});

type ConfigEntry = z.infer<typeof entrySchema>;

/** One entry of an imported file: the server form it becomes, or why it cannot be imported. */
export interface ImportedEntry {
  /** The entry's key in the file. */
  key: string;
  /** The form value, absent when the entry cannot be imported. */
  value?: ServerFormValue;
  /** What the admin should check (things dropped or guessed). */
  notes: string[];
  /** Why the entry cannot be imported. */
  error?: string;
}

/** The result of reading a configuration file. */
export interface ImportResult {
  entries: ImportedEntry[];
  /** Why the file as a whole cannot be read (not JSON, no servers). */
  error?: string;
}

/** `docker run` options that take a value (`-e KEY`, `--name x`); the others are flags. */
const DOCKER_OPTIONS_WITH_VALUE = new Set([
  '-e',
  '--env',
  '--env-file',
  '-v',
  '--volume',
  '--mount',
  '--name',
  '--network',
  '--net',
  '-p',
  '--publish',
  '-w',
  '--workdir',
  '--entrypoint',
  '-u',
  '--user',
  '-l',
  '--label',
  '-m',
  '--memory',
  '--cpus',
  '--platform',
  '--pull',
  '-h',
  '--hostname',
  '--add-host',
  '--cap-add',
  '--cap-drop',
  '--security-opt',
  '--tmpfs',
  '--ulimit',
  '--shm-size',
]);

/** `uvx` options that take a value. */
const UVX_OPTIONS_WITH_VALUE = new Set([
  '--from',
  '--with',
  '--python',
  '-p',
  '--index-url',
  '--extra-index-url',
  '--index',
]);

/** `npx` options that take a value. */
const NPX_OPTIONS_WITH_VALUE = new Set(['-p', '--package', '-c', '--call', '--registry']);

/** The executable's base name without a Windows extension: `C:\\bin\\npx.cmd` → `npx`. */
function commandName(command: string): string {
  const base = command.split(/[\\/]/).pop() ?? command;
  return base.replace(/\.(cmd|exe|bat)$/i, '').toLowerCase();
}

/** Splits `[...options, target, ...rest]`, where options start with `-` and some take the next argument. */
function splitTarget(
  args: readonly string[],
  optionsWithValue: ReadonlySet<string>,
): { options: string[][]; target?: string; rest: string[] } {
  const options: string[][] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (!arg.startsWith('-')) return { options, target: arg, rest: args.slice(index + 1) };
    const [flag = arg] = arg.split('=', 1);
    if (optionsWithValue.has(flag) && !arg.includes('=')) {
      options.push([arg, args[index + 1] ?? '']);
      index++;
    } else {
      options.push(arg.includes('=') ? [flag, arg.slice(flag.length + 1)] : [arg]);
    }
  }
  return { options, rest: [] };
}

function envRows(env: ConfigEntry['env']): EnvRowValue[] {
  return Object.entries(env ?? {}).map(([key, value]) =>
    emptyEnvRow({ key, value: String(value), required: true, secret: looksSecret(key) }),
  );
}

function remoteTransport(entry: ConfigEntry, url: string): Transport {
  const declared = (entry.type ?? entry.transport ?? '').toLowerCase();
  if (declared === 'sse') return 'sse';
  if (declared === 'http' || declared === 'streamable-http' || declared === 'streamablehttp') return 'streamable-http';
  return /\/sse\/?(\?|$)/.test(url) ? 'sse' : 'streamable-http';
}

function fromDocker(base: ServerFormValue, args: readonly string[], notes: string[]): ServerFormValue | string {
  const runIndex = args.indexOf('run');
  if (runIndex < 0) return 'Only "docker run ..." commands can be imported.';
  const { options, target, rest } = splitTarget(args.slice(runIndex + 1), DOCKER_OPTIONS_WITH_VALUE);
  if (!target) return 'The "docker run" command names no image.';
  const env = [...base.env];
  const dropped: string[] = [];
  for (const [flag = '', value = ''] of options) {
    if (flag === '-e' || flag === '--env') {
      const [key = '', ...assigned] = value.split('=');
      const existing = env.find((row) => row.key === key);
      if (assigned.length) {
        const row = emptyEnvRow({ key, value: assigned.join('='), required: true, secret: looksSecret(key) });
        if (existing) Object.assign(existing, { value: row.value });
        else env.push(row);
      } else if (!existing && key) {
        env.push(emptyEnvRow({ key, required: true, secret: looksSecret(key) }));
      }
    } else if (!['-i', '--interactive', '-t', '--tty', '-it', '--rm', '--init', '-d', '--detach'].includes(flag)) {
      dropped.push(value ? `${flag} ${value}` : flag);
    }
  }
  if (dropped.length) notes.push(`Docker options not imported (the router sets its own): ${dropped.join(', ')}.`);
  return { ...base, runtime: 'docker', image: target, args: rest, env };
}

function fromEntry(key: string, entry: ConfigEntry): ImportedEntry {
  const notes: string[] = [];
  const base: ServerFormValue = {
    ...emptyServerForm(),
    name: slugify(key),
    displayName: key,
    env: envRows(entry.env),
    enabled: entry.disabled !== true,
  };
  if (!base.name) notes.push('Its name had no usable characters: choose a name.');
  if (entry.url) {
    if (entry.headers && Object.keys(entry.headers).length) {
      notes.push(`HTTP headers are not imported: ${Object.keys(entry.headers).join(', ')}.`);
    }
    return {
      key,
      notes,
      value: { ...base, runtime: 'remote', url: entry.url, transport: remoteTransport(entry, entry.url) },
    };
  }
  if (!entry.command) return { key, notes, error: 'It has neither a "command" nor a "url".' };

  const args = entry.args ?? [];
  const command = commandName(entry.command);
  if (command === 'npx' || command === 'uvx') {
    const { options, target, rest } = splitTarget(
      args,
      command === 'npx' ? NPX_OPTIONS_WITH_VALUE : UVX_OPTIONS_WITH_VALUE,
    );
    const fromFlags = command === 'npx' ? ['--package', '-p'] : ['--from'];
    const from = options.find(([flag = '']) => fromFlags.includes(flag))?.[1];
    const ignored = options.filter(([flag = '']) => ![...fromFlags, '-y', '--yes', '-q', '--quiet'].includes(flag));
    if (!target && !from) return { key, notes, error: `The ${command} command names no package.` };
    if (ignored.length) notes.push(`Options not imported: ${ignored.map((option) => option.join(' ')).join(', ')}.`);
    if (from && target) {
      notes.push(`It runs the command "${target}" of the package "${from}": check that the package starts it.`);
    }
    return { key, notes, value: { ...base, runtime: command, package: from ?? target ?? '', args: rest } };
  }
  if (command === 'docker') {
    const value = fromDocker(base, args, notes);
    return typeof value === 'string' ? { key, notes, error: value } : { key, notes, value };
  }
  return {
    key,
    notes,
    error: `"${entry.command}" cannot run inside the router: only npx, uvx, docker and URLs can be imported. Add it by hand with one of those runtimes.`,
  };
}

/**
 * Reads a Claude Desktop `claude_desktop_config.json`, a Cursor / Claude Code `mcp.json` (`mcpServers`) or a VS Code
 * `mcp.json` (`servers`) and turns each entry into a server form: `npx -y pkg ...rest` → npx, `uvx pkg` → uvx,
 * `docker run ... image ...` → docker (its `-e` variables kept), `url` → remote; `env` becomes environment
 * variables, secret when the name looks like a credential. Never throws: problems are in `error` fields.
 */
export function parseMcpConfig(text: string): ImportResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    return { entries: [], error: `This is not valid JSON (${reason}).` };
  }
  const config = configSchema.safeParse(json);
  const servers = config.success ? (config.data.mcpServers ?? config.data.servers) : undefined;
  if (!servers) {
    return { entries: [], error: 'No "mcpServers" (or "servers") object found: is this an MCP configuration file?' };
  }
  const entries = Object.entries(servers).map(([key, raw]): ImportedEntry => {
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) {
      const issue = entry.error.issues[0];
      const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
      return {
        key,
        notes: [],
        error: `This entry is not in the expected shape${where}: ${issue?.message ?? 'invalid'}.`,
      };
    }
    return fromEntry(key, entry.data);
  });
  if (!entries.length) return { entries, error: 'The file lists no servers.' };
  return { entries };
}
