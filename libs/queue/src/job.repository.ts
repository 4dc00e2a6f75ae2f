import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { type JobName, jobPayloadSchemas, type JobPayload, jobQueue, QueueName } from './queue.constants';

/** The state of a job as the api reports it. */
export interface JobStatus {
  id: string;
  name: string;
  state: 'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'unknown';
  progress: unknown;
  result?: unknown;
  error?: string;
  attemptsMade: number;
}

/** Options for one enqueue. */
export interface EnqueueOptions {
  /**
   * A deterministic id (letters, digits, `-`, `_`), so that the same work is not queued twice while one is pending.
   * Defaults to a random one.
   */
  key?: string;
  /** Run no sooner than this many milliseconds from now. */
  delayMs?: number;
}

/**
 * Enqueues typed jobs and reads their state: the only code that touches the BullMQ queues. Job ids are
 * `<queue>.<job>.<key>`, so `getStatus` knows where to look.
 */
@Injectable()
export class JobRepository {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Analysis) analysis: Queue,
    @InjectQueue(QueueName.Images) images: Queue,
    @InjectQueue(QueueName.Containers) containers: Queue,
  ) {
    this.queues = { analysis, images, containers };
  }

  /**
   * Validates the payload and enqueues the job; returns its id.
   * @throws {z.ZodError} when the payload does not match the job's schema.
   */
  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<string> {
    const data: unknown = jobPayloadSchemas[name].parse(payload);
    const queue = jobQueue[name];
    const jobId = `${queue}.${name}.${options.key ?? randomUUID()}`;
    const opts: JobsOptions = { jobId };
    if (options.delayMs !== undefined) opts.delay = options.delayMs;
    await this.queues[queue].add(name, data, opts);
    return jobId;
  }

  /** Removes a pending (waiting or delayed) job; no-op when it is gone or already running. */
  async cancel(jobId: string): Promise<void> {
    const queue = this.queueOf(jobId);
    const job = queue ? await queue.getJob(jobId) : undefined;
    if (job && ((await job.isDelayed()) || (await job.isWaiting()))) await job.remove();
  }

  /** The state, progress and outcome of a job, or null when there is no such job. */
  async getStatus(jobId: string): Promise<JobStatus | null> {
    const queue = this.queueOf(jobId);
    const job = queue ? await queue.getJob(jobId) : undefined;
    if (!job?.id) return null;
    const state = await job.getState();
    const known = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;
    const status: JobStatus = {
      id: job.id,
      name: job.name,
      state: (known as readonly string[]).includes(state) ? (state as JobStatus['state']) : 'unknown',
      progress: job.progress,
      attemptsMade: job.attemptsMade,
    };
    if (state === 'completed') status.result = job.returnvalue as unknown;
    if (state === 'failed') status.error = job.failedReason;
    return status;
  }

  private queueOf(jobId: string): Queue | undefined {
    const name = jobId.split('.', 1)[0] as QueueName;
    return Object.values(QueueName).includes(name) ? this.queues[name] : undefined;
  }
}
