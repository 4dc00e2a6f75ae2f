import type { Duplex } from 'node:stream';
import {
  type ContainerExit,
  followAttachStream,
  LineSplitter,
  RingBuffer,
  type RuntimeLogger,
  SILENT_LOGGER,
} from '@mcp-router/runtime';
import {
  KERNEL_DEFAULT_TIMEOUT_S,
  type KernelFailure,
  type KernelLine,
  type KernelReady,
  type KernelResponse,
  isKernelReady,
  kernelCallDeadlineMs,
  parseKernelLine,
  serializeKernelRequest,
} from './kernel-protocol';
import { KernelCallCancelledError, KernelFailedError, KernelStartError } from './sandbox.errors';

/** How long a kernel may take from container start to its ready line by default, in milliseconds. */
export const KERNEL_READY_TIMEOUT_MS = 20_000;

/** The longest response line accepted by default, in bytes (ten large figures fit easily). */
export const KERNEL_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** What a kernel needs from the engine; `DockerRepository` fits. */
export interface KernelContainerControl {
  /** Sends a signal to the container's main process (the kernel is PID 1); no-op when it is gone. */
  killContainer(id: string, signal?: string): Promise<void>;
  /** Waits at most `timeoutMs` for the container to stop, then reports its exit code and OOM flag. */
  waitForExit(id: string, timeoutMs?: number): Promise<ContainerExit>;
}

/** Options of a {@link SandboxKernel}. */
export interface SandboxKernelOptions {
  containerId: string;
  /** The hijacked attach stream of the container (stdin, and multiplexed stdout/stderr: no TTY). */
  stream: Duplex;
  docker: KernelContainerControl;
  /** The container's memory limit in MiB, quoted when it is OOM-killed. */
  memoryMb?: number;
  logger?: RuntimeLogger;
  /** The longest response line accepted, in bytes; default {@link KERNEL_MAX_RESPONSE_BYTES}. */
  maxResponseBytes?: number;
  /** How long to wait for the engine to report the exit once the stream has ended, in ms; default 5000. */
  exitWaitMs?: number;
}

interface InFlightCall {
  id: string;
  resolve(response: KernelResponse): void;
  reject(error: Error): void;
}

/** The longest kernel stderr line kept, in bytes. */
const MAX_STDERR_LINE_BYTES = 4096;
/** Kernel stderr lines quoted in a start failure. */
const START_FAILURE_LOG_LINES = 10;

/**
 * The host side of one python_sandbox kernel (docker/sandbox/kernel.py) over its container's attach stream: it
 * demultiplexes stdout (protocol lines) from stderr (the kernel's log, kept in {@link SandboxKernel.stderr}), waits
 * for the ready line, and runs calls one at a time (the kernel is sequential, so a call's deadline only starts when
 * it is sent), matching each response to its request by id.
 *
 * A call that is not answered within {@link kernelCallDeadlineMs} of its timeout declares the kernel unresponsive:
 * the container is killed. When the container ends (exit, crash, OOM kill, removal) the engine is asked how, and
 * the call in flight, the calls queued behind it and every later call fail with a {@link KernelFailedError} that
 * carries the {@link KernelFailure}. An aborted call interrupts the kernel with SIGINT (the cell stops with
 * `KeyboardInterrupt`, the session survives).
 *
 * Attach before starting the container, so that the ready line cannot be missed.
 */
export class SandboxKernel {
  readonly containerId: string;
  /** The kernel's last stderr lines (its own diagnostics; user output is captured per call, not logged). */
  readonly stderr = new RingBuffer<string>(200);

  private readonly stream: Duplex;
  private readonly docker: KernelContainerControl;
  private readonly logger: RuntimeLogger;
  private readonly memoryMb: number | undefined;
  private readonly maxResponseBytes: number;
  private readonly exitWaitMs: number;
  private readonly stdoutLines: LineSplitter;
  private readonly stderrLines: LineSplitter;
  private readyLine: KernelReady | undefined;
  private onReady: ((ready: KernelReady) => void) | undefined;
  private readonly readyPromise: Promise<KernelReady>;
  private failureKnown: KernelFailure | undefined;
  private onGone: ((failure: KernelFailure) => void) | undefined;
  private readonly gonePromise: Promise<KernelFailure>;
  /** The container is gone or being killed: no call is sent any more. */
  private ending = false;
  private inFlight: InFlightCall | undefined;
  /** Settles when the previous call is finished: calls run one after the other. */
  private queue: Promise<void> = Promise.resolve();
  private sequence = 0;

