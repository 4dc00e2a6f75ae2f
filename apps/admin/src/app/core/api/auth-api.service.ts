import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { LoginResponse } from './api.models';

/** `POST /api/auth/login`. */
@Injectable({ providedIn: 'root' })
export class AuthApiService {
  private readonly http = inject(HttpClient);

  /**
   * Exchanges the admin passcode for a JWT.
   * @throws {HttpErrorResponse} 401 on a wrong passcode, 429 when throttled.
   */
  login(passcode: string): Promise<LoginResponse> {
    return firstValueFrom(this.http.post<LoginResponse>('/api/auth/login', { passcode }));
  }
}
