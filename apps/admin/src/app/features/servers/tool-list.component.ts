import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatExpansionModule } from '@angular/material/expansion';

import type { ToolCatalog, ToolInfo } from '../../core/api/api.models';
import { CodeBlockComponent } from '../../shared/code-block.component';
import { IconComponent } from '../../shared/icon.component';
import { ToolRunnerComponent } from './tool-runner/tool-runner.component';

/**
 * A server's catalog: its tools with their descriptions and input schemas (and, given a server name, a "Try it"
 * form per tool), then its resources, resource templates and prompts.
 */
@Component({
  selector: 'app-tool-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatExpansionModule, MatButtonModule, CodeBlockComponent, IconComponent, ToolRunnerComponent],
  template: `
    @let tools = catalog().tools;
    @if (tools.length === 0) {
      <p class="muted">It announced no tools.</p>
    } @else {
      <mat-accordion multi>
        @for (tool of tools; track tool.name) {
          <mat-expansion-panel>
            <mat-expansion-panel-header>
              <mat-panel-title class="mono tool-name">{{ tool.name }}</mat-panel-title>
              <mat-panel-description class="tool-summary">{{ tool.title || tool.description }}</mat-panel-description>
            </mat-expansion-panel-header>
            <ng-template matExpansionPanelContent>
              @if (tool.description) {
                <p class="tool-description">{{ tool.description }}</p>
              }
              @if (serverName(); as server) {
                @if (trying().has(tool.name)) {
                  <app-tool-runner [tool]="tool" [endpoint]="'/mcp/' + server" />
                } @else {
                  <button type="button" matButton="tonal" (click)="startTrying(tool)">
                    <app-icon matButtonIcon name="play" />
                    Try it
                  </button>
                }
              }
              <details class="schema">
                <summary>Input schema</summary>
                <app-code-block [code]="schemaOf(tool)" language="json" />
              </details>
            </ng-template>
          </mat-expansion-panel>
        }
      </mat-accordion>
    }
    @if (extras().length) {
      <div class="extras">
        @for (extra of extras(); track extra.label) {
          <div>
            <h4>{{ extra.label }} ({{ extra.items.length }})</h4>
            <ul>
              @for (item of extra.items; track $index) {
                <li>
                  <span class="mono">{{ item.name }}</span>
                  @if (item.description) {
                    <span class="muted"> — {{ item.description }}</span>
                  }
                </li>
              }
            </ul>
          </div>
        }
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .tool-name {
      font-weight: 600;
      flex: 0 0 auto;
      max-width: 45%;
      overflow-wrap: anywhere;
    }
    .tool-summary {
      display: block;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .tool-description {
      white-space: pre-wrap;
      margin-top: 0;
    }
    .schema {
      margin-top: 16px;
      summary {
        cursor: pointer;
        font: var(--mat-sys-title-small);
        margin-bottom: 8px;
      }
    }
    .extras {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
      gap: 16px;
      margin-top: 16px;
      > div {
        min-width: 0;
      }
      li {
        overflow-wrap: anywhere;
      }
      h4 {
        font: var(--mat-sys-title-small);
        margin: 0 0 4px;
      }
      ul {
        margin: 0;
        padding-left: 18px;
      }
    }
  `,
})
export class ToolListComponent {
  /** The catalog to show. */
  readonly catalog = input.required<ToolCatalog>();
  /** The server's name: enables "Try it", which calls the tool through `/mcp/<name>`. */
  readonly serverName = input<string | null>(null);

  /** Tools whose "Try it" form is open. */
  protected readonly trying = signal<ReadonlySet<string>>(new Set());

  protected readonly extras = computed(() => {
    const { resources, resourceTemplates, prompts } = this.catalog();
    return [
      { label: 'Resources', items: resources.map((item) => ({ name: item.uri, description: item.name })) },
      {
        label: 'Resource templates',
        items: resourceTemplates.map((item) => ({ name: item.uriTemplate, description: item.name })),
      },
      { label: 'Prompts', items: prompts.map((item) => ({ name: item.name, description: item.description ?? '' })) },
    ].filter((extra) => extra.items.length > 0);
  });

  protected schemaOf(tool: ToolInfo): string {
    return JSON.stringify(tool.inputSchema, null, 2);
  }

  protected startTrying(tool: ToolInfo): void {
    this.trying.update((current) => new Set(current).add(tool.name));
  }
}
