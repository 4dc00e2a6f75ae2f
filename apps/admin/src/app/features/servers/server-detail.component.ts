import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { type MatSlideToggle, MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTabsModule } from '@angular/material/tabs';
import { Router, RouterLink } from '@angular/router';

import type { FieldError } from '../../core/api/api.models';
import { ServersApiService } from '../../core/api/servers-api.service';
import { describeError, toApiError } from '../../core/http/api-error';
import { AlertComponent } from '../../shared/alert.component';
import { confirmAction } from '../../shared/confirm-dialog.component';
import { IconComponent } from '../../shared/icon.component';
import { InstallPanelComponent } from './install-panel.component';
import { ServerFormComponent } from './server-form/server-form.component';
import { type ServerFormValue, serverToFormValue, toServerUpdate } from './server-form/server-form.model';
import { runtimeTarget, serverStatus } from './server-status';
import { ToolListComponent } from './tool-list.component';

/** How often the server (its live sessions and install state) is re-read, in milliseconds. */
const REFRESH_MS = 10000;

/** Fields whose change only takes effect after a new install. */
const INSTALL_FIELDS = ['runtime', 'package', 'image', 'url', 'transport', 'port'] as const;

/**
 * One server: its state and live sessions, its tools (with "Try it"), its settings (the server form, secrets kept
 * hidden), its recent log, install / reinstall, enable / disable and delete.
 */
@Component({
  selector: 'app-server-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    MatTabsModule,
    AlertComponent,
    IconComponent,
    InstallPanelComponent,
    ServerFormComponent,
    ToolListComponent,
  ],
  templateUrl: './server-detail.component.html',
  styleUrl: './server-detail.component.scss',
})
export class ServerDetailComponent {
  private readonly api = inject(ServersApiService);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);

  /** The server id, from the route. */
  readonly id = input<string>();

  protected readonly server = this.api.serverResource(this.id);
  protected readonly tools = this.api.toolsResource(this.id);
  protected readonly logs = this.api.logsResource(this.id);

  protected readonly current = computed(() => (this.server.hasValue() ? this.server.value() : null));
  protected readonly loadError = computed(() => {
    const error = this.server.error();
    return error
      ? describeError(error, 'Could not load this server', { 404: 'This server does not exist (any more).' })
      : null;
  });
  protected readonly toolsError = computed(() => {
    const error = this.tools.error();
    return error ? describeError(error, 'Could not load its tools') : null;
  });
  protected readonly logsError = computed(() => {
    const error = this.logs.error();
    return error ? describeError(error, 'Could not load its log') : null;
  });
  protected readonly status = computed(() => {
    const server = this.current();
    return server ? serverStatus(server) : null;
  });
  protected readonly target = computed(() => {
    const server = this.current();
    return server ? runtimeTarget(server) : '';
  });

  protected readonly formValue = signal<ServerFormValue | null>(null);
  protected readonly serverErrors = signal<FieldError[]>([]);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);
  protected readonly saveNotice = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly installing = signal(false);
  protected readonly refreshError = signal<string | null>(null);

  constructor() {
    // The settings form starts from the server as first loaded: background refreshes must not reset the admin's edits.
    effect(() => {
      const server = this.current();
      if (server && untracked(() => this.formValue()) === null) this.formValue.set(serverToFormValue(server));
    });
    effect(() => {
      this.id();
      untracked(() => {
        this.formValue.set(null);
      });
    });
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
    });
  }

  protected async setEnabled(toggle: MatSlideToggle): Promise<void> {
    const server = this.current();
    if (!server) return;
    const enabled = toggle.checked;
    this.actionError.set(null);
    this.busy.set(true);
    try {
      this.server.set({ ...server, ...(await this.api.update(server.id, { enabled })) });
    } catch (error: unknown) {
      toggle.checked = server.enabled;
      this.actionError.set(describeError(error, `Could not ${enabled ? 'enable' : 'disable'} the server`));
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(): Promise<void> {
    const server = this.current();
    if (!server) return;
    this.actionError.set(null);
    const confirmed = await confirmAction(this.dialog, {
      title: `Delete ${server.displayName}?`,
      message:
        'Its tools disappear from every client and its running containers stop. Its settings and stored secrets are ' +
        'deleted. This cannot be undone.',
      confirmLabel: 'Delete',
      destructive: true,
    });
    if (!confirmed) return;
    this.busy.set(true);
    try {
      await this.api.delete(server.id);
      await this.router.navigate(['/servers']);
    } catch (error: unknown) {
      this.actionError.set(describeError(error, 'Could not delete the server'));
    } finally {
      this.busy.set(false);
    }
  }

  protected async save(value: ServerFormValue): Promise<void> {
    const server = this.current();
    if (!server || this.saving()) return;
    this.saving.set(true);
    this.saveError.set(null);
    this.saveNotice.set(null);
    this.serverErrors.set([]);
    try {
      const updated = await this.api.update(server.id, toServerUpdate(value));
      const fresh = { ...server, ...updated };
      this.server.set(fresh);
      this.formValue.set(serverToFormValue(fresh));
      const needsInstall =
        INSTALL_FIELDS.some((field) => server[field] !== fresh[field]) ||
        JSON.stringify(server.args) !== JSON.stringify(fresh.args);
      this.saveNotice.set(
        needsInstall && server.installState.status !== 'none'
          ? 'Saved. Reinstall the server to run the new version.'
          : 'Saved. New sessions use the new settings.',
      );
    } catch (error: unknown) {
      const apiError = toApiError(error, { 409: 'Another server already has this name. Choose another name.' });
      if (apiError.status === 409) this.serverErrors.set([{ field: 'name', message: apiError.message }]);
      else this.serverErrors.set(apiError.fieldErrors);
      this.saveError.set(
        apiError.fieldErrors.length || apiError.status === 409
          ? 'Not saved: fix the fields marked in red.'
          : `Not saved: ${apiError.message}`,
      );
    } finally {
      this.saving.set(false);
    }
  }

  protected startInstall(): void {
    this.installing.set(true);
  }

  protected onInstalled(success: boolean): void {
    void this.refresh();
    if (success) this.tools.reload();
    this.logs.reload();
  }

  private async refresh(): Promise<void> {
    const id = this.id();
    if (!id || !this.current()) return;
    try {
      const fresh = await this.api.get(id);
      this.server.set(fresh);
      this.refreshError.set(null);
    } catch (error: unknown) {
      this.refreshError.set(describeError(error, 'Live data may be out of date'));
    }
  }
}
