import type { Routes } from '@angular/router';

import { authGuard, guestGuard } from './core/auth/auth.guard';

/** Every page is lazy; all but the login page need a logged-in admin. */
export const routes: Routes = [
  {
    path: 'login',
    title: 'Log in · MCP Router',
    canActivate: [guestGuard],
    loadComponent: () => import('./features/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: '',
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'servers' },
      {
        path: 'servers',
        title: 'Servers · MCP Router',
        loadComponent: () => import('./features/servers/server-list.component').then((m) => m.ServerListComponent),
      },
      {
        path: 'servers/new',
        title: 'Add a server · MCP Router',
        loadComponent: () =>
          import('./features/servers/add-server/add-server.component').then((m) => m.AddServerComponent),
      },
      {
        path: 'servers/:id',
        title: 'Server · MCP Router',
        loadComponent: () => import('./features/servers/server-detail.component').then((m) => m.ServerDetailComponent),
      },
      {
        path: 'connect',
        title: 'Connect · MCP Router',
        loadComponent: () => import('./features/connect/connect.component').then((m) => m.ConnectComponent),
      },
      {
        path: 'sandbox',
        title: 'Python sandbox · MCP Router',
        loadComponent: () => import('./features/sandbox/sandbox.component').then((m) => m.SandboxComponent),
      },
    ],
  },
  { path: '**', redirectTo: 'servers' },
];
