import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, signal } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { type Analysis, ANALYSIS_STEPS, type AnalysisStep } from '../../../core/api/api.models';
import { IconComponent } from '../../../shared/icon.component';

/** What each analysis step does, in words. */
const STEP_LABELS: Record<AnalysisStep, string> = {
  fetching: 'Fetching the repository',
  'reading files': 'Reading its files',
  heuristics: 'Recognising the package and runtime',
  claude: 'Asking Claude to review the plan',
  done: 'Plan ready',
};

/** The live progress of an analysis: a progress bar and its steps, done, current and to come. */
@Component({
  selector: 'app-analysis-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatProgressBarModule, IconComponent],
  template: `
    @let current = analysis();
    <div class="head">
      <strong>{{
        current.state === 'queued'
          ? 'Waiting for a worker…'
          : (current.state === 'done' ? 'Analysed ' : 'Analysing ') + current.url
      }}</strong>
      <span class="muted">{{ current.progress.percent }}% · {{ elapsed() }} s</span>
    </div>
    <mat-progress-bar
      [mode]="current.state === 'queued' ? 'indeterminate' : 'determinate'"
      [value]="current.progress.percent"
      aria-label="Analysis progress"
    />
    <ol class="steps">
      @for (step of steps; track step; let i = $index) {
        <li [class]="stateOf(i)">
          <span class="marker">
            @if (stateOf(i) === 'done') {
              <app-icon name="check" />
            } @else {
              {{ i + 1 }}
            }
          </span>
          {{ labels[step] }}
        </li>
      }
    </ol>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .head {
      display: flex;
      justify-content: space-between;
      gap: 12px;
      flex-wrap: wrap;
      overflow-wrap: anywhere;
    }
    .steps {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    li {
      display: flex;
      align-items: center;
      gap: 10px;
      color: var(--mat-sys-on-surface-variant);
    }
    .marker {
      display: inline-grid;
      place-items: center;
      width: 24px;
      height: 24px;
      border-radius: 50%;
      font: var(--mat-sys-label-medium);
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .done .marker {
      background: var(--app-success-container);
      color: var(--app-success);
      border-color: transparent;
    }
    .current {
      color: var(--mat-sys-on-surface);
      font-weight: 600;
    }
    .current .marker {
      background: var(--mat-sys-primary);
      color: var(--mat-sys-on-primary);
      border-color: transparent;
      animation: pulse 1.4s ease-in-out infinite;
    }
    @keyframes pulse {
      50% {
        opacity: 0.55;
      }
    }
  `,
})
export class AnalysisProgressComponent {
  /** The analysis as last read. */
  readonly analysis = input.required<Analysis>();

  protected readonly steps = ANALYSIS_STEPS;
  protected readonly labels = STEP_LABELS;
  protected readonly elapsed = signal(0);
  private readonly currentIndex = computed(() => {
    const analysis = this.analysis();
    if (analysis.state === 'done') return ANALYSIS_STEPS.length;
    return analysis.state === 'queued' ? -1 : Math.max(0, ANALYSIS_STEPS.indexOf(analysis.progress.step));
  });

  constructor() {
    const started = Date.now();
    const timer = setInterval(() => {
      this.elapsed.set(Math.round((Date.now() - started) / 1000));
    }, 1000);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
    });
  }

  protected stateOf(index: number): 'done' | 'current' | 'todo' {
    const current = this.currentIndex();
    return index < current ? 'done' : index === current ? 'current' : 'todo';
  }
}
