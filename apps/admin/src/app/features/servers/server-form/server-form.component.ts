import {
  afterNextRender,
  ChangeDetectionStrategy,
  ChangeDetectorRef,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';
import { type AbstractControl, FormArray, FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import { merge, type Subscription } from 'rxjs';

import { type Evidence, type FieldError, type Runtime, RUNTIMES, type Transport } from '../../../core/api/api.models';
import { AlertComponent } from '../../../shared/alert.component';
import { IconComponent } from '../../../shared/icon.component';
import { FieldNotesComponent } from './field-notes.component';
import {
  applyRuntimeRules,
  argControl,
  buildServerForm,
  type EnvRowGroup,
  envRowGroup,
  revalidateEnvKeys,
  type ServerFormGroup,
  validationMessage,
} from './server-form.controls';
import {
  confidencePercent,
  emptyEnvRow,
  emptyServerForm,
  evidenceFor,
  fieldPath,
  looksSecret,
  needsPort,
  placeWarnings,
  type ServerFormValue,
  transportsFor,
  visibleFields,
} from './server-form.model';

/** Every leaf control (inputs, selects, checkboxes) of a form tree. */
function leaves(control: AbstractControl): AbstractControl[] {
  if (control instanceof FormGroup || control instanceof FormArray) {
    const children: AbstractControl[] = Object.values(control.controls);
    return children.flatMap(leaves);
  }
  return [control];
}

/** Re-runs every validator, which also drops errors set from an API answer. */
function revalidateAll(form: ServerFormGroup): void {
  for (const control of leaves(form)) control.updateValueAndValidity({ emitEvent: false });
  form.updateValueAndValidity({ emitEvent: false });
}

/** Labels of the runtimes in the select. */
const RUNTIME_LABELS: Record<Runtime, string> = {
  npx: 'npx — npm package',
  uvx: 'uvx — Python package',
  docker: 'docker — container image',
  remote: 'remote — server at a URL',
};

/** Labels of the transports in the select. */
const TRANSPORT_LABELS: Record<Transport, string> = {
  stdio: 'stdio',
  'streamable-http': 'Streamable HTTP',
  sse: 'HTTP + SSE (legacy)',
};

/**
 * The server form, used to review an analyzer's plan, add a server by hand or from an import, and edit a server.
 * Validates as the admin types, shows the API's field errors at their fields, keeps stored secrets hidden (edit
 * mode offers "Replace" instead), and emits the form's value on submit.
 */
@Component({
  selector: 'app-server-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTooltipModule,
    AlertComponent,
    IconComponent,
    FieldNotesComponent,
  ],
  templateUrl: './server-form.component.html',
  styleUrl: './server-form.component.scss',
})
export class ServerFormComponent {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly changeDetector = inject(ChangeDetectorRef);

  /** The values the form starts from; a new object resets the form. */
  readonly value = input<ServerFormValue>(emptyServerForm());
  /** `edit` keeps stored env values hidden and offers "Replace"; `create` (default) asks for values. */
  readonly mode = input<'create' | 'edit'>('create');
  /** The analyzer's evidence per field. */
  readonly evidence = input<Record<string, Evidence>>({});
  /** The analyzer's warnings; each is shown beside the field it mentions. */
  readonly warnings = input<readonly string[]>([]);
  /** The analyzer's confidence (0–1), or null when the form is not from an analysis. */
  readonly confidence = input<number | null>(null);
  /** Field errors of the API's last answer; each is shown at its field. */
  readonly serverErrors = input<readonly FieldError[]>([]);
  /** Disables the submit button while the parent saves. */
  readonly busy = input(false);
  /** Label of the submit button. */
  readonly submitLabel = input('Save');
  /** Shows a Cancel button that emits `cancelled`. */
  readonly cancellable = input(false);

  /** The valid form value, on submit. */
  readonly saved = output<ServerFormValue>();
  /** The Cancel button. */
  readonly cancelled = output();

  protected readonly form = signal<ServerFormGroup>(buildServerForm(emptyServerForm()));
  protected readonly runtime = signal<Runtime>('npx');
  protected readonly transport = signal<Transport>('stdio');
  /** API errors that match no field. */
  protected readonly generalErrors = signal<string[]>([]);
  /** Set when a submit was refused because of invalid fields. */
  protected readonly invalidCount = signal(0);

  protected readonly runtimes = RUNTIMES;
  protected readonly runtimeLabels = RUNTIME_LABELS;
  protected readonly transportLabels = TRANSPORT_LABELS;
  protected readonly transports = computed(() => transportsFor(this.runtime()));
  protected readonly showPort = computed(() => needsPort(this.runtime(), this.transport()));
  protected readonly isContainer = computed(() => this.runtime() !== 'remote');
  protected readonly confidenceText = computed(() => {
    const confidence = this.confidence();
    return confidence === null ? null : `${confidencePercent(confidence)}%`;
  });
  private readonly envKeys = signal<string[]>([]);
  protected readonly placedWarnings = computed(() =>
    placeWarnings(this.warnings(), this.envKeys(), visibleFields(this.runtime(), this.transport())),
  );

  constructor() {
    effect((onCleanup) => {
      const value = this.value();
      const subscription = untracked(() => this.load(value));
      onCleanup(() => {
        subscription.unsubscribe();
      });
    });
    effect(() => {
      const errors = this.serverErrors();
      // After the render: binding a (new) form to its inputs re-runs its validators, which would drop these errors.
      afterNextRender(
        () => {
          this.applyServerErrors(errors);
          this.changeDetector.markForCheck();
        },
        { injector: this.injector },
      );
    });
  }

  protected get envRows(): EnvRowGroup[] {
    return this.form().controls.env.controls;
  }

  /** The message under a field, or `''`. */
  protected errorOf(control: AbstractControl, label: string, patternMessage?: string): string {
    return validationMessage(control.errors, label, patternMessage);
  }

  protected evidenceOf(field: string): Evidence | undefined {
    return evidenceFor(this.evidence(), field);
  }

  protected warningsOf(field: string): string[] {
    return this.placedWarnings().byField[field] ?? [];
  }

  protected addArg(): void {
    this.form().controls.args.push(argControl(''));
    this.focusLast('.arg-row input');
  }

  protected removeArg(index: number): void {
    this.form().controls.args.removeAt(index);
  }

  protected moveArg(index: number, offset: -1 | 1): void {
    const args = this.form().controls.args;
    const target = index + offset;
    const control = args.at(index);
    if (target < 0 || target >= args.length) return;
    args.removeAt(index, { emitEvent: false });
    args.insert(target, control);
  }

  protected addEnv(): void {
    this.form().controls.env.push(envRowGroup(emptyEnvRow()));
    this.focusLast('.env-row .env-key input');
  }

  protected removeEnv(index: number): void {
    const env = this.form().controls.env;
    env.removeAt(index);
    revalidateEnvKeys(env);
  }

  /** Suggests "secret" for a new variable whose name looks like a credential. */
  protected onEnvKeyBlur(row: EnvRowGroup): void {
    const { key, secret, hasValue } = row.controls;
    if (!hasValue.value && !secret.dirty && !secret.value && looksSecret(key.value)) secret.setValue(true);
  }

  protected startReplace(row: EnvRowGroup): void {
    row.controls.value.setValue('');
    row.controls.replace.setValue(true);
  }

  protected keepStored(row: EnvRowGroup): void {
    row.controls.value.setValue('');
    row.controls.replace.setValue(false);
  }

  protected submit(): void {
    const form = this.form();
    this.generalErrors.set([]);
    // Drop the API's errors from the last attempt: the API judges again.
    revalidateAll(form);
    form.markAllAsTouched();
    if (form.invalid) {
      this.invalidCount.set(this.countInvalid(form));
      this.focusFirstInvalid();
      return;
    }
    this.invalidCount.set(0);
    this.saved.emit(form.getRawValue());
  }

  private load(value: ServerFormValue): Subscription {
    const form = buildServerForm(value);
    this.form.set(form);
    this.runtime.set(form.controls.runtime.value);
    this.transport.set(form.controls.transport.value);
    this.envKeys.set(value.env.map((row) => row.key));
    this.generalErrors.set([]);
    this.invalidCount.set(0);
    const { runtime, transport, env } = form.controls;
    const rules = merge(runtime.valueChanges, transport.valueChanges).subscribe(() => {
      applyRuntimeRules(form);
      this.runtime.set(runtime.value);
      this.transport.set(transport.value);
    });
    const keys = env.valueChanges.subscribe(() => {
      revalidateEnvKeys(env);
      this.envKeys.set(env.controls.map((row) => row.controls.key.value));
    });
    const validity = form.statusChanges.subscribe(() => {
      if (this.invalidCount() > 0) this.invalidCount.set(this.countInvalid(form));
    });
    rules.add(keys);
    rules.add(validity);
    return rules;
  }

  private applyServerErrors(errors: readonly FieldError[]): void {
    const form = this.form();
    const general: string[] = [];
    const shown = visibleFields(form.controls.runtime.value, form.controls.transport.value);
    for (const error of errors) {
      const path = fieldPath(error.field);
      const control = path.length && shown.includes(String(path[0])) ? form.get(path) : null;
      if (control instanceof FormControl) {
        control.setErrors({ ...control.errors, server: error.message });
        control.markAsTouched();
      } else {
        general.push(error.field && error.field !== '(body)' ? `${error.field}: ${error.message}` : error.message);
      }
    }
    this.generalErrors.set(general);
    if (errors.length) this.focusFirstInvalid();
  }

  private countInvalid(form: ServerFormGroup): number {
    return leaves(form).filter((control) => control.invalid).length;
  }

  private focusFirstInvalid(): void {
    afterNextRender(
      () => {
        const field = this.host.nativeElement.querySelector<HTMLElement>(
          'input.ng-invalid, textarea.ng-invalid, mat-select.ng-invalid',
        );
        field?.focus();
      },
      { injector: this.injector },
    );
  }

  private focusLast(selector: string): void {
    afterNextRender(
      () => {
        const fields = this.host.nativeElement.querySelectorAll<HTMLElement>(selector);
        fields[fields.length - 1]?.focus();
      },
      { injector: this.injector },
    );
  }
}
