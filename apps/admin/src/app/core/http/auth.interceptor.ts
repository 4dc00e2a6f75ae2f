import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';

import { AuthStore } from '../auth/auth.store';

/** True for URLs of this origin's REST API and MCP endpoint, the only ones that get the admin token. */
export function needsAdminToken(url: string): boolean {
  return /^\/(api|mcp)(\/|$|\?)/.test(url) && !url.startsWith('/api/auth/login');
}

/** Adds `Authorization: Bearer <admin JWT>` to requests to the router's own API. */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const token = inject(AuthStore).token();
  if (!token || !needsAdminToken(request.url)) return next(request);
  return next(request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }));
};
