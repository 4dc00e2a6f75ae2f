import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CatalogServer, CatalogSource } from '@mcp-router/gateway';
import { type McpServerEntity, ServerRepository } from '@mcp-router/registry';

/**
 * A fingerprint of everything that shapes a server's backends (how it runs, its env, its limits, its image and
 * catalog): when it changes, the gateway replaces the server's open backends. Timestamps are too coarse for this
 * (SQLite keeps seconds), so the fields themselves are hashed.
 */
export function revisionOf(server: McpServerEntity): string {
  const shape = [
    server.name,
    server.runtime,
    server.package,
    server.image,
    server.url,
    server.port,
    server.args,
    server.transport,
    server.env,
    server.isolation,
    server.network,
    server.limits,
    server.imageTag,
    server.catalog?.probedAt ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}

/** Maps a stored server to what the gateway lists: only enabled, installed servers with a catalog. */
export function toCatalogServer(server: McpServerEntity): CatalogServer | undefined {
  if (!server.enabled || server.installStatus !== 'installed' || !server.catalog) return undefined;
  return {
    id: server.id,
    name: server.name,
    displayName: server.displayName,
    description: server.description,
    isolation: server.isolation,
    revision: revisionOf(server),
    tools: server.catalog.tools,
    resources: server.catalog.resources,
    resourceTemplates: server.catalog.resourceTemplates,
    prompts: server.catalog.prompts,
  };
}

/** The gateway's catalog, from the registry. */
@Injectable()
export class RegistryCatalogSource extends CatalogSource {
  constructor(private readonly servers: ServerRepository) {
    super();
  }

  /** Every enabled, installed server with its catalog. */
  async load(): Promise<CatalogServer[]> {
    return (await this.servers.getAll()).flatMap((server) => toCatalogServer(server) ?? []);
  }
}
