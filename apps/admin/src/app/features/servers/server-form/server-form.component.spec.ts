import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSelectHarness } from '@angular/material/select/testing';

import type { AnalysisPlan, FieldError } from '../../../core/api/api.models';
import { ServerFormComponent } from './server-form.component';
import { emptyEnvRow, emptyServerForm, planToFormValue, type ServerFormValue } from './server-form.model';

function planFactory(overrides: Partial<AnalysisPlan> = {}): AnalysisPlan {
  return {
    name: 'github',
    displayName: 'GitHub',
    description: 'Repositories and issues',
    runtime: 'npx',
    package: '@modelcontextprotocol/server-github@1.0.0',
    args: ['--toolsets', 'repos'],
    transport: 'stdio',
    env: [{ key: 'GITHUB_TOKEN', description: 'A token', required: true, secret: true }],
    confidence: 0.8,
    warnings: [],
    evidence: {},
    ...overrides,
  };
}

interface Setup {
  fixture: ComponentFixture<ServerFormComponent>;
  host: HTMLElement;
  loader: HarnessLoader;
  saved: ServerFormValue[];
  stable: () => Promise<void>;
}

async function setup(inputs: {
  value?: ServerFormValue;
  mode?: 'create' | 'edit';
  warnings?: string[];
  evidence?: AnalysisPlan['evidence'];
  serverErrors?: FieldError[];
  confidence?: number;
}): Promise<Setup> {
  const fixture = TestBed.createComponent(ServerFormComponent);
  const saved: ServerFormValue[] = [];
  fixture.componentInstance.saved.subscribe((value) => saved.push(value));
  fixture.componentRef.setInput('value', inputs.value ?? emptyServerForm());
  if (inputs.mode) fixture.componentRef.setInput('mode', inputs.mode);
  if (inputs.warnings) fixture.componentRef.setInput('warnings', inputs.warnings);
  if (inputs.evidence) fixture.componentRef.setInput('evidence', inputs.evidence);
  if (inputs.serverErrors) fixture.componentRef.setInput('serverErrors', inputs.serverErrors);
  if (inputs.confidence !== undefined) fixture.componentRef.setInput('confidence', inputs.confidence);
  const stable = async (): Promise<void> => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  await stable();
  return {
    fixture,
    host: fixture.nativeElement as HTMLElement,
    loader: TestbedHarnessEnvironment.loader(fixture),
    saved,
    stable,
  };
}

function field(host: HTMLElement, selector: string): HTMLInputElement {
  const element = host.querySelector<HTMLInputElement>(selector);
  if (!element) throw new Error(`Nothing matches ${selector}`);
  return element;
}

function type(element: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  element.value = value;
  element.dispatchEvent(new Event('input'));
  element.dispatchEvent(new Event('blur'));
}

function click(host: HTMLElement, text: string): void {
  const button = [...host.querySelectorAll('button')].find((candidate) => candidate.textContent.trim() === text);
  if (!button) throw new Error(`No button "${text}"`);
  button.click();
}

function errors(host: HTMLElement): string[] {
  return [...host.querySelectorAll('mat-error, app-alert')].map((element) => element.textContent.trim());
}

