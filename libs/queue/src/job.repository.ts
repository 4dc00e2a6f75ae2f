import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, type JobsOptions, type Queue, QueueEvents } from 'bullmq';
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
  /** Attempts for this job, instead of the central default (1: a failure is final). */
  attempts?: number;
}

/**
 * Enqueues typed jobs and reads their state: the only code that touches the BullMQ queues. Job ids are
 * `<queue>.<job>.<key>`, so `getStatus` knows where to look.
 */
@Injectable()
export class JobRepository implements OnApplicationShutdown {
  private readonly queues: Record<QueueName, Queue>;
  private readonly events = new Map<QueueName, Promise<QueueEvents>>();

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
    if (options.attempts !== undefined) opts.attempts = options.attempts;
    await this.queues[queue].add(name, data, opts);
    return jobId;
  }

  /**
   * Enqueues a job and waits for its result.
   * @param timeoutMs how long to wait, in milliseconds.
   * @throws {Error} with the job's failure reason when it fails (after its retries), or when the wait times out.
   */
  async enqueueAndWait<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    timeoutMs: number,
    options: EnqueueOptions = {},
  ): Promise<unknown> {
    const queue = jobQueue[name];
    const events = await this.eventsOf(queue);
    const jobId = await this.enqueue(name, payload, options);
    const job = await this.queues[queue].getJob(jobId);
    if (!job) throw new Error(`Job ${jobId} vanished before it ran`);
    return (await job.waitUntilFinished(events, timeoutMs)) as unknown;
  }

  /**
   * Schedules a job to run `delayMs` from now under a deterministic key; when a delayed job with that key exists,
   * moves its time instead (so that activity pushes an idle teardown back).
   */
  async schedule<N extends JobName>(name: N, payload: JobPayload<N>, key: string, delayMs: number): Promise<void> {
    const job = await this.getJob(name, key);
    if (job && (await job.isDelayed())) {
      await job.changeDelay(delayMs);
      return;
    }
    if (job) await job.remove().catch(() => undefined);
    await this.enqueue(name, payload, { key, delayMs });
  }

  /** Runs a scheduled (delayed) job now; enqueues it when there is none. */
  async runNow<N extends JobName>(name: N, payload: JobPayload<N>, key: string): Promise<void> {
    const job = await this.getJob(name, key);
    if (job && (await job.isDelayed())) {
      await job.promote();
      return;
    }
    if (job && ((await job.isWaiting()) || (await job.isActive()))) return;
    if (job) await job.remove().catch(() => undefined);
    await this.enqueue(name, payload, { key });
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

  /** Closes the event listeners. */
  async onApplicationShutdown(): Promise<void> {
    const events = await Promise.all(this.events.values());
    await Promise.all(events.map((listener) => listener.close()));
  }

  private async getJob(name: JobName, key: string): Promise<Job | undefined> {
    const queue = jobQueue[name];
    return this.queues[queue].getJob(`${queue}.${name}.${key}`);
  }

  private eventsOf(queue: QueueName): Promise<QueueEvents> {
    let events = this.events.get(queue);
    if (!events) {
      const source = this.queues[queue];
      const listener = new QueueEvents(queue, { connection: source.opts.connection, prefix: source.opts.prefix });
      events = listener.waitUntilReady().then(() => listener);
      this.events.set(queue, events);
    }
    return events;
  }

  private queueOf(jobId: string): Queue | undefined {
    const name = jobId.split('.', 1)[0] as QueueName;
    return Object.values(QueueName).includes(name) ? this.queues[name] : undefined;
  }
}
