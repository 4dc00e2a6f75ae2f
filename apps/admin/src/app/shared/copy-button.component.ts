import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTooltipModule } from '@angular/material/tooltip';

import { IconComponent } from './icon.component';

/**
 * Copies a text to the clipboard. Uses the CDK clipboard, which also works on plain-HTTP appliances where
 * `navigator.clipboard` is unavailable, and says so when copying fails.
 */
@Component({
  selector: 'app-copy-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatTooltipModule, IconComponent],
  template: `
    <button
      type="button"
      matButton="tonal"
      class="copy-button"
      [matTooltip]="state() === 'failed' ? 'Copy failed: select the text and press Ctrl+C' : ''"
      (click)="copy()"
    >
      <app-icon [name]="state() === 'copied' ? 'check' : 'copy'" />
      {{ state() === 'copied' ? 'Copied' : state() === 'failed' ? 'Copy failed' : label() }}
    </button>
  `,
})
export class CopyButtonComponent {
  private readonly clipboard = inject(Clipboard);
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** The text to copy. */
  readonly text = input.required<string>();
  /** The button's label. */
  readonly label = input('Copy');
  protected readonly state = signal<'idle' | 'copied' | 'failed'>('idle');

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.timer);
    });
  }

  protected copy(): void {
    this.state.set(this.clipboard.copy(this.text()) ? 'copied' : 'failed');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.state.set('idle');
    }, 2000);
  }
}
