import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';
import { ContainerOwnershipRepository, LogRepository } from '@mcp-router/queue';
import { decryptEnv, type McpServerEntity, SecretCipher, ServerRepository } from '@mcp-router/registry';
import { containerOptionsFor, DockerRepository, RUNTIME_LABELS } from '@mcp-router/runtime';
import { SANDBOX_SERVER_ID } from '@mcp-router/sandbox';
import { specFromServer } from './server-spec.mapper';

/** The session label of containers waiting in a warm pool. */
export const POOL_SESSION = 'pool';
/** The longest a pool refill may hold its lock, in milliseconds. */
const POOL_LOCK_MS = 120_000;

/** What a reap removed. */
export interface ReapReport {
  containers: string[];
  images: string[];
}

/**
 * The life of backend containers, run by the worker: spawn (hardened, labelled, with the server's decrypted env),
 * teardown (graceful stop, then remove; idempotent), warm pools, and the reaper of containers no live session owns
 * and of images of deleted servers.
 */
@Injectable()
export class ContainerLifecycleService {
  private readonly logger = new Logger(ContainerLifecycleService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly servers: ServerRepository,
    private readonly cipher: SecretCipher,
    private readonly docker: DockerRepository,
    private readonly ownership: ContainerOwnershipRepository,
    private readonly logs: LogRepository,
  ) {}

  /**
   * Creates and starts a container of `serverId` for `sessionId`; returns its id. The decrypted env goes into the
   * container's configuration only.
   * @throws {UnrecoverableError} when the server is unknown, disabled or not installed.
   */
  async spawn(serverId: string, sessionId: string): Promise<string> {
    const server = await this.runnable(serverId);
    const spec = specFromServer(server, decryptEnv(server, this.cipher));
    const options = containerOptionsFor(spec, {
      sessionId,
      instanceId: this.config.instanceId,
      imageTag: server.imageTag ?? '',
      labels: this.deploymentLabel(),
    });
    const containerId = await this.docker.createContainer(options);
    try {
      await this.docker.startContainer(containerId);
    } catch (error) {
      await this.docker.stopAndRemoveContainer(containerId, 1).catch(() => undefined);
      throw error;
    }
    this.logger.log({ server: server.name, sessionId, containerId: containerId.slice(0, 12) }, 'Container started');
    return containerId;
  }

  /** Stops (gracefully, then by force) and removes a container; no-op when it is gone. */
  async teardown(containerId: string, reason: string): Promise<void> {
    const info = await this.docker.inspectContainer(containerId);
    await this.ownership.disown(containerId);
    if (!info) return;
    const serverId = info.Config.Labels[RUNTIME_LABELS.server];
    if (serverId) await this.ownership.removeFromPool(serverId, containerId);
    await this.docker.stopAndRemoveContainer(containerId, 5);
    this.logger.log({ containerId: containerId.slice(0, 12), reason }, 'Container removed');
  }

  /** The label that scopes containers to this deployment (its Redis prefix), so routers sharing an engine never reap each other's. */
  deploymentLabel(): Record<string, string> {
    return { [RUNTIME_LABELS.deployment]: this.config.queuePrefix };
  }

  /** Removes every container and image of a (deleted) server, its warm pool and its log. */
  async teardownServer(serverId: string, imageTag?: string | null): Promise<{ containers: number; images: number }> {
    await this.ownership.markDeleted(serverId);
    const containers = await this.docker.listContainers({
      [RUNTIME_LABELS.managed]: 'true',
      [RUNTIME_LABELS.server]: serverId,
    });
    for (const container of containers) await this.teardown(container.id, 'server deleted');
    for (const containerId of await this.ownership.pool(serverId))
      await this.ownership.removeFromPool(serverId, containerId);
    const images = await this.removeImagesOf(serverId, imageTag);
    await this.logs.clear(serverId);
    return { containers: containers.length, images };
  }

  /**
   * Removes the images built for a server: those labelled with its id, and its own `mcp-router/srv-…` tag (an image
   * is shared by tag when a server of the same name and plan built it first). An image a container still uses stays.
   */
  private async removeImagesOf(serverId: string, imageTag?: string | null): Promise<number> {
    const labelled = await this.docker.listImages({
      [RUNTIME_LABELS.managed]: 'true',
      [RUNTIME_LABELS.server]: serverId,
    });
    const refs = new Set(labelled.map((image) => image.id));
    if (imageTag?.startsWith('mcp-router/srv-') && (await this.docker.imageExists(imageTag))) refs.add(imageTag);
    let removed = 0;
    for (const ref of refs) {
      try {
        await this.docker.removeImage(ref);
        removed++;
      } catch (error) {
        this.logger.warn({ image: ref, reason: (error as Error).message }, 'Image kept (still in use?)');
      }
    }
    await this.ownership.clearDeleted(serverId);
    return removed;
  }

