import type { Duplex } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  JSONRPCMessageSchema,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { followAttachStream } from './attach-stream';
import { LineSplitter } from './line-splitter';
import { RingBuffer } from './ring-buffer';
import { type ContainerExit, ContainerExitedError } from './runtime.errors';
import { type RuntimeLogger, SILENT_LOGGER } from './runtime-logger';

/** Tells how a container ended (see `DockerRepository.waitForExit`). */
export interface ContainerExitSource {
  /** Waits at most `timeoutMs` for the container to stop, then reports its exit code and OOM flag. */
  waitForExit(containerId: string, timeoutMs: number): Promise<ContainerExit>;
}

/** Options of a {@link DockerStdioTransport}. */
export interface DockerStdioTransportOptions {
  containerId: string;
  /** The hijacked attach stream of the container (multiplexed: the container has no TTY). */
  stream: Duplex;
  /** Asked how the container ended when the stream closes without `close()` having been called. */
  exits: ContainerExitSource;
  /** Receives the container's stderr lines; default a new buffer of 500 lines. */
  stderr?: RingBuffer<string>;
  logger?: RuntimeLogger;
  /** The longest stdout line (one JSON-RPC message) accepted, in bytes; default 10 MiB. Longer ones are dropped. */
  maxMessageBytes?: number;
  /** How long to wait for the engine to report the exit once the stream has ended, in ms; default 5000. */
  exitWaitMs?: number;
}

/** The longest stderr line kept in the ring buffer, in bytes (longer ones are cut). */
const MAX_STDERR_LINE_BYTES = 4096;

/**
 * An MCP client transport over the stdio of a container (a Docker attach stream): newline-delimited JSON-RPC on
 * stdin/stdout, stderr lines into a ring buffer. Lines on stdout that are not JSON-RPC are logged and skipped. When
 * the container ends (exit, crash, kill, OOM), every request still waiting for an answer is answered with a
 * JSON-RPC error naming the reason, then `onerror` gets a {@link ContainerExitedError} and `onclose` fires;
 * `onclose` fires exactly once, whoever closes. Output that arrives before `start()` is kept and delivered by it.
 */
export class DockerStdioTransport implements Transport {
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  onmessage?: Transport['onmessage'];

  /** The container's last stderr lines. */
  readonly stderr: RingBuffer<string>;
  readonly containerId: string;

  private readonly stream: Duplex;
  private readonly exits: ContainerExitSource;
  private readonly logger: RuntimeLogger;
  private readonly exitWaitMs: number;
  private readonly stdoutLines: LineSplitter;
  private readonly stderrLines: LineSplitter;
  /** Ids of the requests sent and not yet answered. */
  private readonly inFlight = new Set<RequestId>();
  /** Messages decoded before `start()`. */
  private early: JSONRPCMessage[] | undefined = [];
  private started = false;
  /** `close()` was called: the end of the stream is expected. */
  private closing = false;
  private closed = false;
  private streamEnded = false;
  private exitError: ContainerExitedError | undefined;

  constructor(options: DockerStdioTransportOptions) {
    this.containerId = options.containerId;
    this.stream = options.stream;
    this.exits = options.exits;
    this.logger = options.logger ?? SILENT_LOGGER;
    this.exitWaitMs = options.exitWaitMs ?? 5000;
    this.stderr = options.stderr ?? new RingBuffer<string>(500);
    this.stdoutLines = new LineSplitter(
      (line) => {
        this.onStdoutLine(line);
      },
      {
        maxLineBytes: options.maxMessageBytes ?? 10 * 1024 * 1024,
        overflow: 'drop',
        onOverflow: (bytes) => {
          this.logger.warn(`container ${this.shortId}: dropped a ${bytes}-byte stdout line (over the message limit)`);
        },
      },
    );
    this.stderrLines = new LineSplitter(
      (line) => {
        this.stderr.push(line);
      },
      {
        maxLineBytes: MAX_STDERR_LINE_BYTES,
        overflow: 'truncate',
      },
    );
    // Listen from the start: stderr must be captured even before the MCP client starts the transport.
    followAttachStream(this.stream, {
      stdout: this.stdoutLines,
      stderr: this.stderrLines,
      onGone: () => {
        this.onStreamGone();
      },
      logger: this.logger,
      label: `container ${this.shortId}`,
    });
  }

