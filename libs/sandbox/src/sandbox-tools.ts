import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { KERNEL_DEFAULT_TIMEOUT_S, KERNEL_MAX_TIMEOUT_S, type KernelFailure } from './kernel-protocol';

/** The name of the tool that runs Python code. */
export const PYTHON_SANDBOX_TOOL = 'python_sandbox';

/** The name of the tool that starts the session's Python over. */
export const PYTHON_SANDBOX_RESET_TOOL = 'python_sandbox_reset';

/** What the tool descriptions say about the container. */
export interface SandboxToolLimits {
  /** Memory of the container, in MiB. */
  memoryMb: number;
  /** CPUs of the container, as a fraction of cores. */
  cpus: number;
}

/**
 * The two sandbox tools as `tools/list` shows them: `python_sandbox` (`code`, optional `timeout_s` in seconds,
 * 1..300, default 30) and `python_sandbox_reset` (no arguments). The descriptions tell a model what it can rely on:
 * the libraries, state kept between calls, figures returned as images, no network, and the limits.
 */
export function sandboxTools(limits: SandboxToolLimits): Tool[] {
  const cpus = limits.cpus === 1 ? '1 CPU' : `${limits.cpus} CPUs`;
  return [
    {
      name: PYTHON_SANDBOX_TOOL,
      title: 'Python sandbox',
      description: [
        'Run Python 3 code in a sandboxed, notebook-like session and get back what it printed, the value of its last',
        'expression (like a notebook cell), and every matplotlib/seaborn figure it drew as a PNG image (figures left',
        'open or shown with plt.show() are returned automatically; no need to save them).',
        'Installed: pandas, numpy, scipy, matplotlib, seaborn, scikit-learn and the standard library; nothing else can',
        'be installed.',
        'State persists within this MCP session: variables, imports, functions and files written to the working',
        'directory (/workspace) are kept for the next call. There is no network access (no downloads, no pip, no',
        `HTTP). Limits: ${cpus}, ${limits.memoryMb} MiB of memory, and timeout_s per call (default`,
        `${KERNEL_DEFAULT_TIMEOUT_S} s, at most ${KERNEL_MAX_TIMEOUT_S} s): a call that runs longer is interrupted and`,
        'the session keeps its state. If the kernel crashes or runs out of memory it is restarted with an empty',
        'session and the result says so. Call python_sandbox_reset to start over.',
      ].join(' '),
      inputSchema: {
        type: 'object',
        properties: {
          code: {
            type: 'string',
            description: 'Python code to run, one or more statements; the value of a final expression is returned.',
          },
          timeout_s: {
            type: 'number',
            minimum: 1,
            maximum: KERNEL_MAX_TIMEOUT_S,
            default: KERNEL_DEFAULT_TIMEOUT_S,
            description: `Seconds the code may run before it is interrupted (default ${KERNEL_DEFAULT_TIMEOUT_S}).`,
          },
        },
        required: ['code'],
        additionalProperties: false,
      },
      annotations: { title: 'Python sandbox', readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    {
      name: PYTHON_SANDBOX_RESET_TOOL,
      title: 'Reset the Python sandbox',
      description:
        "Discard this session's Python sandbox and start a fresh one: every variable, import, file and figure is " +
        'gone. Use it to start over cleanly or when the session is in a bad state.',
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
      annotations: {
        title: 'Reset the Python sandbox',
        destructiveHint: true,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
  ];
}

const pythonSandboxArgsSchema = z.object({
  code: z.string({ error: 'code: must be a string of Python code' }),
  timeout_s: z
    .number({ error: 'timeout_s: must be a number of seconds' })
    .min(1, 'timeout_s: must be at least 1 second')
    .max(KERNEL_MAX_TIMEOUT_S, `timeout_s: must be at most ${KERNEL_MAX_TIMEOUT_S} seconds`)
    .optional(),
});

/** The arguments of `python_sandbox`, checked: the code and the timeout in seconds (default 30). */
export type PythonSandboxArgs = { ok: true; code: string; timeoutS: number } | { ok: false; message: string };

/** Checks the arguments of a `python_sandbox` call; never throws (a bad one gives `ok: false` and why). */
export function parsePythonSandboxArgs(args: Record<string, unknown>): PythonSandboxArgs {
  const parsed = pythonSandboxArgsSchema.safeParse(args);
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues.map((issue) => issue.message).join('; ') };
  }
  return { ok: true, code: parsed.data.code, timeoutS: parsed.data.timeout_s ?? KERNEL_DEFAULT_TIMEOUT_S };
}

/** Why a kernel had to be replaced, as a clause for the next call's note ("it ran out of memory …"). */
export function describeKernelFailure(failure: KernelFailure): string {
  switch (failure.kind) {
    case 'oom':
      return `it ran out of memory${failure.memoryMb === undefined ? '' : ` (limit ${failure.memoryMb} MiB)`} and was killed`;
    case 'unresponsive':
      return `it did not answer within ${Math.round(failure.waitedMs / 1000)} s and was killed`;
    case 'exited':
      return failure.exitCode === null
        ? 'its container was gone'
        : `it exited unexpectedly (exit code ${failure.exitCode})`;
  }
}

/**
 * `result` with a first text item saying that the call ran in a fresh kernel because the previous one failed
 * (`cause`, from {@link describeKernelFailure}); `result` itself when there is no cause.
 */
export function withRestartNote(result: CallToolResult, cause: string | undefined): CallToolResult {
  if (cause === undefined) return result;
  const note = `note:\nThe previous kernel was restarted: ${cause}. This call ran in a fresh Python session: variables, imports and files from earlier calls are gone.`;
  return { ...result, content: [{ type: 'text', text: note }, ...result.content] };
}

/** A tool result that reports a failure in words (`isError: true`). */
export function sandboxErrorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text: `error:\n${text}` }], isError: true };
}
