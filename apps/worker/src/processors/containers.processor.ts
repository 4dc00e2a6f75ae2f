import { InjectQueue, Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AuditRepository } from '@mcp-router/registry';
import { JobName, type JobPayload, JobProcessor, JobRepository, QueueName } from '@mcp-router/queue';
import { ContainerLifecycleService, type ReapReport } from '../runtime/container-lifecycle.service';

/** How often the reaper runs, in milliseconds. */
export const REAP_EVERY_MS = 60_000;

/** The `containers` queue: spawn, teardown, warm pools, the reaper, and the teardown of deleted servers. */
@Processor(QueueName.Containers, { concurrency: 8 })
export class ContainersProcessor extends JobProcessor implements OnApplicationBootstrap {
  protected readonly queue = QueueName.Containers;
  protected readonly handlers = {
    [JobName.Spawn]: (payload: JobPayload<typeof JobName.Spawn>) => this.handleSpawn(payload),
    [JobName.TeardownContainer]: (payload: JobPayload<typeof JobName.TeardownContainer>) =>
      this.handleTeardownContainer(payload),
    [JobName.TeardownServer]: (payload: JobPayload<typeof JobName.TeardownServer>) =>
      this.handleTeardownServer(payload),
    [JobName.RefillPool]: (payload: JobPayload<typeof JobName.RefillPool>) => this.handleRefillPool(payload),
    [JobName.Reap]: () => this.handleReap(),
  };

  constructor(
    private readonly lifecycle: ContainerLifecycleService,
    private readonly audit: AuditRepository,
    private readonly jobs: JobRepository,
    @InjectQueue(QueueName.Containers) private readonly containers: Queue,
  ) {
    super();
  }

  /** Reaps once at start, then every minute (one schedule shared by every worker), and refills the warm pools. */
  async onApplicationBootstrap(): Promise<void> {
    await this.containers.upsertJobScheduler(
      'reaper',
      { every: REAP_EVERY_MS },
      { name: JobName.Reap, data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
    );
    try {
      await this.handleReap();
    } catch (error) {
      this.logger.error({ err: error }, 'The first reap failed; the scheduled ones will retry');
    }
  }

  /** Starts a container for a session; returns its id to the waiting api. */
  async handleSpawn(payload: JobPayload<typeof JobName.Spawn>): Promise<{ containerId: string }> {
    return { containerId: await this.lifecycle.spawn(payload.serverId, payload.sessionId) };
  }

  /** Stops and removes a container (idle, session closed, crashed). Idempotent. */
  async handleTeardownContainer(
    payload: JobPayload<typeof JobName.TeardownContainer>,
  ): Promise<{ containerId: string }> {
    await this.lifecycle.teardown(payload.containerId, payload.reason);
    return { containerId: payload.containerId };
  }

  /** Removes every container and image of a deleted server, and records it. Idempotent. */
  async handleTeardownServer(
    payload: JobPayload<typeof JobName.TeardownServer>,
  ): Promise<{ serverId: string; containers: number; images: number }> {
    const removed = await this.lifecycle.teardownServer(payload.serverId, payload.imageTag);
    await this.audit.record({
      actor: 'system',
      action: 'server.teardown',
      target: payload.serverId,
      detail: { name: payload.serverName, ...removed },
    });
    return { serverId: payload.serverId, ...removed };
  }

  /** Tops a warm pool up; when another refill is running, tries again shortly (it may have counted too early). */
  async handleRefillPool(payload: JobPayload<typeof JobName.RefillPool>): Promise<{ started: number | 'busy' }> {
    const started = await this.lifecycle.refillPool(payload.serverId);
    if (started === 'busy') await this.jobs.enqueue(JobName.RefillPool, payload, { delayMs: 2000 });
    return { started };
  }

  /** Removes orphaned containers and images, then refills the pools. */
  async handleReap(): Promise<ReapReport> {
    const report = await this.lifecycle.reap();
    await this.lifecycle.refillAllPools();
    return report;
  }
}
