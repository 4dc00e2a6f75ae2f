import { httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable } from '@angular/core';

import type { ConnectInfo } from './api.models';

/** `GET /api/connect`: the router's URLs and ready-to-paste client configurations. */
@Injectable({ providedIn: 'root' })
export class ConnectApiService {
  /** A resource of the connection details (call in an injection context). */
  connectResource(): HttpResourceRef<ConnectInfo | undefined> {
    return httpResource<ConnectInfo>(() => '/api/connect');
  }
}
