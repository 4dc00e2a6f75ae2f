import { createServerSchema, updateServerSchema } from './server-input';

function issues(input: unknown): Record<string, string> {
  const result = createServerSchema.safeParse(input);
  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('server input', () => {
  it('fills defaults for a minimal npx server', () => {
    expect(
      createServerSchema.parse({ name: 'memory', runtime: 'npx', package: '@modelcontextprotocol/server-memory' }),
    ).toMatchObject({
      args: [],
      transport: 'stdio',
      env: [],
      isolation: 'session',
      network: 'none',
      warmPool: 0,
      enabled: true,
      description: '',
    });
  });

  it.each([
    ['npx', { package: 'left-pad@1.3.0' }],
    ['npx', { package: '@scope/pkg' }],
    ['uvx', { package: 'mcp-server-fetch==2025.1.17' }],
    ['uvx', { package: 'awslabs.aws-documentation-mcp-server' }],
    ['docker', { image: 'ghcr.io/github/github-mcp-server:v1.2.3' }],
    ['docker', { image: 'mcp/postgres' }],
    ['remote', { url: 'https://mcp.example.com/mcp', transport: 'streamable-http' }],
  ])('accepts a %s server with %j', (runtime, fields) => {
    expect(issues({ name: 'ok', runtime, ...fields })).toEqual({});
  });

  it.each([
    [{ name: '-x', runtime: 'npx', package: 'p' }, 'name'],
    [{ name: 'x'.repeat(33), runtime: 'npx', package: 'p' }, 'name'],
    [{ name: 'ok', runtime: 'npx', package: 'p && curl x | sh' }, 'package'],
    [{ name: 'ok', runtime: 'uvx', package: 'p; rm -rf /' }, 'package'],
    [{ name: 'ok', runtime: 'docker' }, 'image'],
    [{ name: 'ok', runtime: 'docker', image: 'UPPER/Case' }, 'image'],
    [{ name: 'ok', runtime: 'remote', url: 'ftp://x', transport: 'sse' }, 'url'],
    [{ name: 'ok', runtime: 'docker', image: 'x', transport: 'streamable-http' }, 'port'],
    [{ name: 'ok', runtime: 'npx', package: 'p', args: ['a\0b'] }, 'args.0'],
    [{ name: 'ok', runtime: 'npx', package: 'p', env: [{ key: 'A' }, { key: 'A' }] }, 'env.1.key'],
    [{ name: 'ok', runtime: 'npx', package: 'p', limits: { memoryMb: 1 } }, 'limits.memoryMb'],
  ])('rejects %j at %s', (input, field) => {
    expect(Object.keys(issues(input))).toContain(field);
  });

  it('lets an update carry any subset, but nothing unknown in the enums', () => {
    expect(updateServerSchema.parse({ enabled: false })).toEqual({ enabled: false });
    expect(updateServerSchema.safeParse({ runtime: 'pip' }).success).toBe(false);
  });
});