  /** The short (12-digit) container id, for messages. */
  get shortId(): string {
    return this.containerId.slice(0, 12);
  }

  /**
   * Delivers the messages that arrived before it was called, then every next one as it comes.
   * @throws {ContainerExitedError} when the container has already ended; {@link Error} when started twice.
   */
  start(): Promise<void> {
    if (this.started) return Promise.reject(new Error('DockerStdioTransport already started'));
    this.started = true;
    if (this.exitError) return Promise.reject(this.exitError);
    const early = this.early ?? [];
    this.early = undefined;
    for (const message of early) this.deliver(message);
    return Promise.resolve();
  }

  /**
   * Writes one message to the container's stdin as a line of JSON.
   * @throws {ContainerExitedError} when the container has ended; {@link Error} when the transport is closed.
   */
  async send(message: JSONRPCMessage): Promise<void> {
    if (this.exitError) throw this.exitError;
    if (this.closed || this.closing || this.streamEnded) throw new Error('Not connected');
    if ('method' in message && 'id' in message) this.inFlight.add(message.id);
    else if ('method' in message && message.method === 'notifications/cancelled') {
      // A cancelled request gets no answer: do not invent one for it when the container ends.
      const requestId: unknown = message.params?.requestId;
      if (typeof requestId === 'string' || typeof requestId === 'number') this.inFlight.delete(requestId);
    }
    await new Promise<void>((resolve, reject) => {
      this.stream.write(`${JSON.stringify(message)}\n`, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Ends stdin and drops the attach connection; `onclose` fires (once). Does not stop the container. */
  close(): Promise<void> {
    if (this.closed || this.closing) return Promise.resolve();
    this.closing = true;
    this.stream.end();
    this.stream.destroy();
    this.finish();
    return Promise.resolve();
  }

  private onStdoutLine(line: string): void {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      this.logger.warn(`container ${this.shortId}: skipped a non-JSON stdout line: ${preview(line)}`);
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(json);
    if (!parsed.success) {
      this.logger.warn(`container ${this.shortId}: skipped a stdout line that is not JSON-RPC: ${preview(line)}`);
      return;
    }
    if (this.early) this.early.push(parsed.data);
    else this.deliver(parsed.data);
  }

  private deliver(message: JSONRPCMessage): void {
    if (this.closed) return;
    if (('result' in message || 'error' in message) && 'id' in message && message.id !== undefined) {
      this.inFlight.delete(message.id);
    }
    this.onmessage?.(message);
  }

  private onStreamGone(): void {
    if (this.streamEnded) return;
    this.streamEnded = true;
    this.stderrLines.flush();
    if (this.closing || this.closed) return;
    this.exits.waitForExit(this.containerId, this.exitWaitMs).then(
      (exit) => {
        this.onExit(exit);
      },
      (error: unknown) => {
        this.logger.warn(`container ${this.shortId}: cannot tell how it ended: ${String(error)}`);
        this.onExit({ exitCode: null, oomKilled: false });
      },
    );
  }

  private onExit(exit: ContainerExit): void {
    if (this.closing || this.closed) return;
    const error = new ContainerExitedError(this.containerId, exit);
    this.exitError = error;
    // Answer the pending calls first: the SDK rejects them with a bare "Connection closed" on close.
    for (const id of [...this.inFlight]) {
      this.deliver({
        jsonrpc: '2.0',
        id,
        error: {
          code: ErrorCode.ConnectionClosed,
          message: error.message,
          data: { code: error.code, exitCode: error.exitCode, oomKilled: error.oomKilled },
        },
      });
    }
    this.onerror?.(error);
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.inFlight.clear();
    this.early = undefined;
    this.onclose?.();
  }
}

function preview(line: string): string {
  return line.length > 120 ? `${line.slice(0, 120)}… (${line.length} characters)` : line;
}
