import { isExecutableName, isImageRef, parseNpmPackage, parsePythonPackage, pythonRequirement } from './package-ref';

describe('package references', () => {
  it.each([
    ['@modelcontextprotocol/server-everything', { name: '@modelcontextprotocol/server-everything' }],
    [
      '@modelcontextprotocol/server-everything@2026.8.31',
      { name: '@modelcontextprotocol/server-everything', version: '2026.8.31' },
    ],
    ['mcp-server-kubernetes@^2.1.0', { name: 'mcp-server-kubernetes', version: '^2.1.0' }],
    ['figma-mcp@latest', { name: 'figma-mcp', version: 'latest' }],
    ['pkg@1.0.0-beta.3+build.7', { name: 'pkg', version: '1.0.0-beta.3+build.7' }],
  ])('reads the npm package %s', (text, expected) => {
    expect(parseNpmPackage(text)).toEqual(expected);
  });

  it.each([
    'pkg; rm -rf /',
    'pkg@1.0.0 && curl evil.sh',
    '$(id)',
    '`id`',
    'pkg@">=1 <2"',
    'pkg@>=1',
    'git+https://github.com/a/b.git',
    'github:a/b',
    'file:../x',
    '../x',
    'Pkg',
    '@scope/',
    'pkg\nRUN id',
    'pkg"]',
    '',
  ])('refuses %j as an npm package', (text) => {
    expect(parseNpmPackage(text)).toBeNull();
  });

  it.each([
    ['mcp-server-fetch', { name: 'mcp-server-fetch', extras: [] }, 'mcp-server-fetch'],
    ['mcp-server-fetch==0.6.2', { name: 'mcp-server-fetch', extras: [], version: '0.6.2' }, 'mcp-server-fetch==0.6.2'],
    ['mcp-server-fetch@0.6.2', { name: 'mcp-server-fetch', extras: [], version: '0.6.2' }, 'mcp-server-fetch==0.6.2'],
    [
      'mcp_tool[cli,http]==1.0rc1',
      { name: 'mcp_tool', extras: ['cli', 'http'], version: '1.0rc1' },
      'mcp_tool[cli,http]==1.0rc1',
    ],
  ])('reads the PyPI package %s', (text, expected, requirement) => {
    const ref = parsePythonPackage(text);
    expect(ref).toEqual(expected);
    expect(pythonRequirement(ref!)).toBe(requirement);
  });

  it.each([
    'pkg>=1.0',
    'pkg; python_version<"3"',
    'https://x/y.whl',
    'pkg==1.0 --index-url http://evil',
    '-e .',
    'pkg[a b]',
  ])('refuses %j as a PyPI package', (text) => {
    expect(parsePythonPackage(text)).toBeNull();
  });

  it.each([
    'node:24-trixie-slim',
    'ghcr.io/github/github-mcp-server',
    'localhost:5000/team/srv:1.2',
    'mcp/fetch@sha256:' + 'a'.repeat(64),
  ])('accepts the image %s', (ref) => {
    expect(isImageRef(ref)).toBe(true);
  });

  it.each(['Node:24', 'img:tag;id', 'img tag', '-v /:/host', 'img:' + 'x'.repeat(200)])(
    'refuses the image %j',
    (ref) => {
      expect(isImageRef(ref)).toBe(false);
    },
  );

  it('accepts executable names and refuses paths or shell words', () => {
    expect(isExecutableName('mcp-server-everything')).toBe(true);
    expect(isExecutableName('server.py')).toBe(true);
    expect(isExecutableName('../bin/sh')).toBe(false);
    expect(isExecutableName('a b')).toBe(false);
    expect(isExecutableName('-rf')).toBe(false);
  });
});
