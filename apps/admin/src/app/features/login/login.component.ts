import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';

import { AuthApiService } from '../../core/api/auth-api.service';
import { AuthStore } from '../../core/auth/auth.store';
import { describeError } from '../../core/http/api-error';
import { AlertComponent } from '../../shared/alert.component';

/** The login page: the admin passcode in, a JWT out. */
@Component({
  selector: 'app-login',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatProgressBarModule,
    AlertComponent,
  ],
  templateUrl: './login.component.html',
  styleUrl: './login.component.scss',
})
export class LoginComponent {
  private readonly api = inject(AuthApiService);
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthStore);

  /** Where to go once logged in (a query parameter, set by the auth guard). */
  readonly returnUrl = input<string>();

  protected readonly passcode = new FormControl('', { nonNullable: true, validators: [Validators.required] });
  protected readonly form = new FormGroup({ passcode: this.passcode });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    if (this.passcode.invalid) {
      this.passcode.markAsTouched();
      this.error.set(null);
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const answer = await this.api.login(this.passcode.value);
      this.auth.signIn(answer.accessToken, answer.expiresIn);
      await this.router.navigateByUrl(this.safeReturnUrl());
    } catch (error: unknown) {
      this.error.set(
        describeError(error, undefined, {
          401: 'That passcode is not right. Check it and try again.',
          429: 'Too many attempts. Wait a minute, then try again.',
        }),
      );
    } finally {
      this.busy.set(false);
    }
  }

  /** Only in-app paths: never an absolute URL from the query string. */
  private safeReturnUrl(): string {
    const url = this.returnUrl();
    return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login') ? url : '/servers';
  }
}
