import {
  type AbstractControl,
  FormArray,
  FormControl,
  FormGroup,
  type ValidationErrors,
  type ValidatorFn,
  Validators,
} from '@angular/forms';

import type { Isolation, NetworkMode, Runtime, Transport } from '../../../core/api/api.models';
import {
  emptyEnvRow,
  ENV_KEY_PATTERN,
  type EnvRowValue,
  needsPort,
  SERVER_NAME_PATTERN,
  type ServerFormValue,
} from './server-form.model';

/** The controls of one environment variable row. */
export type EnvRowGroup = FormGroup<{
  key: FormControl<string>;
  description: FormControl<string>;
  required: FormControl<boolean>;
  secret: FormControl<boolean>;
  value: FormControl<string>;
  hasValue: FormControl<boolean>;
  replace: FormControl<boolean>;
}>;

/** The controls of the server form; `getRawValue()` is a {@link ServerFormValue}. */
export type ServerFormGroup = FormGroup<{
  name: FormControl<string>;
  displayName: FormControl<string>;
  description: FormControl<string>;
  sourceUrl: FormControl<string>;
  runtime: FormControl<Runtime>;
  package: FormControl<string>;
  image: FormControl<string>;
  url: FormControl<string>;
  port: FormControl<number | null>;
  args: FormArray<FormControl<string>>;
  transport: FormControl<Transport>;
  isolation: FormControl<Isolation>;
  network: FormControl<NetworkMode>;
  limits: FormGroup<{ memoryMb: FormControl<number>; cpus: FormControl<number>; pids: FormControl<number> }>;
  warmPool: FormControl<number>;
  enabled: FormControl<boolean>;
  env: FormArray<EnvRowGroup>;
}>;

/** Fails with `{integer: true}` on a number with a fraction; empty values pass. */
export const integerValidator: ValidatorFn = (control) => {
  const value: unknown = control.value;
  return typeof value === 'number' && !Number.isInteger(value) ? { integer: true } : null;
};

/** Fails with `{notBlank: true}` when the text is only spaces. */
export const notBlankValidator: ValidatorFn = (control) => {
  const value: unknown = control.value;
  return typeof value === 'string' && value !== '' && value.trim() === '' ? { notBlank: true } : null;
};

/**
 * The value of an env row: required when the row is required and no stored value is kept; a replaced stored
 * value needs the new one. Reads its sibling controls, so re-validate it when they change.
 */
export const envValueValidator: ValidatorFn = (control) => {
  const row = control.parent;
  if (!row) return null;
  const value = String(control.value ?? '');
  const hasValue = row.get('hasValue')?.value === true;
  const replace = row.get('replace')?.value === true;
  if (hasValue && !replace) return null;
  if (value !== '') return null;
  if (hasValue && replace) return { replaceEmpty: true };
  return row.get('required')?.value === true ? { required: true } : null;
};

/** An env key used by an earlier row of the same list fails with `{duplicateKey: true}`. */
export const uniqueEnvKeyValidator: ValidatorFn = (control) => {
  const row = control.parent;
  const list = row?.parent;
  if (!row || !(list instanceof FormArray)) return null;
  const key = String(control.value ?? '').trim();
  if (!key) return null;
  const index = list.controls.indexOf(row);
  const earlier = list.controls.slice(0, index).some((other) => String(other.get('key')?.value ?? '').trim() === key);
  return earlier ? { duplicateKey: true } : null;
};

/** A `FormControl` for an argument. */
export function argControl(value: string): FormControl<string> {
  return new FormControl(value, { nonNullable: true });
}

/** A row of controls for an environment variable; its value is re-validated when its flags change. */
export function envRowGroup(row: EnvRowValue = emptyEnvRow()): EnvRowGroup {
  const group: EnvRowGroup = new FormGroup({
    key: new FormControl(row.key, {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(ENV_KEY_PATTERN), uniqueEnvKeyValidator],
    }),
    description: new FormControl(row.description, { nonNullable: true }),
    required: new FormControl(row.required, { nonNullable: true }),
    secret: new FormControl(row.secret, { nonNullable: true }),
    value: new FormControl(row.value, { nonNullable: true, validators: [envValueValidator] }),
    hasValue: new FormControl(row.hasValue, { nonNullable: true }),
    replace: new FormControl(row.replace, { nonNullable: true }),
  });
  for (const flag of [group.controls.required, group.controls.replace]) {
    flag.valueChanges.subscribe(() => {
      group.controls.value.updateValueAndValidity();
    });
  }
  return group;
}

