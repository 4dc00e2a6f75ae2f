import { Injectable } from '@nestjs/common';
import { type CatalogServer, CatalogSource } from '@mcp-router/gateway';
import { type McpServerEntity, ServerRepository } from '@mcp-router/registry';

/** Maps a stored server to what the gateway lists: only enabled, installed servers with a catalog. */
export function toCatalogServer(server: McpServerEntity): CatalogServer | undefined {
  if (!server.enabled || server.installStatus !== 'installed' || !server.catalog) return undefined;
  return {
    id: server.id,
    name: server.name,
    displayName: server.displayName,
    description: server.description,
    isolation: server.isolation,
    revision: `${server.updatedAt.toISOString()}|${server.imageTag ?? ''}`,
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
