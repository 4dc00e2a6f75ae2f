import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Placeholder. */
@Component({
  selector: 'app-sandbox',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<div class="page">Coming soon</div>',
})
export class SandboxComponent {}
