import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { jest } from '@jest/globals';
import { MatCheckboxHarness } from '@angular/material/checkbox/testing';
import { MatSelectHarness } from '@angular/material/select/testing';

import type { ToolInfo } from '../../../core/api/api.models';
import { type GatewayCallOptions, McpGatewayService } from '../../../core/mcp/mcp-gateway.service';
import { McpError } from '../../../core/mcp/mcp-http.client';
import type { ToolResultView } from '../../../core/mcp/tool-result';
import { ToolRunnerComponent } from './tool-runner.component';

type CallTool = (
  endpoint: string,
  tool: string,
  args: Record<string, unknown>,
  options: GatewayCallOptions,
) => Promise<ToolResultView>;

function toolFactory(overrides: Partial<ToolInfo> = {}): ToolInfo {
  return {
    name: 'search',
    description: 'Search things',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What to look for', minLength: 2 },
        limit: { type: 'integer', minimum: 1, maximum: 50 },
        ratio: { type: 'number' },
        exact: { type: 'boolean' },
        order: { type: 'string', enum: ['asc', 'desc'] },
        size: { enum: [10, 20] },
        tags: { type: 'array', items: { type: 'string' } },
        filter: { type: 'object' },
      },
      required: ['query', 'limit'],
    },
    ...overrides,
  };
}

async function setup(tool: ToolInfo = toolFactory(), callTool?: ReturnType<typeof jest.fn<CallTool>>) {
  const call = callTool ?? jest.fn<CallTool>();
  TestBed.configureTestingModule({ providers: [{ provide: McpGatewayService, useValue: { callTool: call } }] });
  const fixture = TestBed.createComponent(ToolRunnerComponent);
  fixture.componentRef.setInput('tool', tool);
  fixture.componentRef.setInput('endpoint', '/mcp/demo');
  // The call is a plain promise Angular does not track: let it settle, then render.
  const stable = async (): Promise<void> => {
    fixture.detectChanges();
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve, 0));
    fixture.detectChanges();
    await fixture.whenStable();
  };
  await stable();
  const host = fixture.nativeElement as HTMLElement;
  const loader = TestbedHarnessEnvironment.loader(fixture);
  return { host, loader, call, stable };
}

function fieldByLabel(host: HTMLElement, label: string): HTMLInputElement | HTMLTextAreaElement {
  const formField = [...host.querySelectorAll('mat-form-field')].find(
    (candidate) => candidate.querySelector('mat-label')?.textContent.trim() === label,
  );
  const control = formField?.querySelector<HTMLInputElement | HTMLTextAreaElement>('input, textarea');
  if (!control) throw new Error(`No field labelled ${label}`);
  return control;
}

function type(element: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  element.value = value;
  element.dispatchEvent(new Event('input'));
  element.dispatchEvent(new Event('blur'));
}

function run(host: HTMLElement): void {
  host.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
}

function messages(host: HTMLElement): string[] {
  return [...host.querySelectorAll('mat-error, .field-error, app-alert')].map((element) => element.textContent.trim());
}

describe(ToolRunnerComponent.name, () => {
  it('generates a field per property, of the right kind, marking the required ones', async () => {
    const { host, loader } = await setup();

    expect(fieldByLabel(host, 'Query').tagName).toBe('TEXTAREA');
    expect(fieldByLabel(host, 'Query').required).toBe(true);
    expect(fieldByLabel(host, 'Limit').getAttribute('inputmode')).toBe('numeric');
    expect(fieldByLabel(host, 'Ratio').getAttribute('inputmode')).toBe('decimal');
    expect(fieldByLabel(host, 'Ratio').required).toBe(false);
    expect(fieldByLabel(host, 'Filter').tagName).toBe('TEXTAREA');
    expect(await loader.getAllHarnesses(MatSelectHarness)).toHaveLength(2);
    expect(await (await loader.getHarness(MatCheckboxHarness)).getLabelText()).toBe('Exact');
    expect(host.querySelector('fieldset legend')?.textContent).toContain('Tags');
  });

  it('does not call the tool while inputs are invalid, and says what is wrong', async () => {
    const { host, call, stable } = await setup();

    run(host);
    await stable();
    expect(call).not.toHaveBeenCalled();
    expect(messages(host)).toEqual(
      expect.arrayContaining(['Required.', 'Some inputs are not valid: see the messages in red.']),
    );

    type(fieldByLabel(host, 'Query'), 'x');
    type(fieldByLabel(host, 'Limit'), '2.5');
    type(fieldByLabel(host, 'Ratio'), 'abc');
    type(fieldByLabel(host, 'Filter'), '[1, 2]');
    run(host);
    await stable();
    expect(call).not.toHaveBeenCalled();
    expect(messages(host)).toEqual(
      expect.arrayContaining([
        'At least 2 characters.',
        'Enter a whole number.',
        'Enter a number.',
        'Enter a JSON object, like {"key": "value"}.',
      ]),
    );
  });

  it('calls the tool with typed arguments and shows its text and images', async () => {
    const call = jest.fn<CallTool>().mockResolvedValue({
      isError: false,
      parts: [
        { kind: 'text', text: 'Found 3 results' },
        { kind: 'image', src: 'data:image/png;base64,AAAA', mimeType: 'image/png' },
      ],
    });
    const { host, loader, stable } = await setup(toolFactory(), call);

    type(fieldByLabel(host, 'Query'), 'cats');
    type(fieldByLabel(host, 'Limit'), '5');
    type(fieldByLabel(host, 'Filter'), '{"color": "black"}');
    await (await loader.getHarness(MatCheckboxHarness)).check();
    const [order, size] = await loader.getAllHarnesses(MatSelectHarness);
    await order!.clickOptions({ text: 'desc' });
    await size!.clickOptions({ text: '20' });
    host.querySelector<HTMLButtonElement>('fieldset button')!.click();
    await stable();
    type(host.querySelector<HTMLInputElement>('fieldset input')!, 'pets');
    run(host);
    await stable();

    expect(call).toHaveBeenCalledWith(
      '/mcp/demo',
      'search',
      { query: 'cats', limit: 5, exact: true, order: 'desc', size: 20, tags: ['pets'], filter: { color: 'black' } },
      expect.objectContaining({ server: 'demo' }),
    );
    expect(host.querySelector('.result-text')?.textContent).toBe('Found 3 results');
    expect(host.querySelector<HTMLImageElement>('img.result-image')?.src).toBe('data:image/png;base64,AAAA');
  });

  it('shows why a call failed', async () => {
    const call = jest.fn<CallTool>().mockRejectedValue(new McpError('rpc', 'Unknown tool: search'));
    const { host, stable } = await setup(toolFactory({ inputSchema: { type: 'object', properties: {} } }), call);

    expect(host.textContent).toContain('This tool takes no input.');
    run(host);
    await stable();
    expect(messages(host)).toContain('The call failed: Unknown tool: search');
  });

  it('flags a result the tool reported as an error', async () => {
    const call = jest
      .fn<CallTool>()
      .mockResolvedValue({ isError: true, parts: [{ kind: 'text', text: 'Rate limited' }] });
    const { host, stable } = await setup(toolFactory({ inputSchema: { type: 'object' } }), call);

    run(host);
    await stable();
    expect(messages(host)).toContain('The tool reported an error:');
    expect(host.querySelector('.result-text.is-error')?.textContent).toBe('Rate limited');
  });
});
