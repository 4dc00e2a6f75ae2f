import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';

import { AuthStore } from './auth.store';

/** Lets a logged-in admin through; sends anyone else to `/login`, remembering where they were going. */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthStore);
  if (auth.checkExpiry()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Keeps a logged-in admin off the login page. */
export const guestGuard: CanActivateFn = () => {
  const auth = inject(AuthStore);
  return auth.checkExpiry() ? inject(Router).createUrlTree(['/servers']) : true;
};
