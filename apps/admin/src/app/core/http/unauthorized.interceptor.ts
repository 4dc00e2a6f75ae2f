import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { AuthStore } from '../auth/auth.store';
import { needsAdminToken } from './auth.interceptor';

/**
 * A 401 from the API anywhere but the login call means the token is no longer accepted: forget it and go back to
 * the login page with a message, keeping the page the admin was on. The error still reaches the caller.
 */
export const unauthorizedInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401 && needsAdminToken(request.url)) {
        redirectToLogin(auth, router);
      }
      return throwError(() => error);
    }),
  );
};

/** Signs out with the "session ended" notice and navigates to `/login?returnUrl=<current page>`. */
export function redirectToLogin(auth: AuthStore, router: Router): void {
  auth.signOut('Your session has ended. Please log in again.');
  const current = router.url;
  const returnUrl = current.startsWith('/login') ? undefined : current;
  void router.navigate(['/login'], { queryParams: returnUrl ? { returnUrl } : {} });
}