/** Builds the controls of the server form, filled with `value`; call {@link applyRuntimeRules} after changes. */
export function buildServerForm(value: ServerFormValue): ServerFormGroup {
  const form: ServerFormGroup = new FormGroup({
    name: new FormControl(value.name, {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(SERVER_NAME_PATTERN)],
    }),
    displayName: new FormControl(value.displayName, { nonNullable: true, validators: [Validators.maxLength(200)] }),
    description: new FormControl(value.description, { nonNullable: true, validators: [Validators.maxLength(2000)] }),
    sourceUrl: new FormControl(value.sourceUrl, { nonNullable: true }),
    runtime: new FormControl<Runtime>(value.runtime, { nonNullable: true }),
    package: new FormControl(value.package, { nonNullable: true, validators: [notBlankValidator] }),
    image: new FormControl(value.image, { nonNullable: true, validators: [notBlankValidator] }),
    url: new FormControl(value.url, { nonNullable: true, validators: [Validators.pattern(/^https?:\/\/\S+$/)] }),
    port: new FormControl<number | null>(value.port, {
      validators: [Validators.min(1), Validators.max(65535), integerValidator],
    }),
    args: new FormArray(value.args.map(argControl)),
    transport: new FormControl<Transport>(value.transport, { nonNullable: true }),
    isolation: new FormControl<Isolation>(value.isolation, { nonNullable: true }),
    network: new FormControl<NetworkMode>(value.network, { nonNullable: true }),
    limits: new FormGroup({
      memoryMb: new FormControl(value.limits.memoryMb, {
        nonNullable: true,
        validators: [Validators.required, Validators.min(64), Validators.max(65536), integerValidator],
      }),
      cpus: new FormControl(value.limits.cpus, {
        nonNullable: true,
        validators: [Validators.required, Validators.min(0.1), Validators.max(64)],
      }),
      pids: new FormControl(value.limits.pids, {
        nonNullable: true,
        validators: [Validators.required, Validators.min(16), Validators.max(65536), integerValidator],
      }),
    }),
    warmPool: new FormControl(value.warmPool, {
      nonNullable: true,
      validators: [Validators.required, Validators.min(0), Validators.max(20), integerValidator],
    }),
    enabled: new FormControl(value.enabled, { nonNullable: true }),
    env: new FormArray(value.env.map((row) => envRowGroup(row))),
  });
  applyRuntimeRules(form);
  return form;
}

function setRequired(control: AbstractControl, required: boolean): void {
  if (required) control.addValidators(Validators.required);
  else control.removeValidators(Validators.required);
  control.updateValueAndValidity({ emitEvent: false });
}

/**
 * Makes the runtime's target field required (package for npx/uvx, image for docker, URL for remote), the port
 * required for a container HTTP transport, and moves a remote server off stdio.
 */
export function applyRuntimeRules(form: ServerFormGroup): void {
  const { runtime, package: pkg, image, url, port, transport } = form.controls;
  if (runtime.value === 'remote' && transport.value === 'stdio') transport.setValue('streamable-http');
  setRequired(pkg, runtime.value === 'npx' || runtime.value === 'uvx');
  setRequired(image, runtime.value === 'docker');
  setRequired(url, runtime.value === 'remote');
  setRequired(port, needsPort(runtime.value, transport.value));
}

/** Re-checks every env key for duplicates (after a key changes, a later row may become valid or invalid). */
export function revalidateEnvKeys(env: FormArray<EnvRowGroup>): void {
  for (const row of env.controls) row.controls.key.updateValueAndValidity({ emitEvent: false });
}

/**
 * The message for a field's validation errors (an API error wins), using its label in the generic ones.
 * @param patternMessage - what to say when the value does not match the field's pattern.
 */
export function validationMessage(
  errors: ValidationErrors | null,
  label = 'This field',
  patternMessage?: string,
): string {
  if (!errors) return '';
  if (typeof errors['server'] === 'string') return errors['server'];
  if (errors['required']) return `${label} is required.`;
  if (errors['notBlank']) return `${label} cannot be only spaces.`;
  if (errors['replaceEmpty']) return 'Enter the new value, or keep the current one.';
  if (errors['duplicateKey']) return 'This variable is already listed above.';
  if (errors['integer']) return 'Use a whole number.';
  const min = errors['min'] as { min: number } | undefined;
  if (min) return `At least ${min.min}.`;
  const max = errors['max'] as { max: number } | undefined;
  if (max) return `At most ${max.max}.`;
  const maxLength = errors['maxlength'] as { requiredLength: number } | undefined;
  if (maxLength) return `At most ${maxLength.requiredLength} characters.`;
  if (errors['pattern']) return patternMessage ?? `${label} is not in the expected format.`;
  return `${label} is not valid.`;
}
