import type { Runtime } from '@mcp-router/registry';
import { IMAGE_PATTERN, NPM_PACKAGE_PATTERN, PLAN_RUNTIMES, PYPI_PACKAGE_PATTERN } from './analysis-plan.schema';

/** The launch fields of a plan: what decides which code runs. */
export interface LaunchFields {
  runtime: string;
  package?: string | undefined;
  image?: string | undefined;
  url?: string | undefined;
  args: string[];
}

// A shell control operator or expansion: a pipe, a list, a redirection, command substitution, a newline.
const SHELL_SYNTAX = /[|;&`\n\r\0<>]|\$\(/;
// A documentation placeholder such as `<api-key>` is a value, not a redirection.
const PLACEHOLDER = /<[\w.:/ -]*>/g;
const SHELL_PROGRAMS =
  /^(sh|bash|zsh|dash|ksh|fish|csh|tcsh|pwsh|powershell|cmd|curl|wget|iwr|irm|invoke-webrequest|invoke-expression|iex|eval|exec)$/i;
const DOWNLOAD_AND_RUN =
  /\b(curl|wget|iwr|invoke-webrequest)\b[^\n]*\|\s*(sudo\s+)?(sh|bash|zsh|iex|python3?)\b|\b(sh|bash)\s+-c\b/i;

/**
 * Checks the launch fields of a plan that came from untrusted text (a README, or Claude reading one): the runtime is
 * one of the enum, the package / image / URL match their registries' formats, and no argument carries shell syntax
 * (`|`, `;`, `&&`, `$(...)`, redirections), a shell or downloader as a program, or a `curl … | sh` pipeline. Arguments
 * are an argv array, never evaluated by a shell, but an argv that needs a shell to mean anything is an attack.
 * Returns the problems found, each naming the field; empty when safe.
 */
export function findUnsafeLaunch(fields: LaunchFields): string[] {
  const problems: string[] = [];
  if (!(PLAN_RUNTIMES as readonly string[]).includes(fields.runtime)) {
    problems.push(`runtime "${fields.runtime}" is not one of ${PLAN_RUNTIMES.join(', ')}`);
    return problems;
  }
  const runtime = fields.runtime as Runtime;
  if (runtime === 'npx' && !(fields.package && NPM_PACKAGE_PATTERN.test(fields.package))) {
    problems.push('package is not an npm package name');
  }
  if (runtime === 'uvx' && !(fields.package && PYPI_PACKAGE_PATTERN.test(fields.package))) {
    problems.push('package is not a PyPI package name');
  }
  if (fields.package && SHELL_PROGRAMS.test(fields.package.replace(/[@=].*$/, ''))) {
    problems.push(`package "${fields.package}" is a shell or downloader`);
  }
  if (runtime === 'docker' && !(fields.image && IMAGE_PATTERN.test(fields.image))) {
    problems.push('image is not a Docker image reference');
  }
  if (runtime === 'remote' && !(fields.url && /^https?:\/\/[^\s"'`<>|;]+$/.test(fields.url))) {
    problems.push('url is not an http(s) URL');
  }
  fields.args.forEach((arg, index) => {
    if (SHELL_SYNTAX.test(arg.replace(PLACEHOLDER, ''))) problems.push(`args[${index}] contains shell syntax`);
    else if (SHELL_PROGRAMS.test(arg.trim())) problems.push(`args[${index}] names a shell or downloader`);
    else if (DOWNLOAD_AND_RUN.test(arg)) problems.push(`args[${index}] downloads and runs a script`);
  });
  const joined = fields.args.join(' ');
  if (problems.length === 0 && DOWNLOAD_AND_RUN.test(joined)) problems.push('args download and run a script');
  return problems;
}

/**
 * True when a piece of text (a README line quoted as evidence, a paragraph taken as a description) holds a command
 * that downloads and runs code, or chains a command after a launch: such text is kept out of plans.
 */
export function looksLikeInjectedCommand(text: string): boolean {
  return (
    DOWNLOAD_AND_RUN.test(text) ||
    /(^|[|;&]\s*)(curl|wget|iwr|sudo)\s/i.test(text) ||
    /\|\s*(sh|bash|zsh)\b/i.test(text)
  );
}
