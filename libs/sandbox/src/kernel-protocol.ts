import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { KernelProtocolError } from './sandbox.errors';

/*
 * The protocol of the python_sandbox kernel (docker/sandbox/kernel.py): newline-delimited JSON, requests on the
 * kernel's stdin, one ready line and then one response per request on its stdout. Field names are the kernel's
 * (snake_case) so that the lines are parsed as they are written.
 */

/** Per-call timeout the kernel applies when a request gives none, in seconds. */
export const KERNEL_DEFAULT_TIMEOUT_S = 30;

/** Longest per-call timeout, in seconds; the kernel clamps longer ones and this protocol rejects them. */
export const KERNEL_MAX_TIMEOUT_S = 300;

/** The kernel keeps at most this many bytes of each stream (stdout, stderr) per call and says so when it cuts. */
export const KERNEL_STREAM_CAP_BYTES = 100 * 1024;

/** Run `code` in the session's namespace. `timeout_s` defaults to {@link KERNEL_DEFAULT_TIMEOUT_S}. */
export const kernelExecuteRequestSchema = z.strictObject({
  id: z.string().min(1),
  code: z.string(),
  timeout_s: z.number().positive().max(KERNEL_MAX_TIMEOUT_S).optional(),
});

/** Start over: an empty namespace, figures closed, leftover processes killed. */
export const kernelResetRequestSchema = z.strictObject({
  id: z.string().min(1),
  op: z.literal('reset'),
});

/** Any request line. */
export const kernelRequestSchema = z.union([kernelExecuteRequestSchema, kernelResetRequestSchema]);

/**
 * Why a call failed. `type` is the Python exception class (`ZeroDivisionError`, `MemoryError`, …) or one of the
 * kernel's own: `Timeout` (the call ran past its timeout and was interrupted), `KeyboardInterrupt` (SIGINT),
 * `ProtocolError` (a bad request line), `KernelError` (the kernel failed itself).
 */
export const kernelErrorSchema = z.object({
  type: z.string(),
  message: z.string(),
  /** The traceback trimmed to the user's frames, ending in `type: message`; empty or short for kernel errors. */
  traceback: z.string(),
});

/** The answer to one request. `id` is null only when the request line was unreadable. */
export const kernelResponseSchema = z.object({
  id: z.string().nullable(),
  ok: z.boolean(),
  /** What the call printed (subprocesses included), capped at {@link KERNEL_STREAM_CAP_BYTES} with a note. */
  stdout: z.string(),
  /** Likewise for stderr, followed by the kernel's own notes in square brackets (killed processes, …). */
  stderr: z.string(),
  /** `repr()` of the cell's final expression, as a notebook shows it; null when there is none or it is `None`. */
  result: z.string().nullable(),
  error: kernelErrorSchema.nullable(),
  /** One base64 PNG per matplotlib figure the call left open or passed to `plt.show()`. */
  images: z.array(z.base64()),
  /** Whether any stream, the result or the list of figures was cut. */
  truncated: z.boolean(),
  /** Time spent running the code, in milliseconds. */
  duration_ms: z.number().nonnegative(),
});

/** The first line the kernel writes, once its libraries are imported. Unknown extra fields are kept. */
export const kernelReadySchema = z.looseObject({
  ready: z.literal(true),
  python: z.string().optional(),
  /** Time from interpreter start to ready, in milliseconds. */
  startup_ms: z.number().optional(),
  /** Bytes user code may allocate before a MemoryError, or null when the kernel found no memory limit. */
  memory_headroom_bytes: z.number().nullable().optional(),
});

/** Any line the kernel writes on stdout. */
export const kernelLineSchema = z.union([kernelReadySchema, kernelResponseSchema]);

/** A request to run code. */
export type KernelExecuteRequest = z.infer<typeof kernelExecuteRequestSchema>;
/** A request to reset the session. */
export type KernelResetRequest = z.infer<typeof kernelResetRequestSchema>;
/** Any request line. */
export type KernelRequest = z.infer<typeof kernelRequestSchema>;
/** Why a call failed. */
export type KernelErrorInfo = z.infer<typeof kernelErrorSchema>;
/** The answer to one request. */
export type KernelResponse = z.infer<typeof kernelResponseSchema>;
/** The kernel's ready line. */
export type KernelReady = z.infer<typeof kernelReadySchema>;
/** Any line the kernel writes. */
export type KernelLine = z.infer<typeof kernelLineSchema>;

/** Whether a parsed line is the ready line (and not a response). */
export function isKernelReady(line: KernelLine): line is KernelReady {
  return 'ready' in line;
}

/**
 * Parses one line of the kernel's stdout (without or with its trailing newline).
 * @throws {KernelProtocolError} when it is not JSON, or neither a ready line nor a response.
 */
