import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { CopyButtonComponent } from './copy-button.component';

/** A block of code or configuration with a copy button. */
@Component({
  selector: 'app-code-block',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CopyButtonComponent],
  template: `
    <div class="code-block-bar">
      <span class="code-block-language">{{ language() }}</span>
      <app-copy-button [text]="code()" />
    </div>
    <pre class="code"><code>{{ code() }}</code></pre>
  `,
  styles: `
    :host {
      display: block;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      overflow: hidden;
    }
    .code-block-bar {
      display: flex;
      align-items: center;
      justify-content: space-between;
      padding: 4px 8px 4px 16px;
      background: var(--mat-sys-surface-container);
    }
    .code-block-language {
      font: var(--mat-sys-label-medium);
      color: var(--mat-sys-on-surface-variant);
      text-transform: uppercase;
    }
    pre.code {
      margin: 0;
      border-radius: 0;
    }
  `,
})
export class CodeBlockComponent {
  /** The code. */
  readonly code = input.required<string>();
  /** Its language, shown as a label. */
  readonly language = input('');
}
