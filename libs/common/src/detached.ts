import type { LoggerService } from '@nestjs/common';

/**
 * Runs a promise nobody awaits, so that its failure is logged instead of lost (or crashing the process).
 * @param what describes the work in the log line.
 */
export function runDetached(logger: Pick<LoggerService, 'error'>, what: string, work: Promise<unknown>): void {
  work.catch((error: unknown) => {
    logger.error({ err: error }, `${what} failed`);
  });
}
