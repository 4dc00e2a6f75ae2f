import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { AuthStore } from './core/auth/auth.store';
import { IconComponent } from './shared/icon.component';

/** The shell: a top bar with the navigation (once logged in) above the current page. */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatToolbarModule, MatButtonModule, IconComponent],
  templateUrl: './app.component.html',
  styleUrl: './app.component.scss',
})
export class AppComponent {
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthStore);

  protected readonly links = [
    { path: '/servers', label: 'Servers', exact: true },
    { path: '/servers/new', label: 'Add server', exact: false },
    { path: '/connect', label: 'Connect', exact: false },
    { path: '/sandbox', label: 'Sandbox', exact: false },
  ];

  protected logOut(): void {
    this.auth.signOut('You have logged out.');
    void this.router.navigate(['/login']);
  }
}
