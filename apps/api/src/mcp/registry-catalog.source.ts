import { Injectable } from '@nestjs/common';
import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
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
    tools: server.catalog.tools as Tool[],
    resources: server.catalog.resources as Resource[],
    resourceTemplates: server.catalog.resourceTemplates as ResourceTemplate[],
    prompts: server.catalog.prompts as Prompt[],
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
