import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { ApiKey, CreatedApiKey } from './api.models';

/** `/api/keys`: the API keys MCP clients authenticate with. */
@Injectable({ providedIn: 'root' })
export class KeysApiService {
  private readonly http = inject(HttpClient);

  /** A resource of all keys, revoked ones included (call in an injection context). */
  listResource(): HttpResourceRef<ApiKey[] | undefined> {
    return httpResource<ApiKey[]>(() => '/api/keys');
  }

  /** Creates a key; the answer holds the key itself, which is never returned again. */
  create(name: string): Promise<CreatedApiKey> {
    return firstValueFrom(this.http.post<CreatedApiKey>('/api/keys', { name }));
  }

  /** Revokes a key: clients using it are refused from now on. */
  async revoke(id: string): Promise<void> {
    await firstValueFrom(this.http.post<unknown>(`/api/keys/${encodeURIComponent(id)}/revoke`, {}));
  }
}
