/*
 * Strict parsers for the values that end up inside a generated Dockerfile. Whatever passes them is made only of
 * characters that mean nothing to a shell or to the Dockerfile parser, so no package name can smuggle in a command.
 */

/** An npm package, split. */
export interface NpmPackageRef {
  /** The package name, lower case, optionally scoped (`@scope/name`). */
  name: string;
  /** The version, range (`^1.2.3`, `~1.2`) or dist-tag (`latest`), when one was given. */
  version?: string;
}

/** A PyPI package, split. */
export interface PythonPackageRef {
  /** The distribution name as given (`mcp-server-fetch`). */
  name: string;
  /** Extras, e.g. `['cli']` for `pkg[cli]`. */
  extras: string[];
  /** The exact version, when one was given (`pkg==1.2.3` or the uvx form `pkg@1.2.3`). */
  version?: string;
}

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const NPM_VERSION = /^[~^]?[0-9A-Za-z][0-9A-Za-z.+-]*$/;
const PYTHON_PACKAGE =
  /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?:\[([A-Za-z0-9._-]+(?:,[A-Za-z0-9._-]+)*)\])?(?:(?:==|@)([0-9A-Za-z][0-9A-Za-z.+!_-]*))?$/;
const IMAGE_REF =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const EXECUTABLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Parses `name`, `name@version`, `@scope/name` or `@scope/name@version`.
 * @returns the parts, or `null` when the text is not a plain npm package reference (URLs, git specs, paths, file:
 *   references, ranges with spaces or comparison operators, anything with a character a shell would interpret).
 */
export function parseNpmPackage(text: string): NpmPackageRef | null {
  if (text.length === 0 || text.length > 260) return null;
  const at = text.indexOf('@', 1);
  const name = at === -1 ? text : text.slice(0, at);
  const version = at === -1 ? undefined : text.slice(at + 1);
  if (name.length > 214 || !NPM_NAME.test(name)) return null;
  if (version !== undefined && (version.length > 64 || !NPM_VERSION.test(version))) return null;
  return version === undefined ? { name } : { name, version };
}

/**
 * Parses `name`, `name[extra,...]`, `name==1.2.3` or `name@1.2.3` (the uvx spelling).
 * @returns the parts, or `null` for anything else (ranges, URLs, paths, markers).
 */
export function parsePythonPackage(text: string): PythonPackageRef | null {
  if (text.length === 0 || text.length > 200) return null;
  const match = PYTHON_PACKAGE.exec(text);
  if (!match?.[1]) return null;
  const extras = match[2] ? match[2].split(',') : [];
  return match[3] === undefined ? { name: match[1], extras } : { name: match[1], extras, version: match[3] };
}

/** The pip/uv requirement for a parsed PyPI package: `name[extras]==version`. */
export function pythonRequirement(ref: PythonPackageRef): string {
  const extras = ref.extras.length > 0 ? `[${ref.extras.join(',')}]` : '';
  return `${ref.name}${extras}${ref.version === undefined ? '' : `==${ref.version}`}`;
}

/** Whether `text` is a Docker image reference: `[registry[:port]/]repo[/more][:tag][@sha256:digest]`, at most 255 characters. */
export function isImageRef(text: string): boolean {
  return text.length > 0 && text.length <= 255 && IMAGE_REF.test(text);
}

/** Whether `text` can be the name of an executable a package installs (`mcp-server-fetch`, `server.py`). */
export function isExecutableName(text: string): boolean {
  return EXECUTABLE.test(text);
}
