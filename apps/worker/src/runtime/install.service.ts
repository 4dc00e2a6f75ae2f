import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { createRemoteTransport, headersFromEnv } from '@mcp-router/common';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';
import { EventsRepository, LogRepository } from '@mcp-router/queue';
import {
  decryptEnv,
  type McpServerEntity,
  SecretCipher,
  ServerRepository,
  type ToolCatalog,
} from '@mcp-router/registry';
import { ContainerRunner, ImageBuilder, probeServer, RUNTIME_LABELS } from '@mcp-router/runtime';
import { specFromServer } from './server-spec.mapper';

/** Progress of an install, as `GET /api/jobs/:id` shows it. */
export interface InstallProgress {
  percent: number;
  step: 'building' | 'probing' | 'done';
  message?: string;
}

/** What an install stored. */
export interface InstallResult {
  serverId: string;
  imageTag: string | null;
  image: 'reused' | 'built' | 'pulled' | 'none';
  tools: number;
}

/**
 * Install = build + probe: makes sure the server's image exists (built from the runtime templates, reused when the
 * plan is unchanged, pulled for docker servers), then starts it once, asks it `initialize`, `tools/list`,
 * `resources/list`, `resources/templates/list` and `prompts/list`, stops it, and stores the catalog. Build output
 * and failures go to the server's log; the install state is kept on the server.
 */
@Injectable()
export class InstallService {
  private readonly logger = new Logger(InstallService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly servers: ServerRepository,
    private readonly cipher: SecretCipher,
    private readonly builder: ImageBuilder,
    private readonly runner: ContainerRunner,
    private readonly logs: LogRepository,
    private readonly events: EventsRepository,
  ) {}

  /**
   * Installs a server.
   * @param onProgress receives progress (build output lines, steps).
   * @throws {UnrecoverableError} with the reason (build error, probe timeout with the server's stderr tail); the
   *   server is then marked `failed` with that reason.
   */
  async install(
    serverId: string,
    force: boolean,
    onProgress: (progress: InstallProgress) => Promise<void>,
  ): Promise<InstallResult> {
    const server = await this.servers.getById(serverId);
    if (!server) throw new UnrecoverableError(`Server ${serverId} does not exist`);
    await this.servers.patch(server.id, { installStatus: 'building', installError: null });
    await this.changed(server.id);
    try {
      const result = await this.buildAndProbe(server, force, onProgress);
      await this.changed(server.id);
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.servers.patch(server.id, { installStatus: 'failed', installError: message });
      await this.logs.append(server.id, [`install failed: ${message}`]);
      await this.changed(server.id);
      throw new UnrecoverableError(message);
    }
  }

  private async buildAndProbe(
    server: McpServerEntity,
    force: boolean,
    onProgress: (progress: InstallProgress) => Promise<void>,
  ): Promise<InstallResult> {
    const spec = specFromServer(server);
    const lines: string[] = [];
    let flushing = Promise.resolve();
    let percent = 5;
    const flush = (): void => {
      const batch = lines.splice(0);
      flushing = flushing.then(async () => {
        await this.logs.append(server.id, batch);
        await onProgress({ percent, step: 'building', message: batch.at(-1) });
      });
    };
    await this.logs.append(server.id, [`install of ${server.name} started`]);
    await onProgress({ percent, step: 'building', message: 'preparing the image' });
    const ensured = await this.builder.ensureImage(spec, {
      force,
      onProgress: (line) => {
        lines.push(line);
        percent = Math.min(75, percent + 1);
        if (lines.length >= 10) flush();
      },
    });
    flush();
    await flushing;
    const imageTag = ensured?.imageTag ?? null;
    await this.logs.append(server.id, [
      ensured ? `image ${ensured.imageTag}: ${ensured.action}` : 'remote server: nothing to build',
    ]);
    await onProgress({ percent: 80, step: 'probing', message: 'starting the server and listing its tools' });
    const catalog = await this.probe(server, imageTag);
    await this.servers.patch(server.id, {
      installStatus: 'installed',
      imageTag,
      builtAt: new Date(),
      installError: null,
      catalog,
    });
    await this.logs.append(server.id, [
      `probe ok: ${catalog.tools.length} tools, ${catalog.resources.length} resources, ${catalog.prompts.length} prompts`,
    ]);
    await onProgress({ percent: 100, step: 'done', message: `${catalog.tools.length} tools` });
    return { serverId: server.id, imageTag, image: ensured?.action ?? 'none', tools: catalog.tools.length };
  }

  private async probe(server: McpServerEntity, imageTag: string | null): Promise<ToolCatalog> {
    const env = decryptEnv(server, this.cipher);
    const timeoutMs = this.config.probeTimeoutMs;
    if (server.runtime === 'remote') {
      if (!server.url || server.transport === 'stdio') throw new UnrecoverableError(`Server ${server.name} has no URL`);
      return probeServer(createRemoteTransport(server.url, server.transport, headersFromEnv(env)), { timeoutMs });
    }
    const running = await this.runner.start(specFromServer(server, env), {
      sessionId: `probe-${server.id.slice(0, 8)}`,
      imageTag: imageTag ?? undefined,
      labels: { [RUNTIME_LABELS.deployment]: this.config.queuePrefix },
    });
    try {
      return await probeServer(running.transport, { timeoutMs });
    } finally {
      const stderr = running.logs.toArray();
      if (stderr.length)
        await this.logs.append(
          server.id,
          stderr.map((line) => `[probe] ${line}`),
        );
      await running.stop().catch((error: unknown) => {
        this.logger.warn(
          { server: server.name, reason: (error as Error).message },
          'Could not stop the probe container',
        );
      });
    }
  }

  private async changed(serverId: string): Promise<void> {
    await this.events.publish({ type: 'servers-changed', serverId });
  }
}
