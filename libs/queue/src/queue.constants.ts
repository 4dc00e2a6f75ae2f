import { z } from 'zod';

/** The BullMQ queues (DESIGN.md "Queues"). */
export const QueueName = {
  Analysis: 'analysis',
  Images: 'images',
  Containers: 'containers',
} as const;
/** A queue name. */
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Every job name, each on exactly one queue. Later work adds its jobs here, with a handler in the worker. */
export const JobName = {
  AnalyzeRepo: 'analyze-repo',
  BuildImage: 'build-image',
  Spawn: 'spawn',
  RefillPool: 'refill-pool',
  Reap: 'reap',
  TeardownContainer: 'teardown-container',
  TeardownServer: 'teardown-server',
} as const;
/** A job name. */
export type JobName = (typeof JobName)[keyof typeof JobName];

const id = z.string().min(1).max(64);

/** The payload schema of each job: plain JSON with ids, never entities, never secret values. */
export const jobPayloadSchemas = {
  [JobName.AnalyzeRepo]: z.object({ analysisId: id }).strict(),
  [JobName.BuildImage]: z.object({ serverId: id, force: z.boolean().optional() }).strict(),
  [JobName.Spawn]: z.object({ serverId: id, sessionId: id }).strict(),
  [JobName.RefillPool]: z.object({ serverId: id }).strict(),
  [JobName.Reap]: z.object({}).strict(),
  [JobName.TeardownContainer]: z.object({ containerId: id, reason: z.string().max(200) }).strict(),
  [JobName.TeardownServer]: z
    .object({ serverId: id, serverName: z.string().max(64), imageTag: z.string().max(300).nullable().optional() })
    .strict(),
} satisfies Record<JobName, z.ZodType>;

/** The payload type of job `N`. */
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloadSchemas)[N]>;

/** The queue each job runs on. */
export const jobQueue: Record<JobName, QueueName> = {
  [JobName.AnalyzeRepo]: QueueName.Analysis,
  [JobName.BuildImage]: QueueName.Images,
  [JobName.Spawn]: QueueName.Containers,
  [JobName.RefillPool]: QueueName.Containers,
  [JobName.Reap]: QueueName.Containers,
  [JobName.TeardownContainer]: QueueName.Containers,
  [JobName.TeardownServer]: QueueName.Containers,
};

/** The job names that run on `queue`. */
export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(jobQueue) as JobName[]).filter((name) => jobQueue[name] === queue);
}

/**
 * Retries, set once for every job: three attempts with exponential backoff from 2 s. Finished jobs are kept a day
 * (so `GET /api/jobs/:id` can report them), failed ones a week.
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} as const;
