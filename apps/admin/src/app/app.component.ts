import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatToolbarModule } from '@angular/material/toolbar';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';

import { AuthStore } from './core/auth/auth.store';
import { IconComponent } from './shared/icon.component';

/** A top-bar link and the pages it stands for. */
interface NavLink {
  path: string;
  label: string;
  matches: (url: string) => boolean;
}

const LINKS: NavLink[] = [
  { path: '/servers', label: 'Servers', matches: (url) => /^\/servers(\/(?!new)[^/?#]+)?([?#].*)?$/.test(url) },
  { path: '/servers/new', label: 'Add server', matches: (url) => url.startsWith('/servers/new') },
  { path: '/connect', label: 'Connect', matches: (url) => url.startsWith('/connect') },
  { path: '/sandbox', label: 'Sandbox', matches: (url) => url.startsWith('/sandbox') },
];

/** The shell: a top bar with the navigation (once logged in) above the current page. */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, MatToolbarModule, MatButtonModule, IconComponent],
  templateUrl: './app.component.html',
  styleUrl: './app.component.scss',
})
export class AppComponent {
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthStore);

  private readonly url = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map((event) => event.urlAfterRedirects),
    ),
    { initialValue: this.router.url },
  );
  protected readonly links = computed(() => {
    const url = this.url();
    return LINKS.map((link) => ({ ...link, active: link.matches(url) }));
  });

  protected logOut(): void {
    this.auth.signOut('You have logged out.');
    void this.router.navigate(['/login']);
  }
}
