/**
 * The logging the runtime needs, as a callback object; a Nest `Logger` fits. Messages never carry env values.
 */
export interface RuntimeLogger {
  /** Unusual but harmless events (a non-JSON line on a server's stdout). */
  warn(message: string): void;
  /** Details for debugging. */
  debug(message: string): void;
}

/** A logger that drops everything: the default where none is injected. */
export const SILENT_LOGGER: RuntimeLogger = Object.freeze({
  warn: () => undefined,
  debug: () => undefined,
});
