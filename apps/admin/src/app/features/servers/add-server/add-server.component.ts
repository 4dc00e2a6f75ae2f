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
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';

import type { Analysis, AnalysisPlan, FieldError, McpServer, ToolCatalog } from '../../../core/api/api.models';
import { AnalysesApiService } from '../../../core/api/analyses-api.service';
import { ServersApiService } from '../../../core/api/servers-api.service';
import { describeError, toApiError } from '../../../core/http/api-error';
import { poll, sleep } from '../../../core/http/poll';
import { AlertComponent } from '../../../shared/alert.component';
import { IconComponent } from '../../../shared/icon.component';
import { InstallPanelComponent } from '../install-panel.component';
import { ServerFormComponent } from '../server-form/server-form.component';
import {
  emptyServerForm,
  planToFormValue,
  type ServerFormValue,
  toServerInput,
} from '../server-form/server-form.model';
import { ToolListComponent } from '../tool-list.component';
import { AnalysisProgressComponent } from './analysis-progress.component';
import { type ImportedEntry, type ImportResult, parseMcpConfig } from './mcp-config.parser';

/** How a server is being added. */
export type AddMode = 'github' | 'import' | 'manual';

/** What happened to an imported entry. */
interface ImportStatus {
  state: 'saved' | 'error';
  message?: string;
  server?: McpServer;
}

/** How often an analysis is read, in milliseconds. */
const ANALYSIS_POLL_MS = 500;
/** How long the finished analysis (full bar, every step ticked) stays on screen before the plan replaces it, in ms. */
const PLAN_READY_PAUSE_MS = 800;
/** The largest configuration file accepted, in bytes. */
const MAX_IMPORT_BYTES = 1024 * 1024;

function toMode(value: string | undefined): AddMode {
  return value === 'import' || value === 'manual' ? value : 'github';
}

/**
 * "Add a server": from a GitHub URL (analysis with live progress, then the plan to review), from a Claude Desktop /
 * `mcp.json` file, or by hand; then save, install with a live log, and see its tools.
 */
@Component({
  selector: 'app-add-server',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    AlertComponent,
    IconComponent,
    AnalysisProgressComponent,
    InstallPanelComponent,
    ServerFormComponent,
    ToolListComponent,
  ],
  templateUrl: './add-server.component.html',
  styleUrl: './add-server.component.scss',
})
export class AddServerComponent {
  private readonly analyses = inject(AnalysesApiService);
  private readonly servers = inject(ServersApiService);
  private readonly router = inject(Router);
  private controller = new AbortController();

  /** `?mode=github|import|manual` (GitHub by default). */
  readonly mode = input<string>();
  protected readonly currentMode = computed(() => toMode(this.mode()));

