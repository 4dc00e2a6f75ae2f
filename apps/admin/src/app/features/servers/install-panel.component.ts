import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { JobsApiService } from '../../core/api/jobs-api.service';
import { ServersApiService } from '../../core/api/servers-api.service';
import { describeError } from '../../core/http/api-error';
import { poll, sleep } from '../../core/http/poll';
import { AlertComponent } from '../../shared/alert.component';
import { IconComponent } from '../../shared/icon.component';
import { jobView, type JobView } from './job-progress';

/** How often the job is read, in milliseconds. */
const JOB_POLL_MS = 1000;
/** How often the log is read during a build, in milliseconds. */
const LOG_POLL_MS = 2000;

/**
 * Installs a server: starts the build (`POST /api/servers/:id/install`), then shows the job's progress and the
 * server's log live until it completes or fails. Emits `finished` with the outcome.
 */
@Component({
  selector: 'app-install-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatProgressBarModule, AlertComponent, IconComponent],
  template: `
    <div class="install-head">
      @switch (state()) {
        @case ('idle') {
          <p class="grow">{{ intro() }}</p>
          <button type="button" matButton="filled" (click)="install()">
            <app-icon matButtonIcon name="build" />
            {{ label() }}
          </button>
        }
        @case ('running') {
          <p class="grow">
            <strong>Installing…</strong>
            {{ job()?.message ?? 'Building the image and probing the server.' }}
          </p>
          <span class="muted percent">{{ job()?.percent ?? 0 }}%</span>
        }
        @case ('done') {
          <app-alert kind="success" class="grow">Installed: its tools are ready.</app-alert>
        }
        @case ('failed') {
          <app-alert class="grow">{{ error() }}</app-alert>
          <button type="button" matButton="outlined" (click)="install()">
            <app-icon matButtonIcon name="refresh" />
            Try again
          </button>
        }
      }
    </div>
    @if (state() === 'running') {
      <mat-progress-bar
        [mode]="job()?.percent === null ? 'indeterminate' : 'determinate'"
        [value]="job()?.percent ?? 0"
        aria-label="Install progress"
      />
    }
    @if (lines().length || state() === 'running') {
      <div class="log-head">
        <span class="muted small">Build and server log</span>
        @if (logError(); as message) {
          <span class="field-error">{{ message }}</span>
        }
      </div>
      <pre class="log" #log aria-live="polite">{{
        lines().length
          ? lines().join(
              '
'
            )
          : 'Waiting for output…'
      }}</pre>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .install-head {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 12px;
      p {
        margin: 0;
      }
    }
    .percent {
      font-variant-numeric: tabular-nums;
    }
    .log-head {
      display: flex;
      justify-content: space-between;
      gap: 12px;
    }
  `,
})
export class InstallPanelComponent {
  private readonly servers = inject(ServersApiService);
  private readonly jobs = inject(JobsApiService);
  private readonly log = viewChild<ElementRef<HTMLElement>>('log');
  private controller = new AbortController();

  /** The server to install. */
  readonly serverId = input.required<string>();
  /** The button's label. */
  readonly label = input('Install');
  /** The sentence beside the button. */
  readonly intro = input('Build its image and read its tools. This needs network access for the build.');
  /** Emitted once the install ends: true when it succeeded. */
  readonly finished = output<boolean>();

  protected readonly state = signal<'idle' | 'running' | 'done' | 'failed'>('idle');
  protected readonly job = signal<JobView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly lines = signal<string[]>([]);
  protected readonly logError = signal<string | null>(null);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.controller.abort();
    });
    // Follow the log as it grows.
    afterRenderEffect(() => {
      this.lines();
      const element = this.log()?.nativeElement;
      if (element) element.scrollTop = element.scrollHeight;
    });
  }

  /** Starts (or restarts) the install. */
  async install(): Promise<void> {
    if (this.state() === 'running') return;
    this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.state.set('running');
    this.error.set(null);
    this.logError.set(null);
    this.lines.set([]);
    this.job.set({ phase: 'running', percent: null, message: 'Starting…', error: null });
    const id = this.serverId();
    try {
      const { jobId } = await this.servers.install(id);
      void this.followLogs(id, controller.signal);
      const final = await poll(
        () => this.jobs.get(jobId),
        (job) => jobView(job).phase !== 'running',
        (job) => {
          this.job.set(jobView(job));
        },
        { intervalMs: JOB_POLL_MS, signal: controller.signal },
      );
      const view = jobView(final);
      await this.readLogsOnce(id);
      controller.abort();
      if (view.phase === 'done') {
        this.state.set('done');
        this.finished.emit(true);
      } else {
        this.fail(`The install failed: ${view.error ?? 'no reason given'}. The log below may say more.`);
      }
    } catch (error: unknown) {
      if (controller.signal.aborted) return;
      controller.abort();
      this.fail(describeError(error, 'The install could not be followed', { 409: 'An install is already running.' }));
    }
  }

  private fail(message: string): void {
    this.error.set(message);
    this.state.set('failed');
    this.finished.emit(false);
  }

  private async followLogs(id: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.readLogsOnce(id);
      try {
        await sleep(LOG_POLL_MS, signal);
      } catch {
        // Aborted: the install ended or the admin left the page.
        return;
      }
    }
  }

  private async readLogsOnce(id: string): Promise<void> {
    try {
      const { lines } = await this.servers.logs(id);
      this.lines.set(lines);
      this.logError.set(null);
    } catch (error: unknown) {
      this.logError.set(describeError(error, 'Log unavailable'));
    }
  }
}
