import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { Analysis } from './api.models';

/** `/api/analyses`: repository analyses that propose an install plan. */
@Injectable({ providedIn: 'root' })
export class AnalysesApiService {
  private readonly http = inject(HttpClient);

  /** Starts analysing a GitHub repository; resolves to the analysis id to poll. */
  start(url: string): Promise<{ id: string }> {
    return firstValueFrom(this.http.post<{ id: string }>('/api/analyses', { url }));
  }

  /** An analysis' state, progress and (once done) plan. */
  get(id: string): Promise<Analysis> {
    return firstValueFrom(this.http.get<Analysis>(`/api/analyses/${encodeURIComponent(id)}`));
  }
}