  constructor(options: SandboxKernelOptions) {
    this.containerId = options.containerId;
    this.stream = options.stream;
    this.docker = options.docker;
    this.logger = options.logger ?? SILENT_LOGGER;
    this.memoryMb = options.memoryMb;
    this.maxResponseBytes = options.maxResponseBytes ?? KERNEL_MAX_RESPONSE_BYTES;
    this.exitWaitMs = options.exitWaitMs ?? 5000;
    this.readyPromise = new Promise((resolve) => (this.onReady = resolve));
    this.gonePromise = new Promise((resolve) => (this.onGone = resolve));
    this.stdoutLines = new LineSplitter(
      (line) => {
        this.onStdoutLine(line);
      },
      {
        maxLineBytes: this.maxResponseBytes,
        overflow: 'drop',
        onOverflow: (bytes) => {
          this.onOversizedResponse(bytes);
        },
      },
    );
    this.stderrLines = new LineSplitter(
      (line) => {
        this.stderr.push(line);
      },
      { maxLineBytes: MAX_STDERR_LINE_BYTES, overflow: 'truncate' },
    );
    followAttachStream(this.stream, {
      stdout: this.stdoutLines,
      stderr: this.stderrLines,
      onGone: () => {
        this.onStreamGone();
      },
      logger: this.logger,
      label: `sandbox ${this.shortId}`,
    });
  }

  /** The short (12-digit) container id, for messages. */
  get shortId(): string {
    return this.containerId.slice(0, 12);
  }

  /** Whether calls can still be sent: false once the container ended, was killed, or {@link close} was called. */
  get alive(): boolean {
    return !this.ending;
  }

  /** What ended the kernel, once known (undefined while it lives, or while the engine is asked how it ended). */
  get failure(): KernelFailure | undefined {
    return this.failureKnown;
  }

  /** The ready line, once it came. */
  get readyInfo(): KernelReady | undefined {
    return this.readyLine;
  }

  /** Resolves with what ended the kernel, when it ends (never, while it lives). */
  whenGone(): Promise<KernelFailure> {
    return this.gonePromise;
  }

