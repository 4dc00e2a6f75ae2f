import { WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { type JobName, jobPayloadSchemas, type JobPayload, jobsOfQueue, type QueueName } from './queue.constants';

/** The handlers of one queue: one per job name, typed by its payload. */
export type JobHandlers<Q extends JobName> = { [N in Q]: (payload: JobPayload<N>, job: Job) => Promise<unknown> };

/**
 * Base of the worker's processors: validates each payload against its job's schema (a bad payload fails at once,
 * without retries), dispatches by job name, and refuses to boot when a job of its queue has no handler.
 * Errors thrown by a handler make BullMQ retry (attempts and backoff are central); throw `UnrecoverableError` for a
 * permanent failure.
 */
export abstract class JobProcessor extends WorkerHost implements OnModuleInit {
  protected readonly logger = new Logger(this.constructor.name);

  /** The queue this processor serves. */
  protected abstract readonly queue: QueueName;
  /** Its handlers, one per job name of the queue. */
  protected abstract readonly handlers: Partial<Record<JobName, (payload: never, job: Job) => Promise<unknown>>>;

  /** The job names this processor handles. */
  handledJobs(): JobName[] {
    return Object.keys(this.handlers) as JobName[];
  }

  /** Fails boot when a job of this queue has no handler. */
  onModuleInit(): void {
    const missing = jobsOfQueue(this.queue).filter((name) => !(name in this.handlers));
    if (missing.length) throw new Error(`Queue ${this.queue} has no handler for: ${missing.join(', ')}`);
  }

  /** Validates and dispatches one job. */
  async process(job: Job): Promise<unknown> {
    const name = job.name as JobName;
    const handler = this.handlers[name];
    const schema = (jobPayloadSchemas as Partial<Record<string, (typeof jobPayloadSchemas)[JobName]>>)[job.name];
    if (!handler || !schema) throw new UnrecoverableError(`No handler for job ${job.name} on queue ${this.queue}`);
    const parsed = schema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        `Invalid payload for ${job.name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      );
    }
    this.logger.log({ jobId: job.id, job: job.name, attempt: job.attemptsMade + 1 }, 'Job started');
    return handler(parsed.data as never, job);
  }
}
