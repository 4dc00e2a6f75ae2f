import type { KernelFailure } from './kernel-protocol';

/** The stable codes of the errors this library throws; callers branch on `code`, never on a message. */
export type SandboxErrorCode =
  | 'KERNEL_PROTOCOL_ERROR'
  | 'INVALID_SANDBOX_OPTIONS'
  | 'KERNEL_FAILED'
  | 'KERNEL_START_FAILED'
  | 'KERNEL_CALL_CANCELLED'
  | 'SANDBOX_IMAGE_UNAVAILABLE';

/** Base of every error of the python sandbox library. */
export abstract class SandboxError extends Error {
  /** The stable code of this kind of failure. */
  abstract readonly code: SandboxErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A line from the kernel (or a request for it) that does not follow the kernel protocol: not JSON, or not a ready
 * line, a response or a valid request. The kernel is then in an unknown state: the caller should restart it.
 */
export class KernelProtocolError extends SandboxError {
  readonly code = 'KERNEL_PROTOCOL_ERROR';
}

/** Sandbox container settings that cannot be honoured (a limit that is not a positive number, an empty id). */
export class InvalidSandboxOptionsError extends SandboxError {
  readonly code = 'INVALID_SANDBOX_OPTIONS';

  /** @param problems one line per field: `path: what is wrong`. */
  constructor(readonly problems: string[]) {
    super(`invalid sandbox container options: ${problems.join('; ')}`);
  }
}

/**
 * A running kernel is gone without answering: OOM-killed, exited, or declared unresponsive (and killed) after its
 * call's deadline. Every call pending on it fails with this error; the kernel cannot be used again.
 */
export class KernelFailedError extends SandboxError {
  readonly code = 'KERNEL_FAILED';

  /** @param failure what ended the kernel, as the host saw it. */
  constructor(
    readonly failure: KernelFailure,
    containerId: string,
  ) {
    super(`python_sandbox kernel ${containerId.slice(0, 12)} failed: ${JSON.stringify(failure)}`);
  }
}

/**
 * A kernel did not get to its ready line: its container ended first, or it stayed silent past the bound. The
 * message ends with the last lines the kernel wrote on stderr, when there are any.
 */
export class KernelStartError extends SandboxError {
  readonly code = 'KERNEL_START_FAILED';
}

/** A call was cancelled (its AbortSignal fired) before it was sent to the kernel. */
export class KernelCallCancelledError extends SandboxError {
  readonly code = 'KERNEL_CALL_CANCELLED';
}

/** The sandbox image is missing and could not be built; the message says why (the build's own error). */
export class SandboxImageError extends SandboxError {
  readonly code = 'SANDBOX_IMAGE_UNAVAILABLE';
}
