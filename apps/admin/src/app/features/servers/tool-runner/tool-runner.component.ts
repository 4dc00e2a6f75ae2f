import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, signal } from '@angular/core';
import { type AbstractControl, FormArray, FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';

import type { ToolInfo } from '../../../core/api/api.models';
import { McpGatewayService } from '../../../core/mcp/mcp-gateway.service';
import { describeProgress } from '../../../core/mcp/notifications';
import type { JsonRpcMessage } from '../../../core/mcp/mcp-http.client';
import type { ToolResultView } from '../../../core/mcp/tool-result';
import { AlertComponent } from '../../../shared/alert.component';
import { IconComponent } from '../../../shared/icon.component';
import { ToolResultViewComponent } from '../../../shared/tool-result-view.component';
import {
  buildArguments,
  initialValue,
  schemaToFields,
  type ToolField,
  type ToolFieldValue,
  validateField,
} from './json-schema-form';

/** The controls of the generated form: a control per scalar field, a list per string-list field. */
interface RunnerControls {
  group: FormGroup<Record<string, AbstractControl>>;
  scalars: Map<string, FormControl<string | boolean>>;
  lists: Map<string, FormArray<FormControl<string>>>;
}

function buildControls(fields: readonly ToolField[]): RunnerControls {
  const scalars = new Map<string, FormControl<string | boolean>>();
  const lists = new Map<string, FormArray<FormControl<string>>>();
  const controls: Record<string, AbstractControl> = {};
  for (const field of fields) {
    const validator = (control: AbstractControl): { schema: string } | null => {
      const message = validateField(field, control.value as ToolFieldValue);
      return message ? { schema: message } : null;
    };
    const start = initialValue(field);
    if (Array.isArray(start)) {
      const list = new FormArray(
        start.map((item) => new FormControl(item, { nonNullable: true })),
        { validators: validator },
      );
      lists.set(field.name, list);
      controls[field.name] = list;
    } else {
      const control = new FormControl<string | boolean>(start, { nonNullable: true, validators: validator });
      scalars.set(field.name, control);
      controls[field.name] = control;
    }
  }
  return { group: new FormGroup(controls), scalars, lists };
}

/**
 * "Try it": a form generated from a tool's input schema (types, required marks, enums, lists, JSON for the rest,
 * validated as the admin types) that calls the tool through the router's MCP endpoint and shows the result.
 */
@Component({
  selector: 'app-tool-runner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    AlertComponent,
    IconComponent,
    ToolResultViewComponent,
  ],
  templateUrl: './tool-runner.component.html',
  styleUrl: './tool-runner.component.scss',
})
export class ToolRunnerComponent {
  private readonly gateway = inject(McpGatewayService);
  private controller: AbortController | null = null;
  private clock: ReturnType<typeof setInterval> | undefined;

  /** The tool to call. */
  readonly tool = input.required<ToolInfo>();
  /** The MCP endpoint to call it through, e.g. `/mcp/github`. */
  readonly endpoint = input.required<string>();

  protected readonly fields = computed(() => schemaToFields(this.tool().inputSchema));
  protected readonly controls = computed(() => buildControls(this.fields()));
  protected readonly running = signal(false);
  protected readonly elapsed = signal(0);
  protected readonly progress = signal<string | null>(null);
  protected readonly result = signal<ToolResultView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly invalid = signal(false);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.controller?.abort();
      clearInterval(this.clock);
    });
  }

  protected scalar(name: string): FormControl<string | boolean> {
    const control = this.controls().scalars.get(name);
    if (!control) throw new Error(`No control for ${name}`);
    return control;
  }

  protected list(name: string): FormArray<FormControl<string>> {
    const control = this.controls().lists.get(name);
    if (!control) throw new Error(`No list for ${name}`);
    return control;
  }

  protected errorOf(control: AbstractControl): string {
    const schema: unknown = control.errors?.['schema'];
    return typeof schema === 'string' ? schema : '';
  }

  protected addItem(name: string): void {
    this.list(name).push(new FormControl('', { nonNullable: true }));
  }

  protected removeItem(name: string, index: number): void {
    this.list(name).removeAt(index);
  }

  protected async run(): Promise<void> {
    if (this.running()) return;
    const { group } = this.controls();
    group.markAllAsTouched();
    const built = buildArguments(this.fields(), group.getRawValue());
    if (!built.ok) {
      this.invalid.set(true);
      return;
    }
    this.invalid.set(false);
    this.error.set(null);
    this.result.set(null);
    this.progress.set(null);
    this.running.set(true);
    this.elapsed.set(0);
    const started = Date.now();
    this.clock = setInterval(() => {
      this.elapsed.set(Math.round((Date.now() - started) / 1000));
    }, 1000);
    const controller = new AbortController();
    this.controller = controller;
    try {
      const result = await this.gateway.callTool(this.endpoint(), this.tool().name, built.args, {
        signal: controller.signal,
        onNotification: (message: JsonRpcMessage) => {
          this.onNotification(message);
        },
        server: this.endpoint().split('/').pop(),
      });
      this.result.set(result);
    } catch (error: unknown) {
      if (controller.signal.aborted) this.error.set('Cancelled. The tool may still finish on the server.');
      else this.error.set(`The call failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearInterval(this.clock);
      this.running.set(false);
      this.controller = null;
    }
  }

  protected cancel(): void {
    this.controller?.abort(new DOMException('Cancelled', 'AbortError'));
  }

  private onNotification(message: JsonRpcMessage): void {
    const text = describeProgress(message);
    if (text) this.progress.set(text);
  }
}
