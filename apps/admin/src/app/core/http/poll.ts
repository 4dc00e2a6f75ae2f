/** Options of {@link poll}. */
export interface PollOptions {
  /** Time between two reads, in milliseconds. */
  intervalMs: number;
  /** Stops polling (the promise rejects with the signal's reason). */
  signal: AbortSignal;
  /** Consecutive failed reads tolerated before giving up (default 3): a brief network blip is not fatal. */
  maxConsecutiveErrors?: number;
}

/** The error an aborted wait rejects with: the signal's reason when it is an error, else an `AbortError`. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** Resolves after `ms` milliseconds, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Reads something until it is done: calls `read`, hands each value to `onValue`, and resolves with the first value
 * `isDone` accepts.
 * @throws the last error after `maxConsecutiveErrors` failed reads in a row (at once for errors that are not
 * transient), or the signal's abort reason once it aborts: callers check `signal.aborted` to tell them apart.
 */
export async function poll<T>(
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  onValue: (value: T) => void,
  options: PollOptions,
): Promise<T> {
  const maxErrors = options.maxConsecutiveErrors ?? 3;
  let failures = 0;
  for (;;) {
    options.signal.throwIfAborted();
    try {
      const value = await read();
      failures = 0;
      options.signal.throwIfAborted();
      onValue(value);
      if (isDone(value)) return value;
    } catch (error: unknown) {
      options.signal.throwIfAborted();
      failures++;
      if (failures >= maxErrors || !isTransient(error)) throw error;
    }
    await sleep(options.intervalMs, options.signal);
  }
}

/** Network failures and 5xx/429 answers are worth another try; anything else (404, 401, ...) is not. */
function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('status' in error)) return false;
  const status = error.status;
  return typeof status === 'number' && (status === 0 || status === 429 || status >= 500);
}
