import { Processor } from '@nestjs/bullmq';
import { AuditRepository } from '@mcp-router/registry';
import { JobName, type JobPayload, JobProcessor, QueueName } from '@mcp-router/queue';

/** The `containers` queue: teardown of a deleted server's containers. */
@Processor(QueueName.Containers)
export class ContainersProcessor extends JobProcessor {
  protected readonly queue = QueueName.Containers;
  protected readonly handlers = {
    [JobName.TeardownServer]: (payload: JobPayload<typeof JobName.TeardownServer>) =>
      this.handleTeardownServer(payload),
  };

  constructor(private readonly audit: AuditRepository) {
    super();
  }

  /** Records the teardown of a deleted server. Idempotent. */
  async handleTeardownServer(payload: JobPayload<typeof JobName.TeardownServer>): Promise<{ serverId: string }> {
    await this.audit.record({
      actor: 'system',
      action: 'server.teardown',
      target: payload.serverId,
      detail: { name: payload.serverName },
    });
    return { serverId: payload.serverId };
  }
}
