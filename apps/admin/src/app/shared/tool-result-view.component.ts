import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import type { ToolResultView } from '../core/mcp/tool-result';
import { AlertComponent } from './alert.component';

/** A tool's result: its text, images, audio, links and other content, flagged when the tool reported an error. */
@Component({
  selector: 'app-tool-result-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AlertComponent],
  template: `
    @let view = result();
    @if (view.isError) {
      <app-alert>The tool reported an error:</app-alert>
    }
    @for (part of view.parts; track $index) {
      @switch (part.kind) {
        @case ('text') {
          <pre class="result-text" [class.is-error]="view.isError">{{ part.text }}</pre>
        }
        @case ('image') {
          <img class="result-image" [src]="part.src" [alt]="'Image returned by the tool (' + part.mimeType + ')'" />
        }
        @case ('audio') {
          <audio controls [src]="part.src"></audio>
        }
        @case ('link') {
          <p class="result-link">
            Resource: <span class="mono">{{ part.name }}</span>
          </p>
        }
        @case ('json') {
          <p class="muted small result-label">{{ part.label }}</p>
          <pre class="code">{{ part.text }}</pre>
        }
      }
    } @empty {
      <p class="muted">The tool returned no content.</p>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .result-text {
      margin: 0;
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
      font: 13px/1.5 var(--app-mono);
      white-space: pre-wrap;
      word-break: break-word;
      max-height: 480px;
      overflow: auto;
    }
    .result-text.is-error {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .result-label,
    .result-link {
      margin: 0;
    }
    .result-image {
      align-self: flex-start;
    }
  `,
})
export class ToolResultViewComponent {
  /** The result to show. */
  readonly result = input.required<ToolResultView>();
}
