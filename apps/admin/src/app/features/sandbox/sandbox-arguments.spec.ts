import { codeArgumentName } from './sandbox-arguments';

describe(codeArgumentName.name, () => {
  it("finds the sandbox tool's code argument", () => {
    expect(codeArgumentName({ properties: { timeout: { type: 'number' }, code: { type: 'string' } } })).toBe('code');
    expect(
      codeArgumentName({ properties: { label: { type: 'string' }, source: { type: 'string' } }, required: ['source'] }),
    ).toBe('source');
    expect(codeArgumentName({ properties: { script: { type: 'string' } } })).toBe('script');
    expect(codeArgumentName(undefined)).toBe('code');
  });
});
