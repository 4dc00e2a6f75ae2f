import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobName, type JobPayload, JobProcessor, JobRepository, QueueName } from '@mcp-router/queue';
import { InstallService, type InstallResult } from '../runtime/install.service';

/** The `images` queue: install = build the server's image, probe it, store its catalog. */
@Processor(QueueName.Images, { concurrency: 2 })
export class ImagesProcessor extends JobProcessor {
  protected readonly queue = QueueName.Images;
  protected readonly handlers = {
    [JobName.BuildImage]: (payload: JobPayload<typeof JobName.BuildImage>, job: Job) =>
      this.handleBuildImage(payload, job),
  };

  constructor(
    private readonly installer: InstallService,
    private readonly jobs: JobRepository,
  ) {
    super();
  }

  /** Builds and probes; progress goes to the job (and build output to the server's log). */
  async handleBuildImage(payload: JobPayload<typeof JobName.BuildImage>, job: Job): Promise<InstallResult> {
    const result = await this.installer.install(payload.serverId, payload.force ?? false, async (progress) => {
      await job.updateProgress(progress);
    });
    await this.jobs.enqueue(JobName.RefillPool, { serverId: payload.serverId });
    return result;
  }
}
