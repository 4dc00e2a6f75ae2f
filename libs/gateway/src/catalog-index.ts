import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { namespacedName } from './tool-names';

/** What the gateway knows of an enabled, installed server: identity and its last probed catalog. */
export interface CatalogServer {
  id: string;
  name: string;
  displayName: string;
  description: string;
  /** `shared`: one backend serves every session. */
  isolation: 'session' | 'shared';
  /** Changes whenever the server's definition changes (its backends are then replaced). */
  revision: string;
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
}

/** Where a public tool or prompt name leads. */
export interface Route {
  server: CatalogServer;
  /** The name on the backend. */
  name: string;
}

/**
 * The aggregated view of some servers' catalogs: public tool and prompt lists (namespaced, or plain for a single
 * server), resources with their URIs kept, and the lookups that route a call back to its server. Immutable; built
 * anew whenever the set of servers changes, so that listing is a lookup and never starts a container.
 */
export class CatalogIndex {
  readonly tools: Tool[] = [];
  readonly prompts: Prompt[] = [];
  readonly resources: Resource[] = [];
  readonly resourceTemplates: ResourceTemplate[] = [];
  private readonly toolRoutes = new Map<string, Route>();
  private readonly promptRoutes = new Map<string, Route>();
  private readonly resourceRoutes = new Map<string, CatalogServer>();
  private readonly templateRoutes: { template: UriTemplate; raw: string; server: CatalogServer }[] = [];
  private readonly byName = new Map<string, CatalogServer>();

  /**
   * @param servers the servers to aggregate, in display order.
   * @param namespaced `true` for the aggregate view (`<server>__<tool>`); `false` for one server alone.
   */
  constructor(
    readonly servers: CatalogServer[],
    namespaced: boolean,
  ) {
    for (const server of servers) {
      this.byName.set(server.name, server);
      for (const tool of server.tools) {
        const name = namespaced ? namespacedName(server.name, tool.name) : tool.name;
        if (this.toolRoutes.has(name)) continue;
        this.toolRoutes.set(name, { server, name: tool.name });
        this.tools.push({
          ...tool,
          name,
          title: namespaced ? `${tool.title ?? tool.name} (${server.displayName})` : tool.title,
        });
      }
      for (const prompt of server.prompts) {
        const name = namespaced ? namespacedName(server.name, prompt.name) : prompt.name;
        if (this.promptRoutes.has(name)) continue;
        this.promptRoutes.set(name, { server, name: prompt.name });
        this.prompts.push({ ...prompt, name });
      }
      for (const resource of server.resources) {
        if (this.resourceRoutes.has(resource.uri)) continue;
        this.resourceRoutes.set(resource.uri, server);
        this.resources.push(resource);
      }
      for (const template of server.resourceTemplates) {
        this.resourceTemplates.push(template);
        this.templateRoutes.push({
          template: new UriTemplate(template.uriTemplate),
          raw: template.uriTemplate,
          server,
        });
      }
    }
  }

  /** The server and backend name of a public tool name, or undefined. */
  routeTool(name: string): Route | undefined {
    return this.toolRoutes.get(name);
  }

  /** The server and backend name of a public prompt name, or undefined. */
  routePrompt(name: string): Route | undefined {
    return this.promptRoutes.get(name);
  }

  /** The server that serves a resource URI: a listed resource first, then the first matching template. */
  routeResource(uri: string): CatalogServer | undefined {
    const listed = this.resourceRoutes.get(uri);
    if (listed) return listed;
    return this.templateRoutes.find((entry) => entry.template.match(uri) !== null)?.server;
  }

  /** The server that owns a resource template (for completions), or undefined. */
  routeTemplate(uriTemplate: string): CatalogServer | undefined {
    return this.templateRoutes.find((entry) => entry.raw === uriTemplate)?.server;
  }

  /** A server by name, or undefined. */
  server(name: string): CatalogServer | undefined {
    return this.byName.get(name);
  }
}
