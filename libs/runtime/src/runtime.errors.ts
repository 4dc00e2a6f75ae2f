/** The stable codes of the errors this library throws; callers branch on `code`, never on a message. */
export type RuntimeErrorCode =
  | 'INVALID_SERVER_SPEC'
  | 'NOTHING_TO_RUN'
  | 'UNSUPPORTED_TRANSPORT'
  | 'DOCKER_UNAVAILABLE'
  | 'IMAGE_BUILD_FAILED'
  | 'IMAGE_PULL_FAILED'
  | 'IMAGE_NOT_FOUND'
  | 'CONTAINER_START_FAILED'
  | 'CONTAINER_EXITED'
  | 'PROBE_TIMEOUT'
  | 'PROBE_FAILED';

/**
 * Base of every error of the container runtime. Messages name what failed (server, image, container, exit code)
 * and never contain an environment value.
 */
export abstract class RuntimeError extends Error {
  /** The stable code of this kind of failure. */
  abstract readonly code: RuntimeErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A server spec that cannot be run safely: a bad name, package, image, argument, env key or limit. */
export class InvalidServerSpecError extends RuntimeError {
  readonly code = 'INVALID_SERVER_SPEC';

  /** @param problems one line per field: `path: what is wrong` (never the offending value of an env var). */
  constructor(readonly problems: string[]) {
    super(`invalid server spec: ${problems.join('; ')}`);
  }
}

/** The spec has no image to build or run (a `remote` server): the caller should not have asked. */
export class NothingToRunError extends RuntimeError {
  readonly code = 'NOTHING_TO_RUN';
}

/** The server speaks a transport the container runner cannot attach to (only `stdio` is attached). */
export class UnsupportedTransportError extends RuntimeError {
  readonly code = 'UNSUPPORTED_TRANSPORT';
}

/** The Docker engine does not answer at the configured address. */
export class DockerUnavailableError extends RuntimeError {
  readonly code = 'DOCKER_UNAVAILABLE';
}

/** An image build failed; the message carries the build's own error and the last lines of its output. */
export class ImageBuildError extends RuntimeError {
  readonly code = 'IMAGE_BUILD_FAILED';

  constructor(
    message: string,
    /** The last lines of the build output (up to 20). */
    readonly outputTail: string[],
  ) {
    super(message);
  }
}

/** An image is absent locally and the engine could not pull it. */
export class ImagePullError extends RuntimeError {
  readonly code = 'IMAGE_PULL_FAILED';
}

/** A container was asked for an image that is not there (the server was never installed, or its image removed). */
export class ImageNotFoundError extends RuntimeError {
  readonly code = 'IMAGE_NOT_FOUND';
}

/** The engine refused to create, attach to or start a container. */
export class ContainerStartError extends RuntimeError {
  readonly code = 'CONTAINER_START_FAILED';
}

/** How a container ended, as the engine reports it. */
export interface ContainerExit {
  /** The exit code of its main process; `null` when unknown (the container vanished or never stopped). */
  exitCode: number | null;
  /** The kernel killed it for exceeding its memory limit. */
  oomKilled: boolean;
}

/**
 * The container behind a transport is gone: it exited, crashed, was killed, or ran out of memory. Pending calls on
 * the transport fail with the same message.
 */
export class ContainerExitedError extends RuntimeError {
  readonly code = 'CONTAINER_EXITED';
  /** The exit code of its main process; `null` when unknown. */
  readonly exitCode: number | null;
  /** The kernel killed it for exceeding its memory limit. */
  readonly oomKilled: boolean;

  constructor(
    readonly containerId: string,
    exit: ContainerExit,
  ) {
    super(describeExit(containerId, exit));
    this.exitCode = exit.exitCode;
    this.oomKilled = exit.oomKilled;
  }
}

/** The server did not answer `initialize` within the probe's bound. */
export class ProbeTimeoutError extends RuntimeError {
  readonly code = 'PROBE_TIMEOUT';
}

/** Probing a server failed for another reason than a timeout (it crashed, or answered garbage). */
export class ProbeFailedError extends RuntimeError {
  readonly code = 'PROBE_FAILED';
}

function describeExit(containerId: string, exit: ContainerExit): string {
  const short = containerId.slice(0, 12);
  if (exit.oomKilled) {
    return `MCP server container ${short} was killed because it ran out of memory (OOMKilled, exit code ${exit.exitCode ?? 'unknown'})`;
  }
  if (exit.exitCode === null) return `MCP server container ${short} is gone (removed, or its output stream broke)`;
  const signal = exit.exitCode > 128 ? SIGNALS[exit.exitCode - 128] : undefined;
  if (signal) return `MCP server container ${short} was killed by ${signal} (exit code ${exit.exitCode})`;
  return `MCP server container ${short} exited with code ${exit.exitCode}`;
}

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 15: 'SIGTERM' };
