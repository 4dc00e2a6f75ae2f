import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { McpGatewayService } from '../../core/mcp/mcp-gateway.service';
import { describeProgress } from '../../core/mcp/notifications';
import type { ToolResultView } from '../../core/mcp/tool-result';
import { AlertComponent } from '../../shared/alert.component';
import { IconComponent } from '../../shared/icon.component';
import { ToolResultViewComponent } from '../../shared/tool-result-view.component';
import { codeArgumentName, SANDBOX_TOOL } from './sandbox-arguments';

/** Ready-made snippets to start from. */
const EXAMPLES = [
  {
    label: 'Plot',
    code: `import numpy as np
import matplotlib.pyplot as plt

x = np.linspace(0, 4 * np.pi, 400)
plt.figure(figsize=(7, 3.5))
plt.plot(x, np.sin(x), label="sin")
plt.plot(x, np.cos(x), label="cos")
plt.legend()
plt.title("Waves")
plt.show()
`,
  },
  {
    label: 'DataFrame',
    code: `import pandas as pd
import numpy as np

rng = np.random.default_rng(42)
df = pd.DataFrame({"group": rng.choice(list("ABC"), 200), "value": rng.normal(10, 3, 200)})
print(df.groupby("group")["value"].describe().round(2))
`,
  },
  {
    label: 'Regression',
    code: `import numpy as np
from sklearn.linear_model import LinearRegression

rng = np.random.default_rng(0)
X = rng.uniform(0, 10, (100, 1))
y = 3.2 * X[:, 0] + 4 + rng.normal(0, 1, 100)
model = LinearRegression().fit(X, y)
print(f"slope={model.coef_[0]:.3f} intercept={model.intercept_:.3f} r2={model.score(X, y):.3f}")
`,
  },
] as const;

/** The Python sandbox: runs code through the router's `python_sandbox` tool and shows its output and plots. */
@Component({
  selector: 'app-sandbox',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatProgressBarModule,
    AlertComponent,
    IconComponent,
    ToolResultViewComponent,
  ],
  templateUrl: './sandbox.component.html',
  styleUrl: './sandbox.component.scss',
})
export class SandboxComponent {
  private readonly gateway = inject(McpGatewayService);
  private controller: AbortController | null = null;
  private clock: ReturnType<typeof setInterval> | undefined;

  protected readonly examples = EXAMPLES;
  protected readonly code = new FormControl<string>(EXAMPLES[0].code, { nonNullable: true });
  protected readonly running = signal(false);
  protected readonly elapsed = signal(0);
  protected readonly progress = signal<string | null>(null);
  protected readonly result = signal<ToolResultView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly duration = signal<number | null>(null);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.controller?.abort();
      clearInterval(this.clock);
    });
  }

  protected useExample(code: string): void {
    this.code.setValue(code);
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.run();
    }
  }

  protected async run(): Promise<void> {
    if (this.running()) return;
    const code = this.code.value;
    if (!code.trim()) {
      this.error.set('Write some Python first.');
      return;
    }
    this.error.set(null);
    this.result.set(null);
    this.progress.set(null);
    this.duration.set(null);
    this.running.set(true);
    this.elapsed.set(0);
    const started = Date.now();
    this.clock = setInterval(() => {
      this.elapsed.set(Math.round((Date.now() - started) / 1000));
    }, 1000);
    const controller = new AbortController();
    this.controller = controller;
    try {
      const result = await this.gateway.callTool(
        '/mcp',
        SANDBOX_TOOL,
        (tool) => ({ [codeArgumentName(tool.inputSchema)]: code }),
        {
          signal: controller.signal,
          onNotification: (message) => {
            const text = describeProgress(message);
            if (text) this.progress.set(text);
          },
        },
      );
      this.result.set(result);
      this.duration.set((Date.now() - started) / 1000);
    } catch (error: unknown) {
      if (controller.signal.aborted) this.error.set('Stopped. The sandbox container is torn down with the session.');
      else this.error.set(`The code could not run: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearInterval(this.clock);
      this.running.set(false);
      this.controller = null;
    }
  }

  protected stop(): void {
    this.controller?.abort(new DOMException('Stopped', 'AbortError'));
  }
}
