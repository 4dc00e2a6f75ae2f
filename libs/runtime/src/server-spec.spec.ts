import { InvalidServerSpecError } from './runtime.errors';
import { parseServerSpec, resolveLimits, type ServerSpec } from './server-spec';

function specInput(overrides: Partial<ServerSpec> = {}): ServerSpec {
  return {
    id: '6f1c1c0e-5a53-4c1e-9a49-2f4a0f1b2c3d',
    name: 'everything',
    runtime: 'npx',
    package: '@modelcontextprotocol/server-everything@2026.8.31',
    args: ['stdio'],
    transport: 'stdio',
    network: 'none',
    env: { API_TOKEN: 's3cr3t-value' },
    ...overrides,
  };
}

describe('parseServerSpec', () => {
  it('accepts a well-formed spec unchanged', () => {
    const input = specInput({ limits: { memoryMb: 256 } });
    expect(parseServerSpec(input)).toEqual(input);
  });

  it('lists every bad field', () => {
    const sut = () =>
      parseServerSpec(specInput({ name: 'Bad Name', package: 'x; rm -rf /', network: 'all' as 'none' }));
    expect(sut).toThrow(InvalidServerSpecError);
    try {
      sut();
    } catch (error) {
      const problems = (error as InvalidServerSpecError).problems.join('\n');
      expect(problems).toMatch(/^name: /m);
      expect(problems).toMatch(/^package: must be an npm package/m);
      expect(problems).toMatch(/^network: /m);
    }
  });

  it('refuses something that is not a spec at all', () => {
    expect(() => parseServerSpec(null)).toThrow(InvalidServerSpecError);
    expect(() => parseServerSpec('npx foo')).toThrow(/^invalid server spec: \(spec\): /);
  });

  it('requires what each runtime needs', () => {
    expect(() => parseServerSpec(specInput({ runtime: 'docker', package: undefined }))).toThrow(/image: is required/);
    expect(() => parseServerSpec(specInput({ runtime: 'remote', package: undefined }))).toThrow(/url: is required/);
    expect(() => parseServerSpec(specInput({ runtime: 'uvx', package: 'mcp-server-fetch>=1' }))).toThrow(/PyPI/);
  });

  it('names a bad env entry by its key and never quotes the value', () => {
    const secret = 'hunter2-\0-topsecret';
    let message = '';
    try {
      parseServerSpec(specInput({ env: { 'BAD=KEY': 'x', GOOD: secret } }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('BAD=KEY');
    expect(message).toContain('GOOD');
    expect(message).not.toContain('hunter2');
  });

  it('fills missing limits with the defaults', () => {
    expect(resolveLimits(undefined)).toEqual({ memoryMb: 512, cpus: 1, pids: 256 });
    expect(resolveLimits({ cpus: 0.5 })).toEqual({ memoryMb: 512, cpus: 0.5, pids: 256 });
  });
});
