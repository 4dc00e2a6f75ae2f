import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { createRemoteTransport, headersFromEnv, runDetached } from '@mcp-router/common';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';
import { type BackendChannel, BackendConnector, type CatalogServer } from '@mcp-router/gateway';
import { ContainerOwnershipRepository, JobName, JobRepository, LogRepository } from '@mcp-router/queue';
import { decryptEnv, type McpServerEntity, SecretCipher, ServerRepository } from '@mcp-router/registry';
import { DockerRepository, DockerStdioTransport } from '@mcp-router/runtime';

/** How long the api waits for the worker to start a container, in milliseconds. */
const SPAWN_TIMEOUT_MS = 60_000;
/** How long after a claim the pool is refilled, in milliseconds. */
const POOL_REFILL_DELAY_MS = 1500;
/** How often held containers' ownership is refreshed, in milliseconds. */
const HEARTBEAT_MS = 30_000;
/** Activity pushes the idle teardown back at most this often per container, in milliseconds. */
const TOUCH_INTERVAL_MS = 15_000;
/** The idle teardown comes this long after the session's own idle timeout, so the session closes first. */
const TEARDOWN_MARGIN_MS = 60_000;

const spawnResultSchema = z.object({ containerId: z.string().min(1) });

interface HeldContainer {
  containerId: string;
  sessionId: string;
  serverId: string;
  lastTouch: number;
  transport?: DockerStdioTransport;
}

/**
 * Opens backends for the gateway. Container servers: a container from the server's warm pool when it has one
 * (an atomic claim), else a `spawn` job run by the worker; then the api attaches to its stdio. The container's
 * ownership is kept alive in Redis while held, its idle teardown is a delayed job pushed back by activity (so it
 * survives an api restart), and releasing it runs the teardown at once. Remote servers: an HTTP client transport
 * with headers from the server's secrets.
 */
@Injectable()
export class ContainerBackendConnector extends BackendConnector implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ContainerBackendConnector.name);
  private readonly held = new Map<string, HeldContainer>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly servers: ServerRepository,
    private readonly cipher: SecretCipher,
    private readonly jobs: JobRepository,
    private readonly ownership: ContainerOwnershipRepository,
    private readonly logs: LogRepository,
    private readonly docker: DockerRepository,
  ) {
    super();
  }

  /** Starts the ownership heartbeat. */
  onModuleInit(): void {
    this.heartbeat = setInterval(() => {
      runDetached(this.logger, 'Refreshing container ownership', this.ownership.own([...this.held.values()]));
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Stops the heartbeat (the gateway releases the containers themselves). */
  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
  }

  /** Opens a channel to `server` for `sessionId`. */
  async open(server: CatalogServer, sessionId: string): Promise<BackendChannel> {
    const entity = await this.servers.getById(server.id);
    if (!entity) throw new Error('the server was deleted');
    if (entity.runtime === 'remote') return this.openRemote(entity);
    if (entity.transport !== 'stdio') {
      throw new Error(`a container speaking ${entity.transport} cannot be reached: containers run without a network`);
    }
    const owner = entity.isolation === 'shared' ? 'shared' : sessionId;
    const containerId = (await this.claim(entity)) ?? (await this.spawn(entity, owner));
    const held: HeldContainer = { containerId, sessionId: owner, serverId: entity.id, lastTouch: Date.now() };
    this.held.set(containerId, held);
    await this.ownership.own([held]);
    await this.scheduleTeardown(containerId);
    let transport: DockerStdioTransport;
    try {
      const stream = await this.docker.attachContainer(containerId);
      transport = new DockerStdioTransport({
        containerId,
        stream,
        exits: this.docker,
        logger: {
          debug: () => undefined,
          warn: (message) => {
            this.logger.warn({ server: entity.name, containerId: containerId.slice(0, 12) }, message);
          },
        },
      });
    } catch (error) {
      await this.release(containerId, 'attach failed');
      throw error;
    }
    held.transport = transport;
    let released = false;
    return {
      transport,
      release: async () => {
        if (released) return;
        released = true;
        const stderr = transport.stderr.toArray();
        if (stderr.length)
          await this.logs.append(
            entity.id,
            stderr.map((line) => `[${containerId.slice(0, 12)}] ${line}`),
          );
        await this.release(containerId, 'session closed');
      },
    };
  }

  /** The recent stderr lines of the containers of `serverId` this api holds now, each prefixed by its container. */
  liveStderr(serverId: string): string[] {
    return [...this.held.values()]
      .filter((held) => held.serverId === serverId && held.transport)
      .flatMap((held) =>
        (held.transport?.stderr.toArray() ?? []).map((line) => `[${held.containerId.slice(0, 12)}] ${line}`),
      );
  }

  /** Pushes the container's idle teardown back (at most every 15 s). */
  touch(_server: CatalogServer, channel: BackendChannel): void {
    if (!(channel.transport instanceof DockerStdioTransport)) return;
    const held = this.held.get(channel.transport.containerId);
    if (!held || Date.now() - held.lastTouch < TOUCH_INTERVAL_MS) return;
    held.lastTouch = Date.now();
    runDetached(this.logger, 'Pushing back an idle teardown', this.scheduleTeardown(held.containerId));
  }

  private async claim(server: McpServerEntity): Promise<string | undefined> {
    if (server.warmPool <= 0 || server.isolation === 'shared') return undefined;
    const containerId = await this.ownership.claimFromPool(server.id);
    // Refill a moment later: starting a container competes for CPU with the session that just claimed one.
    await this.jobs.enqueue(JobName.RefillPool, { serverId: server.id }, { delayMs: POOL_REFILL_DELAY_MS });
    return containerId;
  }

  private async spawn(server: McpServerEntity, sessionId: string): Promise<string> {
    const result = await this.jobs.enqueueAndWait(JobName.Spawn, { serverId: server.id, sessionId }, SPAWN_TIMEOUT_MS);
    return spawnResultSchema.parse(result).containerId;
  }

  private scheduleTeardown(containerId: string): Promise<void> {
    return this.jobs.schedule(
      JobName.TeardownContainer,
      { containerId, reason: 'idle' },
      containerId,
      this.config.sessionIdleTimeoutMs + TEARDOWN_MARGIN_MS,
    );
  }

  private async release(containerId: string, reason: string): Promise<void> {
    this.held.delete(containerId);
    await this.ownership.disown(containerId);
    await this.jobs.runNow(JobName.TeardownContainer, { containerId, reason }, containerId);
  }

  private openRemote(server: McpServerEntity): BackendChannel {
    if (!server.url || server.transport === 'stdio') throw new Error('the remote server has no HTTP URL');
    const transport = createRemoteTransport(
      server.url,
      server.transport,
      headersFromEnv(decryptEnv(server, this.cipher)),
    );
    return {
      transport,
      release: async () => {
        await transport.close();
      },
    };
  }
}
