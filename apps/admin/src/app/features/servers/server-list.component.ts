import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { type MatSlideToggle, MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';

import type { McpServer } from '../../core/api/api.models';
import { ServersApiService } from '../../core/api/servers-api.service';
import { describeError } from '../../core/http/api-error';
import { AlertComponent } from '../../shared/alert.component';
import { confirmAction } from '../../shared/confirm-dialog.component';
import { IconComponent } from '../../shared/icon.component';
import { runtimeTarget, serverStatus } from './server-status';

/** How often the list refreshes while a server is building, in milliseconds. */
const BUILDING_REFRESH_MS = 3000;

/** The servers page: every server with its state, enable/disable and delete. */
@Component({
  selector: 'app-server-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    MatButtonModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    MatTooltipModule,
    AlertComponent,
    IconComponent,
  ],
  templateUrl: './server-list.component.html',
  styleUrl: './server-list.component.scss',
})
export class ServerListComponent {
  private readonly api = inject(ServersApiService);
  private readonly dialog = inject(MatDialog);

  protected readonly servers = this.api.listResource();
  protected readonly list = computed(() => (this.servers.hasValue() ? this.servers.value() : []));
  protected readonly loadError = computed(() => {
    const error = this.servers.error();
    return error ? describeError(error, 'Could not load the servers') : null;
  });
  /** Ids of servers with a toggle or delete in flight. */
  protected readonly pending = signal<ReadonlySet<string>>(new Set());
  protected readonly actionError = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);

  protected readonly status = serverStatus;
  protected readonly runtimeTarget = runtimeTarget;

  constructor() {
    // Keep "building" rows moving without a manual refresh.
    effect((onCleanup) => {
      if (!this.list().some((server) => server.installState.status === 'building')) return;
      const timer = setTimeout(() => this.servers.reload(), BUILDING_REFRESH_MS);
      onCleanup(() => {
        clearTimeout(timer);
      });
    });
  }

  protected refresh(): void {
    this.actionError.set(null);
    this.servers.reload();
  }

  protected async setEnabled(server: McpServer, toggle: MatSlideToggle): Promise<void> {
    const enabled = toggle.checked;
    this.actionError.set(null);
    this.notice.set(null);
    this.markPending(server.id, true);
    try {
      const updated = await this.api.update(server.id, { enabled });
      this.replace({ ...server, ...updated });
    } catch (error: unknown) {
      toggle.checked = server.enabled;
      this.actionError.set(describeError(error, `Could not ${enabled ? 'enable' : 'disable'} "${server.displayName}"`));
    } finally {
      this.markPending(server.id, false);
    }
  }

  protected async remove(server: McpServer): Promise<void> {
    this.actionError.set(null);
    this.notice.set(null);
    const confirmed = await confirmAction(this.dialog, {
      title: `Delete ${server.displayName}?`,
      message:
        `Its tools disappear from every client and its running containers stop` +
        (server.liveSessions ? ` (${server.liveSessions} live now)` : '') +
        '. Its settings and stored secrets are deleted. This cannot be undone.',
      confirmLabel: 'Delete',
      destructive: true,
    });
    if (!confirmed) return;
    this.markPending(server.id, true);
    try {
      await this.api.delete(server.id);
      this.servers.update((list) => list?.filter((item) => item.id !== server.id));
      this.notice.set(`Deleted "${server.displayName}".`);
    } catch (error: unknown) {
      this.actionError.set(describeError(error, `Could not delete "${server.displayName}"`));
    } finally {
      this.markPending(server.id, false);
    }
  }

  private replace(server: McpServer): void {
    this.servers.update((list) => list?.map((item) => (item.id === server.id ? server : item)));
  }

  private markPending(id: string, busy: boolean): void {
    this.pending.update((current) => {
      const next = new Set(current);
      if (busy) next.add(id);
      else next.delete(id);
      return next;
    });
  }
}
