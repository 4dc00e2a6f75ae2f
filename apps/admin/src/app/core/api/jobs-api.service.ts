import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { Job } from './api.models';

/** `GET /api/jobs/:id`: background jobs such as installs. */
@Injectable({ providedIn: 'root' })
export class JobsApiService {
  private readonly http = inject(HttpClient);

  /** A job's state, progress, result or error. */
  get(id: string): Promise<Job> {
    return firstValueFrom(this.http.get<Job>(`/api/jobs/${encodeURIComponent(id)}`));
  }
}
