import { bootstrapApplication } from '@angular/platform-browser';

import { AppComponent } from './app/app.component';
import { appConfig } from './app/app.config';

bootstrapApplication(AppComponent, appConfig).catch((error: unknown) => {
  // Nothing else can report a failed boot: show it instead of a blank page.
  document.body.textContent = `The admin app could not start: ${error instanceof Error ? error.message : String(error)}`;
});