  /**
   * Waits for the kernel's ready line, at most `timeoutMs` (default {@link KERNEL_READY_TIMEOUT_MS}) from now.
   * @throws {KernelStartError} when the container ends first, or on timeout (the container is then killed).
   */
  async waitReady(timeoutMs = KERNEL_READY_TIMEOUT_MS): Promise<KernelReady> {
    if (this.readyLine) return this.readyLine;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, timeoutMs);
    });
    try {
      const outcome = await Promise.race([
        this.readyPromise.then((ready) => ({ ready })),
        this.gonePromise.then((failure) => ({ failure })),
        timeout,
      ]);
      if (outcome === 'timeout') {
        this.declareDead({ kind: 'unresponsive', waitedMs: timeoutMs });
        throw new KernelStartError(this.startFailure(`the Python kernel did not start within ${timeoutMs / 1000} s`));
      }
      if ('failure' in outcome) {
        const reason = `the Python kernel ended before it was ready (${describe(outcome.failure)})`;
        throw new KernelStartError(this.startFailure(reason));
      }
      return outcome.ready;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs `code` in the session, after the calls queued before it; `timeoutS` is the kernel's own timeout (default
   * 30 s, at most 300 s), and the host gives up {@link kernelCallDeadlineMs} after sending it. When `signal` aborts
   * during the call, the kernel is interrupted (SIGINT) and the call resolves with its `KeyboardInterrupt` answer.
   * @throws {KernelFailedError} when the kernel dies or hangs (see {@link SandboxKernel}).
   * @throws {KernelCallCancelledError} when `signal` aborted before the call was sent.
   * @throws {KernelProtocolError} when the request is invalid (a timeout out of range).
   */
  execute(code: string, timeoutS = KERNEL_DEFAULT_TIMEOUT_S, signal?: AbortSignal): Promise<KernelResponse> {
    const id = `c${++this.sequence}`;
    const line = serializeKernelRequest({ id, code, timeout_s: timeoutS });
    return this.serialized(() => this.send(id, line, kernelCallDeadlineMs(timeoutS), signal));
  }

  /**
   * Empties the session's namespace (figures closed, leftover processes killed), after the calls queued before it.
   * @throws {KernelFailedError} when the kernel dies or does not answer within 10 s.
   */
  reset(): Promise<KernelResponse> {
    const id = `r${++this.sequence}`;
    const line = serializeKernelRequest({ id, op: 'reset' });
    return this.serialized(() => this.send(id, line, 10_000, undefined));
  }

  /** Interrupts the running call (SIGINT to the kernel); harmless between calls (the kernel ignores it then). */
  interrupt(): Promise<void> {
    return this.docker.killContainer(this.containerId, 'SIGINT');
  }

  /**
   * Drops the attach connection (which does not stop the container: removing it is the owner's job). Pending and
   * later calls fail with an `exited` failure. Idempotent.
   */
  close(): void {
    this.declareDead({ kind: 'exited', exitCode: null }, false);
    this.stream.end();
    this.stream.destroy();
  }

  private async serialized<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.queue;
    let done!: () => void;
    this.queue = new Promise((resolve) => (done = resolve));
    try {
      await previous;
      return await work();
    } finally {
      done();
    }
  }

  private async send(
    id: string,
    line: string,
    deadlineMs: number,
    signal: AbortSignal | undefined,
  ): Promise<KernelResponse> {
    if (signal?.aborted) throw new KernelCallCancelledError('the call was cancelled before it started');
    if (this.ending) throw new KernelFailedError(await this.gonePromise, this.containerId);
    const answer = new Promise<KernelResponse>((resolve, reject) => {
      this.inFlight = { id, resolve, reject };
    });
    const timer = setTimeout(() => {
      this.logger.warn(`sandbox ${this.shortId}: no answer to ${id} within ${deadlineMs} ms, killing the kernel`);
      this.declareDead({ kind: 'unresponsive', waitedMs: deadlineMs });
    }, deadlineMs);
    let interrupting: Promise<void> | undefined;
    const onAbort = (): void => {
      interrupting ??= this.interrupt().catch((error: unknown) => {
        this.logger.warn(`sandbox ${this.shortId}: cannot interrupt the kernel: ${String(error)}`);
      });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      this.stream.write(line);
      return await answer;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (this.inFlight?.id === id) this.inFlight = undefined;
      // The next call must not start before the signal is delivered, or the interrupt could hit it instead.
      if (interrupting) await interrupting;
    }
  }

  private onStdoutLine(line: string): void {
    if (line.trim() === '') return;
    let message: KernelLine;
    try {
      message = parseKernelLine(line);
    } catch (error) {
      this.logger.warn(`sandbox ${this.shortId}: ${(error as Error).message}`);
      return;
    }
    if (isKernelReady(message)) {
      this.readyLine = message;
      this.onReady?.(message);
      return;
    }
    const call = this.inFlight;
    // A null id answers an unreadable request: with one call at a time, that can only be the one in flight.
    if (!call || (message.id !== null && message.id !== call.id)) {
      this.logger.warn(`sandbox ${this.shortId}: dropped an answer to ${message.id ?? 'an unknown request'}`);
      return;
    }
    this.inFlight = undefined;
    call.resolve(message);
  }

  private onOversizedResponse(bytes: number): void {
    const call = this.inFlight;
    if (!call) return;
    this.inFlight = undefined;
    const limitMb = Math.round(this.maxResponseBytes / (1024 * 1024));
    const message = `the answer was ${Math.round(bytes / (1024 * 1024))} MiB, more than the ${limitMb} MiB accepted: print less, return smaller values, or make fewer or smaller figures`;
    call.resolve({
      id: call.id,
      ok: false,
      stdout: '',
      stderr: '',
      result: null,
      error: { type: 'OutputTooLarge', message, traceback: '' },
      images: [],
      truncated: true,
      duration_ms: 0,
    });
  }

  private onStreamGone(): void {
    this.stderrLines.flush();
    if (this.ending) return;
    this.ending = true;
    this.docker.waitForExit(this.containerId, this.exitWaitMs).then(
      (exit) => {
        this.settle(
          exit.oomKilled
            ? { kind: 'oom', ...(this.memoryMb === undefined ? {} : { memoryMb: this.memoryMb }) }
            : { kind: 'exited', exitCode: exit.exitCode },
        );
      },
      (error: unknown) => {
        this.logger.warn(`sandbox ${this.shortId}: cannot tell how it ended: ${String(error)}`);
        this.settle({ kind: 'exited', exitCode: null });
      },
    );
  }

  /** Stops using the kernel at once with `failure`; `kill` also kills its container (a hung kernel). */
  private declareDead(failure: KernelFailure, kill = true): void {
    if (this.ending) return;
    this.ending = true;
    if (kill) {
      this.docker.killContainer(this.containerId).catch((error: unknown) => {
        this.logger.warn(`sandbox ${this.shortId}: cannot kill the kernel: ${String(error)}`);
      });
    }
    this.settle(failure);
  }

  private settle(failure: KernelFailure): void {
    if (this.failureKnown) return;
    this.failureKnown = failure;
    this.onGone?.(failure);
    const call = this.inFlight;
    this.inFlight = undefined;
    call?.reject(new KernelFailedError(failure, this.containerId));
  }

  private startFailure(reason: string): string {
    const log = this.stderr.toArray().slice(-START_FAILURE_LOG_LINES);
    return log.length ? `${reason}; its last output:\n${log.join('\n')}` : reason;
  }
}

function describe(failure: KernelFailure): string {
  switch (failure.kind) {
    case 'oom':
      return 'out of memory';
    case 'unresponsive':
      return `no answer within ${failure.waitedMs} ms`;
    case 'exited':
      return failure.exitCode === null ? 'its container is gone' : `exit code ${failure.exitCode}`;
  }
}