  // GitHub
  protected readonly repoUrl = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.pattern(/^\s*(https?:\/\/)?[^\s/]+\.[^\s/]+\/[^\s/]+\/[^\s/]+.*$/)],
  });
  protected readonly repoForm = new FormGroup({ url: this.repoUrl });
  protected readonly analysis = signal<Analysis | null>(null);
  protected readonly analyzing = signal(false);
  protected readonly analysisError = signal<string | null>(null);
  protected readonly plan = signal<AnalysisPlan | null>(null);

  // Import
  protected readonly importText = new FormControl('', { nonNullable: true });
  protected readonly importResult = signal<ImportResult | null>(null);
  protected readonly importStatus = signal<Record<string, ImportStatus>>({});
  protected readonly importing = signal(false);
  protected readonly reviewingKey = signal<string | null>(null);
  protected readonly fileError = signal<string | null>(null);
  protected readonly readyEntries = computed(() =>
    (this.importResult()?.entries ?? []).filter(
      (entry) => entry.value && this.importStatus()[entry.key]?.state !== 'saved',
    ),
  );

  // Review, save, install
  protected readonly formValue = signal<ServerFormValue | null>(null);
  protected readonly serverErrors = signal<FieldError[]>([]);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);
  protected readonly saved = signal<McpServer | null>(null);
  protected readonly catalog = signal<ToolCatalog | null>(null);
  protected readonly catalogError = signal<string | null>(null);

  protected readonly step = computed<'source' | 'review' | 'install'>(() =>
    this.saved() ? 'install' : this.formValue() ? 'review' : 'source',
  );

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.controller.abort();
    });
    effect(() => {
      const mode = this.currentMode();
      untracked(() => {
        this.reset(mode);
      });
    });
  }

  protected setMode(mode: AddMode): void {
    void this.router.navigate([], { queryParams: { mode }, replaceUrl: true });
  }

  // ---- GitHub ----

  protected async analyze(): Promise<void> {
    if (this.analyzing()) return;
    this.repoUrl.markAsTouched();
    if (this.repoUrl.invalid) return;
    const url = this.normalizeUrl(this.repoUrl.value);
    this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.analyzing.set(true);
    this.analysisError.set(null);
    this.analysis.set({ id: '', url, state: 'queued', progress: { step: 'fetching', percent: 0 } });
    try {
      const { id } = await this.analyses.start(url);
      const final = await poll(
        () => this.analyses.get(id),
        (analysis) => analysis.state === 'done' || analysis.state === 'failed',
        (analysis) => {
          this.analysis.set(analysis);
        },
        { intervalMs: ANALYSIS_POLL_MS, signal: controller.signal },
      );
      if (final.state === 'failed' || !final.plan) {
        this.analysisError.set(
          final.state === 'failed'
            ? `The analysis failed: ${final.error ?? 'no reason given'}. You can still add the server by hand.`
            : 'The analysis finished without a plan. You can still add the server by hand.',
        );
        return;
      }
      // Let the admin see the analysis finish (a full bar, every step ticked) before the plan takes its place.
      await sleep(PLAN_READY_PAUSE_MS, controller.signal);
      this.plan.set(final.plan);
      this.formValue.set(planToFormValue(final.plan, url));
    } catch (error: unknown) {
      if (controller.signal.aborted) return;
      const apiError = toApiError(error);
      const urlError = apiError.fieldErrors.find((fieldError) => fieldError.field === 'url');
      if (urlError) this.repoUrl.setErrors({ server: urlError.message });
      this.analysisError.set(`The analysis could not run: ${urlError?.message ?? apiError.message}`);
    } finally {
      if (this.controller === controller) this.analyzing.set(false);
    }
  }

  protected cancelAnalysis(): void {
    this.controller.abort();
    this.analyzing.set(false);
    this.analysis.set(null);
  }

  protected urlError(): string {
    const errors = this.repoUrl.errors;
    if (!errors) return '';
    if (typeof errors['server'] === 'string') return errors['server'];
    if (errors['required']) return 'Paste the URL of a GitHub repository.';
    return 'That does not look like a repository URL, such as https://github.com/owner/repo.';
  }

  // ---- Import ----

  protected async readFile(event: Event): Promise<void> {
    const inputElement = event.target as HTMLInputElement;
    const file = inputElement.files?.[0];
    inputElement.value = '';
    this.fileError.set(null);
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      this.fileError.set(`${file.name} is too large for a configuration file (over 1 MB).`);
      return;
    }
    try {
      this.importText.setValue(await file.text());
      this.parseImport();
    } catch (error: unknown) {
      this.fileError.set(describeError(error, `Could not read ${file.name}`));
    }
  }

  protected parseImport(): void {
    this.importStatus.set({});
    this.importResult.set(parseMcpConfig(this.importText.value));
  }

  protected reviewEntry(entry: ImportedEntry): void {
    if (!entry.value) return;
    this.reviewingKey.set(entry.key);
    this.startReview(entry.value);
  }

  protected async saveAll(): Promise<void> {
    if (this.importing()) return;
    this.importing.set(true);
    try {
      for (const entry of this.readyEntries()) {
        if (!entry.value) continue;
        try {
          const server = await this.servers.create(toServerInput(entry.value));
          this.setImportStatus(entry.key, { state: 'saved', server });
        } catch (error: unknown) {
          const apiError = toApiError(error, { 409: 'A server with this name already exists: review it to rename.' });
          const details = apiError.fieldErrors.map((fieldError) => `${fieldError.field}: ${fieldError.message}`);
          const message = details.length ? `Not saved: ${details.join('; ')}` : `Not saved: ${apiError.message}`;
          this.setImportStatus(entry.key, { state: 'error', message });
        }
      }
    } finally {
      this.importing.set(false);
    }
  }

  protected backToImport(): void {
    this.formValue.set(null);
    this.saved.set(null);
    this.reviewingKey.set(null);
    this.catalog.set(null);
    this.serverErrors.set([]);
    this.saveError.set(null);
  }

  // ---- Review and save ----

  protected startManual(): void {
    this.startReview(emptyServerForm());
  }

  protected async save(value: ServerFormValue): Promise<void> {
    if (this.saving()) return;
    this.saving.set(true);
    this.saveError.set(null);
    this.serverErrors.set([]);
    try {
      const server = await this.servers.create(toServerInput(value));
      this.saved.set(server);
      const key = this.reviewingKey();
      if (key) this.setImportStatus(key, { state: 'saved', server });
      window.scrollTo({ top: 0 });
    } catch (error: unknown) {
      const apiError = toApiError(error, { 409: 'A server with this name already exists. Choose another name.' });
      if (apiError.status === 409) {
        this.serverErrors.set([{ field: 'name', message: apiError.message }]);
        this.saveError.set('The server was not saved: its name is taken.');
      } else if (apiError.fieldErrors.length) {
        this.serverErrors.set(apiError.fieldErrors);
        this.saveError.set('The server was not saved: fix the fields marked in red.');
      } else {
        this.saveError.set(`The server was not saved: ${apiError.message}`);
      }
    } finally {
      this.saving.set(false);
    }
  }

  protected async onInstalled(success: boolean): Promise<void> {
    const server = this.saved();
    if (!success || !server) return;
    this.catalogError.set(null);
    try {
      this.catalog.set(await this.servers.tools(server.id));
    } catch (error: unknown) {
      this.catalogError.set(describeError(error, 'Installed, but its tools could not be loaded'));
    }
  }

  protected startOver(): void {
    this.reset(this.currentMode());
  }

  private startReview(value: ServerFormValue): void {
    this.serverErrors.set([]);
    this.saveError.set(null);
    this.formValue.set(value);
  }

  private setImportStatus(key: string, status: ImportStatus): void {
    this.importStatus.update((current) => ({ ...current, [key]: status }));
  }

  private normalizeUrl(raw: string): string {
    const trimmed = raw.trim().replace(/\.git$/, '');
    return /^https?:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`;
  }

  private reset(mode: AddMode): void {
    this.controller.abort();
    this.analysis.set(null);
    this.analyzing.set(false);
    this.analysisError.set(null);
    this.plan.set(null);
    this.formValue.set(mode === 'manual' ? emptyServerForm() : null);
    this.serverErrors.set([]);
    this.saveError.set(null);
    this.saved.set(null);
    this.catalog.set(null);
    this.catalogError.set(null);
    this.reviewingKey.set(null);
    this.importResult.set(null);
    this.importStatus.set({});
    this.fileError.set(null);
  }
}
