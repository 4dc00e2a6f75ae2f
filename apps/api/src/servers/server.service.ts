import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';
import {
  AuditRepository,
  DuplicateServerNameError,
  type McpServerEntity,
  SecretCipher,
  ServerRepository,
} from '@mcp-router/registry';
import { JobName, JobRepository, LogRepository } from '@mcp-router/queue';
import { GatewayService } from '@mcp-router/gateway';
import { CatalogSyncService } from '../mcp/catalog-sync.service';
import { ContainerBackendConnector } from '../mcp/container-backend.connector';
import { toFieldErrors } from '../common/zod-validation.pipe';
import { checkConsistency, type CreateServerInput, type ServerShape, type UpdateServerInput } from './server-input';
import { mergeEnv, toServerView, type ServerView } from './server-view';

/** A server's catalog, as `GET /api/servers/:id/tools` returns it. */
export interface ServerTools {
  tools: unknown[];
  resources: unknown[];
  resourceTemplates: unknown[];
  prompts: unknown[];
  probedAt: string | null;
}

/** The registry of servers: create, read, update, delete, with secrets encrypted and never returned. */
@Injectable()
export class ServerService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly servers: ServerRepository,
    private readonly cipher: SecretCipher,
    private readonly jobs: JobRepository,
    private readonly audit: AuditRepository,
    private readonly gateway: GatewayService,
    private readonly catalog: CatalogSyncService,
    private readonly logs: LogRepository,
    private readonly connector: ContainerBackendConnector,
  ) {}

  private view(server: McpServerEntity): ServerView {
    return toServerView(server, this.gateway.liveSessionsOf(server.id));
  }

  /** Every server. */
  async getAll(): Promise<ServerView[]> {
    return (await this.servers.getAll()).map((server) => this.view(server));
  }

  /** @throws {NotFoundException} for an unknown id. */
  async getById(id: string): Promise<ServerView> {
    return this.view(await this.load(id));
  }

  /**
   * Creates a server.
   * @throws {ConflictException} 409 when the name is taken.
   */
  async create(input: CreateServerInput): Promise<ServerView> {
    try {
      const created = await this.servers.create({
        name: input.name,
        displayName: input.displayName ?? input.name,
        description: input.description,
        sourceUrl: input.sourceUrl ?? null,
        runtime: input.runtime,
        package: input.package ?? null,
        image: input.image ?? null,
        url: input.url ?? null,
        port: input.port ?? null,
        args: input.args,
        transport: input.transport,
        env: mergeEnv([], input.env, this.cipher),
        isolation: input.isolation,
        network: input.network,
        limits: { ...this.config.containerDefaults, ...input.limits },
        warmPool: input.warmPool,
        enabled: input.enabled,
        installStatus: 'none',
        imageTag: null,
        builtAt: null,
        installError: null,
        catalog: null,
      });
      await this.audit.record({
        actor: 'admin',
        action: 'server.create',
        target: created.id,
        detail: { name: created.name },
      });
      await this.catalog.changed(created.id);
      return this.view(created);
    } catch (error) {
      throw this.translate(error);
    }
  }

  /**
   * Applies a partial update; the merged server must still be consistent (400 with field errors otherwise).
   * @throws {NotFoundException} for an unknown id. {@link ConflictException} when renamed to a taken name.
   */
  async update(id: string, input: UpdateServerInput): Promise<ServerView> {
    const server = await this.load(id);
    const { env, limits, ...fields } = input;
    Object.assign(server, fields);
    if (limits) server.limits = { ...server.limits, ...limits };
    if (env) server.env = mergeEnv(server.env, env, this.cipher);
    this.assertConsistent(server);
    try {
      const saved = await this.servers.update(server);
      await this.audit.record({
        actor: 'admin',
        action: 'server.update',
        target: id,
        detail: { name: saved.name, fields: Object.keys(input) },
      });
      await this.catalog.changed(saved.id);
      return this.view(saved);
    } catch (error) {
      throw this.translate(error);
    }
  }

  /**
   * Deletes a server and enqueues the teardown of its containers and image.
   * @throws {NotFoundException} for an unknown id.
   */
  async delete(id: string): Promise<{ deleted: true; jobId: string }> {
    const server = await this.load(id);
    await this.servers.delete(id);
    const jobId = await this.jobs.enqueue(
      JobName.TeardownServer,
      { serverId: id, serverName: server.name, imageTag: server.imageTag },
      { key: id },
    );
    await this.audit.record({ actor: 'admin', action: 'server.delete', target: id, detail: { name: server.name } });
    await this.catalog.changed(id);
    return { deleted: true, jobId };
  }

  /**
   * Enqueues the install (image build and probe) of a server.
   * @throws {NotFoundException} for an unknown id.
   */
  async install(id: string): Promise<{ jobId: string }> {
    const server = await this.load(id);
    const jobId = await this.jobs.enqueue(JobName.BuildImage, { serverId: id }, { attempts: 1 });
    await this.servers.patch(id, { installStatus: 'building', installError: null });
    await this.audit.record({ actor: 'admin', action: 'server.install', target: id, detail: { name: server.name } });
    return { jobId };
  }

  /** The server's catalog as last probed (empty lists before its first install). */
  async getTools(id: string): Promise<ServerTools> {
    const catalog = (await this.load(id)).catalog;
    return {
      tools: catalog?.tools ?? [],
      resources: catalog?.resources ?? [],
      resourceTemplates: catalog?.resourceTemplates ?? [],
      prompts: catalog?.prompts ?? [],
      probedAt: catalog?.probedAt ?? null,
    };
  }

  /** The server's recent log: build and probe output, then the stderr of its containers. */
  async getLogs(id: string): Promise<{ lines: string[] }> {
    await this.load(id);
    return { lines: [...(await this.logs.read(id)), ...this.connector.liveStderr(id)] };
  }

  private async load(id: string): Promise<McpServerEntity> {
    const server = await this.servers.getById(id);
    if (!server) throw new NotFoundException(`No server with id ${id}`);
    return server;
  }

  private assertConsistent(server: ServerShape): void {
    const result = z
      .custom<ServerShape>()
      .superRefine((value, ctx) => {
        checkConsistency(value, ctx);
      })
      .safeParse(server);
    if (!result.success) {
      throw new BadRequestException({
        statusCode: 400,
        message: 'Validation failed',
        errors: toFieldErrors(result.error),
      });
    }
  }

  private translate(error: unknown): unknown {
    return error instanceof DuplicateServerNameError ? new ConflictException(error.message) : error;
  }
}