export function parseKernelLine(line: string): KernelLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new KernelProtocolError(`kernel wrote a line that is not JSON: ${preview(line)}`, { cause: error });
  }
  // Pick the schema by shape so that a bad line is reported field by field, not as "no union member matched".
  const isReadyLine = typeof value === 'object' && value !== null && 'ready' in value;
  const parsed = (isReadyLine ? kernelReadySchema : kernelResponseSchema).safeParse(value);
  if (!parsed.success) {
    throw new KernelProtocolError(
      `kernel wrote an unexpected line (${z.prettifyError(parsed.error)}): ${preview(line)}`,
    );
  }
  return parsed.data;
}

/**
 * One request as the line to write on the kernel's stdin, newline included.
 * @throws {KernelProtocolError} when the request is invalid (an empty id, a timeout not in (0, 300] seconds).
 */
export function serializeKernelRequest(request: KernelRequest): string {
  const parsed = kernelRequestSchema.safeParse(request);
  if (!parsed.success) {
    throw new KernelProtocolError(`invalid kernel request: ${z.prettifyError(parsed.error)}`);
  }
  return `${JSON.stringify(parsed.data)}\n`;
}

/**
 * How long the host should wait for the answer to a call before it declares the kernel stuck (native code that no
 * signal interrupts) and replaces its container, in milliseconds: the call's timeout plus `graceMs` (default 5 s)
 * for interrupting, figure export and transport.
 */
export function kernelCallDeadlineMs(timeoutS: number = KERNEL_DEFAULT_TIMEOUT_S, graceMs = 5_000): number {
  return Math.min(timeoutS, KERNEL_MAX_TIMEOUT_S) * 1000 + graceMs;
}

/**
 * A kernel response as the result of the `python_sandbox` tool: one text item per non-empty part, each labelled
 * (`stdout:`, `stderr:`, `error:`, `result:`), then one PNG image item per figure; `(no output)` when there is
 * nothing at all. `isError` is true when the call failed (an exception, a timeout, a protocol error).
 */
export function toToolResult(response: KernelResponse): CallToolResult {
  const content: CallToolResult['content'] = [];
  const text = (label: string, body: string): void => {
    content.push({ type: 'text', text: `${label}:\n${body}` });
  };
  if (response.stdout) text('stdout', response.stdout);
  if (response.stderr) text('stderr', response.stderr);
  if (response.error) text('error', describeError(response.error));
  if (response.result !== null) text('result', response.result);
  for (const data of response.images) content.push({ type: 'image', mimeType: 'image/png', data });
  if (content.length === 0) content.push({ type: 'text', text: '(no output)' });
  return { content, isError: !response.ok };
}

/** What ended a kernel without an answer, as the host saw it. */
export type KernelFailure =
  /** The container was OOM-killed; `memoryMb` is its limit when known. */
  | { kind: 'oom'; memoryMb?: number }
  /** No answer within {@link kernelCallDeadlineMs}; the host replaced the container. */
  | { kind: 'unresponsive'; waitedMs: number }
  /** The kernel process ended; `exitCode` is null when unknown. */
  | { kind: 'exited'; exitCode: number | null };

/**
 * The tool result for a call whose kernel died or hung (see {@link KernelFailure}): `isError: true` and a message
 * that says what happened and that the session's variables are gone (the next call gets a fresh kernel).
 */
export function kernelFailureToToolResult(failure: KernelFailure): CallToolResult {
  const lost = 'The Python session was restarted: its variables and files are gone, the next call starts fresh.';
  let cause: string;
  switch (failure.kind) {
    case 'oom':
      cause =
        'The Python kernel ran out of memory' +
        (failure.memoryMb === undefined ? '' : ` (limit ${failure.memoryMb} MiB)`) +
        ' and was killed. Work on smaller data or in chunks.';
      break;
    case 'unresponsive':
      cause = `The Python kernel did not answer within ${Math.round(failure.waitedMs / 1000)} s (code that cannot be interrupted, such as a long native computation).`;
      break;
    case 'exited':
      cause = `The Python kernel exited unexpectedly${failure.exitCode === null ? '' : ` (exit code ${failure.exitCode})`}.`;
      break;
  }
  return { content: [{ type: 'text', text: `error:\n${cause} ${lost}` }], isError: true };
}

function describeError(error: KernelErrorInfo): string {
  const traceback = error.traceback.trimEnd();
  if (!traceback) return `${error.type}: ${error.message}`;
  // The kernel adds hints (out of memory, unsupported magics) to the message only.
  return error.message && !traceback.includes(error.message) ? `${traceback}\n${error.message}` : traceback;
}

function preview(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
