import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { inject, Injectable, type Signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { McpServer, ServerInput, ToolCatalog } from './api.models';

/** The update body: any subset of the create body. */
export type ServerUpdate = Partial<ServerInput>;

/** Recent container stderr of a server. */
export interface ServerLogs {
  lines: string[];
}

/** `/api/servers/...`: the registry of MCP servers, their installs, catalogs and logs. */
@Injectable({ providedIn: 'root' })
export class ServersApiService {
  private readonly http = inject(HttpClient);

  /** A resource of all servers (call in an injection context). */
  listResource(): HttpResourceRef<McpServer[] | undefined> {
    return httpResource<McpServer[]>(() => '/api/servers');
  }

  /** A resource of one server; idle while `id()` is undefined (call in an injection context). */
  serverResource(id: Signal<string | undefined>): HttpResourceRef<McpServer | undefined> {
    return httpResource<McpServer>(() => {
      const current = id();
      return current ? `/api/servers/${encodeURIComponent(current)}` : undefined;
    });
  }

  /** A resource of a server's tool catalog; idle while `id()` is undefined. */
  toolsResource(id: Signal<string | undefined>): HttpResourceRef<ToolCatalog | undefined> {
    return httpResource<ToolCatalog>(() => {
      const current = id();
      return current ? `/api/servers/${encodeURIComponent(current)}/tools` : undefined;
    });
  }

  /** A resource of a server's recent logs; idle while `id()` is undefined. */
  logsResource(id: Signal<string | undefined>): HttpResourceRef<ServerLogs | undefined> {
    return httpResource<ServerLogs>(() => {
      const current = id();
      return current ? `/api/servers/${encodeURIComponent(current)}/logs` : undefined;
    });
  }

  /** One server. @throws {HttpErrorResponse} 404 when it is gone. */
  get(id: string): Promise<McpServer> {
    return firstValueFrom(this.http.get<McpServer>(`/api/servers/${encodeURIComponent(id)}`));
  }

  /** Creates a server. @throws {HttpErrorResponse} 400 with field errors, 409 on a taken name. */
  create(input: ServerInput): Promise<McpServer> {
    return firstValueFrom(this.http.post<McpServer>('/api/servers', input));
  }

  /** Partially updates a server; env entries without `value` keep their stored value. */
  update(id: string, update: ServerUpdate): Promise<McpServer> {
    return firstValueFrom(this.http.post<McpServer>(`/api/servers/${encodeURIComponent(id)}/update`, update));
  }

  /** Deletes a server and tears down its containers. */
  async delete(id: string): Promise<void> {
    await firstValueFrom(this.http.post<unknown>(`/api/servers/${encodeURIComponent(id)}/delete`, {}));
  }

  /** Starts building and probing a server's image; resolves to the job to poll. */
  install(id: string): Promise<{ jobId: string }> {
    return firstValueFrom(this.http.post<{ jobId: string }>(`/api/servers/${encodeURIComponent(id)}/install`, {}));
  }

  /** A server's tool catalog. */
  tools(id: string): Promise<ToolCatalog> {
    return firstValueFrom(this.http.get<ToolCatalog>(`/api/servers/${encodeURIComponent(id)}/tools`));
  }

  /** A server's recent container stderr. */
  logs(id: string): Promise<ServerLogs> {
    return firstValueFrom(this.http.get<ServerLogs>(`/api/servers/${encodeURIComponent(id)}/logs`));
  }
}