  /**
   * Tops a server's warm pool up to its `warmPool` size (dropping members that died). No-op for servers that are
   * disabled, not installed, shared, or without a pool.
   * One refill runs at a time per server.
   * @returns how many containers were started, or `busy` when another refill holds the pool.
   */
  async refillPool(serverId: string): Promise<number | 'busy'> {
    if (!(await this.ownership.lockPool(serverId, POOL_LOCK_MS))) return 'busy';
    try {
      return await this.fillPool(serverId);
    } finally {
      await this.ownership.unlockPool(serverId);
    }
  }

  private async fillPool(serverId: string): Promise<number> {
    const server = await this.servers.getById(serverId);
    const wanted =
      server && server.enabled && server.installStatus === 'installed' && server.isolation === 'session'
        ? server.warmPool
        : 0;
    const members = await this.ownership.pool(serverId);
    const alive: string[] = [];
    for (const containerId of members) {
      const info = await this.docker.inspectContainer(containerId);
      if (info?.State.Running) alive.push(containerId);
      else await this.ownership.removeFromPool(serverId, containerId);
    }
    for (const containerId of alive.slice(wanted)) await this.teardown(containerId, 'pool shrunk');
    let started = 0;
    for (let count = alive.length; count < wanted; count++) {
      const containerId = await this.spawn(serverId, POOL_SESSION);
      await this.ownership.addToPool(serverId, containerId);
      started++;
    }
    return started;
  }

  /** Refills the pools of every server that has one. */
  async refillAllPools(): Promise<void> {
    for (const server of await this.servers.getAll()) {
      if (server.warmPool > 0 || (await this.ownership.pool(server.id)).length > 0) await this.refillPool(server.id);
    }
  }

  /**
   * Removes this deployment's managed containers that no live session owns (older than the grace period, not
   * waiting in a pool), and the images of deleted servers that a teardown could not remove. Only this deployment's
   * (label `mcp-router.deployment`): routers sharing an engine never reap each other's containers or images. One
   * failure does not stop the rest.
   */
  async reap(): Promise<ReapReport> {
    const report: ReapReport = { containers: [], images: [] };
    const known = new Set((await this.servers.getAll()).map((server) => server.id));
    known.add(SANDBOX_SERVER_ID);
    const containers = await this.docker.listContainers({
      [RUNTIME_LABELS.managed]: 'true',
      ...this.deploymentLabel(),
    });
    for (const container of containers) {
      if (Date.now() - container.created * 1000 < this.config.reapGraceMs) continue;
      const serverId = container.labels[RUNTIME_LABELS.server] ?? '';
      const keep =
        known.has(serverId) &&
        container.state === 'running' &&
        ((await this.ownership.isOwned(container.id)) || (await this.ownership.isPooled(serverId, container.id)));
      if (keep) continue;
      try {
        await this.teardown(container.id, 'orphaned');
        report.containers.push(container.id);
      } catch (error) {
        this.logger.warn(
          { containerId: container.id.slice(0, 12), reason: (error as Error).message },
          'Could not reap',
        );
      }
    }
    for (const serverId of await this.ownership.deletedServers()) {
      if (known.has(serverId)) continue;
      try {
        if ((await this.removeImagesOf(serverId)) > 0) report.images.push(serverId);
      } catch (error) {
        this.logger.warn(
          { serverId, reason: (error as Error).message },
          'Could not remove the images of a deleted server',
        );
      }
    }
    if (report.containers.length || report.images.length) this.logger.log(report, 'Reaped');
    return report;
  }

  private async runnable(serverId: string): Promise<McpServerEntity> {
    const server = await this.servers.getById(serverId);
    if (!server) throw new UnrecoverableError(`Server ${serverId} does not exist`);
    if (!server.enabled) throw new UnrecoverableError(`Server ${server.name} is disabled`);
    if (server.installStatus !== 'installed' || !server.imageTag) {
      throw new UnrecoverableError(`Server ${server.name} is not installed`);
    }
    return server;
  }
}