describe(ServerFormComponent.name, () => {
  it('shows an analyzer plan and emits it, with the typed secret, on save', async () => {
    const { host, saved, stable } = await setup({ value: planToFormValue(planFactory(), 'https://github.com/o/r') });

    expect(field(host, 'input[formcontrolname=name]').value).toBe('github');
    expect(field(host, 'input[formcontrolname=package]').value).toBe('@modelcontextprotocol/server-github@1.0.0');
    expect(field(host, '.env-row input[formcontrolname=key]').value).toBe('GITHUB_TOKEN');

    type(field(host, '.env-row input[formcontrolname=value]'), 'ghp_secret');
    click(host, 'Save');
    await stable();

    expect(saved).toHaveLength(1);
    expect(saved[0]?.env[0]).toMatchObject({ key: 'GITHUB_TOKEN', value: 'ghp_secret', secret: true });
    expect(saved[0]?.args).toEqual(['--toolsets', 'repos']);
    expect(saved[0]?.sourceUrl).toBe('https://github.com/o/r');
  });

  it('refuses to save an invalid name, a missing package and a missing required value, saying why', async () => {
    const { host, saved, stable } = await setup({ value: planToFormValue(planFactory({ package: '' }), '') });

    type(field(host, 'input[formcontrolname=name]'), 'Not A Slug');
    click(host, 'Save');
    await stable();

    expect(saved).toHaveLength(0);
    const messages = errors(host);
    expect(messages).toContain(
      'Use lowercase letters, digits and dashes, starting with a letter or digit (at most 32).',
    );
    expect(messages).toContain('The package is required.');
    expect(messages).toContain('A value is required.');
    expect(messages.some((message) => message.includes('3 fields need your attention'))).toBe(true);
  });

  it('asks for an image instead of a package when the runtime becomes docker, and a URL for remote', async () => {
    const { host, loader, saved, stable } = await setup({ value: { ...emptyServerForm(), name: 'tool' } });

    const runtime = await loader.getHarness(MatSelectHarness.with({ selector: '[formcontrolname=runtime]' }));
    await runtime.clickOptions({ text: /docker/ });
    await stable();
    expect(host.querySelector('input[formcontrolname=package]')).toBeNull();
    click(host, 'Save');
    await stable();
    expect(errors(host)).toContain('The image is required.');
    expect(saved).toHaveLength(0);

    await runtime.clickOptions({ text: /remote/ });
    await stable();
    const transport = await loader.getHarness(MatSelectHarness.with({ selector: '[formcontrolname=transport]' }));
    await transport.open();
    const options = await transport.getOptions();
    const labels = await Promise.all(options.map((option) => option.getText()));
    expect(labels).not.toContain('stdio');
    expect(await transport.getValueText()).toBe('Streamable HTTP');
    await transport.close();

    type(field(host, 'input[formcontrolname=url]'), 'not a url');
    click(host, 'Save');
    await stable();
    expect(errors(host)).toContain('Enter an http:// or https:// URL.');

    type(field(host, 'input[formcontrolname=url]'), 'https://mcp.example.com/mcp');
    click(host, 'Save');
    await stable();
    expect(saved[0]).toMatchObject({
      runtime: 'remote',
      url: 'https://mcp.example.com/mcp',
      transport: 'streamable-http',
    });
  });

  it('adds and removes env rows, rejects duplicate names, and marks credential-like names secret', async () => {
    const { host, saved, stable } = await setup({ value: { ...emptyServerForm(), name: 'tool', package: 'pkg' } });

    click(host, 'Add variable');
    await stable();
    click(host, 'Add variable');
    await stable();
    const keys = host.querySelectorAll<HTMLInputElement>('.env-row input[formcontrolname=key]');
    expect(keys).toHaveLength(2);
    type(keys[0]!, 'API_TOKEN');
    type(keys[1]!, 'API_TOKEN');
    await stable();

    expect(host.querySelectorAll<HTMLInputElement>('.env-row input[formcontrolname=value]')[0]?.type).toBe('password');
    click(host, 'Save');
    await stable();
    expect(errors(host)).toContain('This variable is already listed above.');
    expect(saved).toHaveLength(0);

    host.querySelectorAll<HTMLButtonElement>('.env-remove')[1]!.click();
    await stable();
    expect(host.querySelectorAll('.env-row')).toHaveLength(1);
    click(host, 'Save');
    await stable();
    expect(saved[0]?.env).toEqual([expect.objectContaining({ key: 'API_TOKEN', secret: true, value: '' })]);
  });

  it('shows a value as text or password as "secret" is toggled', async () => {
    const { host, stable } = await setup({
      value: { ...emptyServerForm(), env: [emptyEnvRow({ key: 'REGION', value: 'eu' })] },
    });
    const value = (): HTMLInputElement => field(host, '.env-row input[formcontrolname=value]');
    expect(value().type).toBe('text');

    field(host, '.env-flags mat-checkbox:nth-of-type(2) input').click();
    await stable();
    expect(value().type).toBe('password');
    expect(value().value).toBe('eu');
  });

  it('never shows a stored secret: "set" and Replace, which reveals an empty password field', async () => {
    const stored = emptyEnvRow({ key: 'GITHUB_TOKEN', required: true, secret: true, hasValue: true });
    const { host, saved, stable } = await setup({
      value: { ...emptyServerForm(), name: 'github', package: 'pkg', env: [stored] },
      mode: 'edit',
    });

    expect(host.querySelector('.stored-value')?.textContent).toContain('set');
    expect(host.querySelector('.env-row input[formcontrolname=value]')).toBeNull();

    click(host, 'Save');
    await stable();
    expect(saved[0]?.env[0]).toMatchObject({ hasValue: true, replace: false, value: '' });

    click(host, 'Replace');
    await stable();
    const replacement = field(host, '.env-row input[formcontrolname=value]');
    expect(replacement.type).toBe('password');
    expect(replacement.value).toBe('');
    click(host, 'Save');
    await stable();
    expect(errors(host)).toContain('Enter the new value, or keep the current one.');
    expect(saved).toHaveLength(1);

    type(replacement, 'ghp_new');
    click(host, 'Save');
    await stable();
    expect(saved[1]?.env[0]).toMatchObject({ replace: true, value: 'ghp_new' });
  });

  it('edits the arguments as a list: add, move and remove', async () => {
    const { host, saved, stable } = await setup({
      value: { ...emptyServerForm(), name: 'tool', package: 'pkg', args: ['--a', '--b'] },
    });

    click(host, 'Add argument');
    await stable();
    const args = (): HTMLInputElement[] => [...host.querySelectorAll<HTMLInputElement>('.arg-row input')];
    type(args()[2]!, '--c');
    host.querySelector<HTMLButtonElement>('button[aria-label="Move argument 3 up"]')!.click();
    await stable();
    host.querySelector<HTMLButtonElement>('button[aria-label="Remove argument 1"]')!.click();
    await stable();

    expect(args().map((input) => input.value)).toEqual(['--c', '--b']);
    click(host, 'Save');
    await stable();
    expect(saved[0]?.args).toEqual(['--c', '--b']);
  });

  it("shows the API's field errors at their fields, the others above the button, and lets the admin resubmit", async () => {
    const { host, saved, stable } = await setup({
      value: { ...emptyServerForm(), name: 'github', package: 'pkg', env: [emptyEnvRow({ key: 'TOKEN' })] },
      serverErrors: [
        { field: 'name', message: 'That name is taken.' },
        { field: 'env.0.value', message: 'Must not contain spaces.' },
        { field: 'sourceUrl', message: 'Not a GitHub URL.' },
      ],
    });

    expect(field(host, 'input[formcontrolname=name]').closest('mat-form-field')?.textContent).toContain(
      'That name is taken.',
    );
    expect(field(host, '.env-row input[formcontrolname=value]').closest('mat-form-field')?.textContent).toContain(
      'Must not contain spaces.',
    );
    expect(errors(host)).toContain('sourceUrl: Not a GitHub URL.');

    // The API judges again on the next attempt: its old errors do not block a resubmission.
    click(host, 'Save');
    await stable();
    expect(saved).toHaveLength(1);
  });

  it("places the analyzer's evidence and warnings beside the fields they concern", async () => {
    const { host } = await setup({
      value: planToFormValue(planFactory(), ''),
      evidence: { package: { file: 'package.json', line: 3, text: '"name": "server-github"' } },
      warnings: ['GITHUB_TOKEN needs the repo scope.', 'The args come from an example.', 'Mind the licence.'],
      confidence: 0.8,
    });

    const envNotes = host.querySelector('.env-row app-field-notes')?.textContent ?? '';
    expect(envNotes).toContain('GITHUB_TOKEN needs the repo scope.');
    const argNotes = host.querySelector('.list-block app-field-notes')?.textContent ?? '';
    expect(argNotes).toContain('The args come from an example.');
    expect(host.textContent).toContain('package.json:3');
    expect(host.querySelector('.analysis-notes')?.textContent).toContain('Mind the licence.');
    expect(host.querySelector('.analysis-notes')?.textContent).toContain('Analyzer confidence 80%');
  });
});
