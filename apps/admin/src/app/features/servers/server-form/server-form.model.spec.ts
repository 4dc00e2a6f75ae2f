import type { AnalysisPlan, McpServer } from '../../../core/api/api.models';
import {
  confidencePercent,
  emptyEnvRow,
  emptyServerForm,
  fieldPath,
  placeWarnings,
  planToFormValue,
  serverToFormValue,
  slugify,
  toServerInput,
  toServerUpdate,
  visibleFields,
} from './server-form.model';

function planFactory(overrides: Partial<AnalysisPlan> = {}): AnalysisPlan {
  return {
    name: '@acme/Weather Server',
    description: 'Forecasts',
    runtime: 'npx',
    package: '@acme/weather@2.1.0',
    args: ['--units', 'metric'],
    transport: 'stdio',
    env: [{ key: 'WEATHER_API_KEY', description: 'API key', required: true, secret: true }],
    confidence: 0.9,
    warnings: [],
    evidence: {},
    ...overrides,
  };
}

function serverFactory(overrides: Partial<McpServer> = {}): McpServer {
  return {
    id: 's1',
    name: 'weather',
    displayName: 'Weather',
    description: '',
    runtime: 'npx',
    package: '@acme/weather@2.1.0',
    image: null,
    url: null,
    args: [],
    transport: 'stdio',
    isolation: 'session',
    network: 'egress',
    limits: { memoryMb: 256, cpus: 0.5, pids: 64 },
    warmPool: 1,
    enabled: true,
    installState: { status: 'installed', imageTag: 't', builtAt: null, error: null },
    env: [
      { key: 'WEATHER_API_KEY', description: 'API key', required: true, secret: true, hasValue: true },
      { key: 'REGION', description: '', required: false, secret: false, hasValue: true, value: 'eu' },
    ],
    toolCount: 2,
    liveSessions: 0,
    createdAt: '',
    updatedAt: '',
    ...overrides,
  };
}

describe(slugify.name, () => {
  it('turns any label into a valid server name', () => {
    expect(slugify('@scope/My Server!')).toBe('my-server');
    expect(slugify('--Weird__Name--')).toBe('weird-name');
    expect(slugify('x'.repeat(40))).toHaveLength(32);
    expect(slugify('!!!')).toBe('');
  });
});

describe(planToFormValue.name, () => {
  it('fills the form from the plan, with safe defaults for what a plan does not say', () => {
    const value = planToFormValue(planFactory(), 'https://github.com/acme/weather');
    expect(value).toMatchObject({
      name: 'weather-server',
      displayName: '@acme/Weather Server',
      runtime: 'npx',
      package: '@acme/weather@2.1.0',
      args: ['--units', 'metric'],
      isolation: 'session',
      network: 'none',
      limits: { memoryMb: 512, cpus: 1, pids: 256 },
      sourceUrl: 'https://github.com/acme/weather',
    });
    expect(value.env).toEqual([
      emptyEnvRow({ key: 'WEATHER_API_KEY', description: 'API key', required: true, secret: true }),
    ]);
  });
});

describe(serverToFormValue.name, () => {
  it('keeps stored secrets hidden and shows non-secret values the API returns', () => {
    const value = serverToFormValue(serverFactory());
    expect(value.env[0]).toMatchObject({ key: 'WEATHER_API_KEY', value: '', hasValue: true, replace: false });
    expect(value.env[1]).toMatchObject({ key: 'REGION', value: 'eu', hasValue: false });
    expect(value.limits).toEqual({ memoryMb: 256, cpus: 0.5, pids: 64 });
  });
});

describe(toServerInput.name, () => {
  it("sends only the runtime's target field, trimmed, without blank arguments", () => {
    const input = toServerInput({
      ...emptyServerForm(),
      name: ' tool ',
      runtime: 'docker',
      package: 'left-over',
      image: ' ghcr.io/acme/tool:1 ',
      args: ['--a', ' ', ''],
      env: [emptyEnvRow({ key: 'A', value: 'x' }), emptyEnvRow({ key: 'B' })],
    });
    expect(input).toMatchObject({ name: 'tool', displayName: 'tool', image: 'ghcr.io/acme/tool:1', args: ['--a'] });
    expect(input).not.toHaveProperty('package');
    expect(input).not.toHaveProperty('port');
    expect(input.env).toEqual([
      { key: 'A', description: '', required: false, secret: false, value: 'x' },
      { key: 'B', description: '', required: false, secret: false },
    ]);
  });

  it('sends a port only for a container HTTP transport', () => {
    const base = { ...emptyServerForm(), name: 'x', package: 'p', port: 3000 };
    expect(toServerInput({ ...base, transport: 'streamable-http' }).port).toBe(3000);
    expect(toServerInput({ ...base, transport: 'stdio' })).not.toHaveProperty('port');
    expect(toServerInput({ ...base, runtime: 'remote', url: 'https://x', transport: 'sse' })).not.toHaveProperty(
      'port',
    );
  });
});

describe(toServerUpdate.name, () => {
  it('omits the value of a stored secret that was not replaced, and sends a replacement', () => {
    const kept = emptyEnvRow({ key: 'KEEP', secret: true, hasValue: true });
    const replaced = emptyEnvRow({ key: 'NEW', secret: true, hasValue: true, replace: true, value: 's3cret' });
    const update = toServerUpdate({ ...emptyServerForm(), name: 'x', package: 'p', env: [kept, replaced] });
    expect(update.env?.[0]).not.toHaveProperty('value');
    expect(update.env?.[1]).toMatchObject({ key: 'NEW', value: 's3cret' });
  });
});

describe(fieldPath.name, () => {
  it('reads dotted and bracketed paths, numbers as indexes', () => {
    expect(fieldPath('env.0.key')).toEqual(['env', 0, 'key']);
    expect(fieldPath('env[2].value')).toEqual(['env', 2, 'value']);
    expect(fieldPath('limits.memoryMb')).toEqual(['limits', 'memoryMb']);
    expect(fieldPath('(body)')).toEqual([]);
  });
});

describe(placeWarnings.name, () => {
  it('puts a warning beside the env variable or field it names, else in the general list', () => {
    const placed = placeWarnings(
      ['Set API_KEY first.', 'The package may be outdated.', 'Check the image tag.', 'Unofficial fork.'],
      ['API_KEY'],
      visibleFields('npx', 'stdio'),
    );
    expect(placed.byField).toEqual({
      'env.API_KEY': ['Set API_KEY first.'],
      package: ['The package may be outdated.'],
    });
    // "image" is not shown for an npx server: the warning must not vanish.
    expect(placed.general).toEqual(['Check the image tag.', 'Unofficial fork.']);
  });
});

describe(confidencePercent.name, () => {
  it('accepts fractions and percentages', () => {
    expect(confidencePercent(0.824)).toBe(82);
    expect(confidencePercent(75)).toBe(75);
    expect(confidencePercent(-1)).toBe(0);
  });
});
