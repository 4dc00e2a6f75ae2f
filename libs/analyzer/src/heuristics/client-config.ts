import { parse as parseToml } from 'smol-toml';
import type { Transport } from '@mcp-router/registry';
import {
  type LaunchEnv,
  type LaunchRejection,
  type LaunchSpec,
  parseLaunchArgv,
  remoteSpec,
  stripNpmVersion,
} from './launch-command';
import { tokenizeShell } from './shell-words';

/** A server entry found in a client configuration (`mcpServers`, `servers`, `context_servers`, TOML `mcp_servers`). */
export interface ClientConfigEntry {
  /** The entry's key (the server's name in the client), if it had one. */
  name?: string;
  /** The launch, or why it cannot be used. */
  launch: LaunchSpec | LaunchRejection;
  /** A string of the entry to find its line by: the package, image or URL as written. */
  anchor: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Parses JSON the way READMEs write it: comments, trailing commas, a bare `"key": {...}` fragment, `...` ellipses.
 * Returns undefined when it still is not JSON.
 */
export function parseLenientJson(text: string): Json | undefined {
  const attempts = [text];
  const cleaned = stripJsonNoise(text);
  attempts.push(cleaned);
  if (!/^\s*[[{]/.test(cleaned)) attempts.push(`{${cleaned}}`);
  attempts.push(`{${cleaned.replace(/,\s*$/, '')}}`);
  for (const attempt of attempts) {
    const parsed = tryJson(attempt);
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

function tryJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function stripJsonNoise(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (inString) {
      out += char;
      if (char === '\\') {
        out += text[i + 1] ?? '';
        i += 1;
      } else if (char === '"') {
        inString = false;
      }
      continue;
    }
    if (char === '"') {
      inString = true;
      out += char;
      continue;
    }
    if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
      out += '\n';
      continue;
    }
    if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    out += char;
  }
  return out
    .replace(/^\s*\.\.\.\s*,?\s*$/gm, '')
    .replace(/,(\s*[}\]])/g, '$1')
    .trim()
    .replace(/,$/, '');
}

/** Parses a TOML block, or undefined. */
export function parseTomlBlock(text: string): Json | undefined {
  try {
    return parseToml(text) as unknown as Json;
  } catch {
    return undefined;
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringsOf(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))) : [];
}

function envOf(value: Json | undefined): LaunchEnv[] {
  if (!isObject(value)) return [];
  return Object.entries(value)
    .filter(([key]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
    .map(([key, raw]) => ({ key, value: typeof raw === 'string' ? raw : JSON.stringify(raw) }));
}

function transportOf(type: Json | undefined): Transport {
  if (typeof type !== 'string') return 'stdio';
  if (/sse/i.test(type)) return 'sse';
  if (/http/i.test(type)) return 'streamable-http';
  return 'stdio';
}

/**
 * The server entries of a parsed client configuration, wherever they sit (`mcpServers`, `mcp.servers`,
 * `amp.mcpServers`, `context_servers`, `mcp_servers`, or the object itself): objects with a `command` (a string, an
 * argv array, or Zed's `{path, args, env}`) or a `url` / `httpUrl` / `serverUrl`.
 */
export function findClientConfigEntries(root: Json): ClientConfigEntry[] {
  const entries: ClientConfigEntry[] = [];
  const visit = (value: Json, name: string | undefined, depth: number, inServers: boolean): void => {
    if (depth > 6) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, name, depth + 1, inServers);
      return;
    }
    if (!isObject(value)) return;
    const entry = entryOf(value, name, inServers);
    if (entry) {
      entries.push(entry);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'inputs' || key === 'settings' || key === 'env' || key === 'headers') continue;
      visit(child, key, depth + 1, SERVERS_KEY.test(key));
    }
  };
  visit(root, undefined, 0, false);
  return entries;
}

const SERVERS_KEY = /servers$|^mcp$/i;
const REMOTE_TYPE = /^(http|sse|streamable[-_]?http|streamableHttp|remote|url)$/i;

function entryOf(
  value: { [key: string]: Json },
  name: string | undefined,
  inServers: boolean,
): ClientConfigEntry | undefined {
  const command = value.command ?? value.cmd;
  const url = value.url ?? value.httpUrl ?? value.serverUrl;
  const entryName = name === undefined ? {} : { name };
  if (command !== undefined) {
    let argv: string[];
    let env = envOf(value.env ?? value.environment);
    if (typeof command === 'string') {
      const words = tokenizeShell(command).flatMap((token) => (token.kind === 'word' ? [token.value] : []));
      argv = [...words, ...stringsOf(value.args)];
    } else if (Array.isArray(command)) {
      argv = [...stringsOf(command), ...stringsOf(value.args)];
    } else if (isObject(command) && typeof command.path === 'string') {
      argv = [command.path, ...stringsOf(command.args)];
      env = envOf(command.env);
    } else {
      return undefined;
    }
    const launch = parseLaunchArgv(argv, env);
    return { ...entryName, launch, anchor: anchorOf(launch, argv) };
  }
  const type = value.type ?? value.transport;
  const declared = typeof type === 'string' && REMOTE_TYPE.test(type);
  if (typeof url !== 'string') return undefined;
  // A `url` alone is common in tool-call examples; only a server map, a transport type or an MCP path makes it a server.
  const looksLikeServer = inServers || declared || value.headers !== undefined || /\/(mcp|sse)\/?$/.test(url);
  if (/^https?:\/\//.test(url) && looksLikeServer) {
    const launch = remoteSpec(url, transportOf(value.type ?? value.transport));
    return { ...entryName, launch, anchor: url };
  }
  return undefined;
}

function anchorOf(launch: LaunchSpec | LaunchRejection, argv: string[]): string {
  if ('rejected' in launch) return argv[0] ?? '';
  const base = launch.package
    ? launch.runtime === 'npx'
      ? stripNpmVersion(launch.package)
      : (launch.package.split(/[=<>!~[]/)[0] ?? launch.package)
    : (launch.image ?? launch.url ?? '');
  return argv.find((word) => base !== '' && word.includes(base)) ?? base;
}
