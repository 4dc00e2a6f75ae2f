import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

import { IconComponent, type IconName } from './icon.component';

/** The tone of an alert. */
export type AlertKind = 'error' | 'warning' | 'info' | 'success';

/** A message box: errors where they happened, warnings, confirmations. Errors are announced to screen readers. */
@Component({
  selector: 'app-alert',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [IconComponent],
  host: {
    class: 'app-alert',
    '[class]': '"app-alert app-alert-" + kind()',
    '[attr.role]': 'kind() === "error" ? "alert" : "status"',
  },
  template: `
    <app-icon [name]="icon()" />
    <div class="app-alert-body"><ng-content /></div>
    @if (dismissible()) {
      <button type="button" class="app-alert-close" aria-label="Dismiss" (click)="dismissed.emit()">
        <app-icon name="close" />
      </button>
    }
  `,
})
export class AlertComponent {
  /** Tone; `error` by default. */
  readonly kind = input<AlertKind>('error');
  /** Shows a close button that emits `dismissed`. */
  readonly dismissible = input(false);
  /** Emitted by the close button. */
  readonly dismissed = output();

  protected readonly icon = computed<IconName>(() => {
    const kind = this.kind();
    return kind === 'success' ? 'check' : kind;
  });
}
