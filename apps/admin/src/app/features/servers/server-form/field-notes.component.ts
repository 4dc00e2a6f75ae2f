import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import type { Evidence } from '../../../core/api/api.models';
import { IconComponent } from '../../../shared/icon.component';

/** Beside a form field: where the analyzer found its value, and the analyzer's warnings about it. */
@Component({
  selector: 'app-field-notes',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [IconComponent],
  template: `
    @if (evidence(); as found) {
      <span class="evidence">
        Found in <code>{{ found.file }}:{{ found.line }}</code>
        @if (found.text) {
          — <code>{{ found.text }}</code>
        }
      </span>
    }
    @for (warning of warnings(); track $index) {
      <div class="field-warning">
        <app-icon name="warning" /> <span>{{ warning }}</span>
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    :host:empty {
      display: none;
    }
    .field-warning app-icon {
      font-size: 16px;
    }
  `,
})
export class FieldNotesComponent {
  /** Where the analyzer found the value. */
  readonly evidence = input<Evidence | undefined>(undefined);
  /** The analyzer's warnings about the field. */
  readonly warnings = input<readonly string[]>([]);
}
