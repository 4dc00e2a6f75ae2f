import { DatePipe, DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild } from '@angular/core';
import { FormControl, FormGroup, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTabsModule } from '@angular/material/tabs';

import type { ApiKey, CreatedApiKey } from '../../core/api/api.models';
import { ConnectApiService } from '../../core/api/connect-api.service';
import { KeysApiService } from '../../core/api/keys-api.service';
import { describeError, toApiError } from '../../core/http/api-error';
import { AlertComponent } from '../../shared/alert.component';
import { CodeBlockComponent } from '../../shared/code-block.component';
import { confirmAction } from '../../shared/confirm-dialog.component';
import { CopyButtonComponent } from '../../shared/copy-button.component';
import { IconComponent } from '../../shared/icon.component';

/** The connect page: the router's URLs, ready-to-paste client configurations, and the API keys clients use. */
@Component({
  selector: 'app-connect',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatTabsModule,
    AlertComponent,
    CodeBlockComponent,
    CopyButtonComponent,
    IconComponent,
  ],
  templateUrl: './connect.component.html',
  styleUrl: './connect.component.scss',
})
export class ConnectComponent {
  private readonly keysApi = inject(KeysApiService);
  private readonly dialog = inject(MatDialog);
  private readonly origin = inject(DOCUMENT).location.origin;

  protected readonly connect = inject(ConnectApiService).connectResource();
  protected readonly keys = this.keysApi.listResource();

  protected readonly connectError = computed(() => {
    const error = this.connect.error();
    return error
      ? describeError(error, 'Could not load the connection details', {
          404: `this router does not offer them (it has no GET /api/connect). Its MCP endpoint is ${this.origin}/mcp.`,
        })
      : null;
  });
  protected readonly keysError = computed(() => {
    const error = this.keys.error();
    return error ? describeError(error, 'Could not load the API keys') : null;
  });
  protected readonly keyList = computed(() => {
    const keys = this.keys.hasValue() ? this.keys.value() : [];
    // Active keys first, newest first.
    return [...keys].sort(
      (a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt),
    );
  });

  protected readonly keyName = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.maxLength(100)],
  });
  protected readonly keyForm = new FormGroup({ name: this.keyName });
  private readonly keyFormDirective = viewChild(FormGroupDirective);
  protected readonly creating = signal(false);
  protected readonly createError = signal<string | null>(null);
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly revoking = signal<string | null>(null);
  protected readonly keyActionError = signal<string | null>(null);

  protected async createKey(): Promise<void> {
    if (this.creating()) return;
    this.keyName.markAsTouched();
    if (this.keyName.invalid) return;
    this.creating.set(true);
    this.createError.set(null);
    this.keyActionError.set(null);
    try {
      const key = await this.keysApi.create(this.keyName.value.trim());
      this.created.set(key);
      // Resetting through the directive also clears its "submitted" flag, so the empty field shows no error.
      this.keyFormDirective()?.resetForm();
      this.keys.reload();
    } catch (error: unknown) {
      const apiError = toApiError(error);
      this.createError.set(
        `The key was not created: ${apiError.fieldErrors.map((fieldError) => fieldError.message).join('; ') || apiError.message}`,
      );
    } finally {
      this.creating.set(false);
    }
  }

  protected async revoke(key: ApiKey): Promise<void> {
    this.keyActionError.set(null);
    const confirmed = await confirmAction(this.dialog, {
      title: `Revoke “${key.name}”?`,
      message: 'Clients using this key are refused from now on. This cannot be undone.',
      confirmLabel: 'Revoke',
      destructive: true,
    });
    if (!confirmed) return;
    this.revoking.set(key.id);
    try {
      await this.keysApi.revoke(key.id);
      this.keys.reload();
      if (this.created()?.id === key.id) this.created.set(null);
    } catch (error: unknown) {
      this.keyActionError.set(describeError(error, `Could not revoke “${key.name}”`));
    } finally {
      this.revoking.set(null);
    }
  }
}
