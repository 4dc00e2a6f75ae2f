import type { McpServerEntity } from '@mcp-router/registry';
import { revisionOf } from './registry-catalog.source';

function server(overrides: Partial<McpServerEntity> = {}): McpServerEntity {
  return {
    id: 'id',
    name: 'everything',
    displayName: 'Everything',
    description: '',
    sourceUrl: null,
    runtime: 'npx',
    package: 'p',
    image: null,
    url: null,
    port: null,
    args: [],
    transport: 'stdio',
    env: [],
    isolation: 'session',
    network: 'none',
    limits: { memoryMb: 512, cpus: 1, pids: 256 },
    warmPool: 0,
    enabled: true,
    installStatus: 'installed',
    imageTag: 'mcp-router/srv-everything:1',
    builtAt: null,
    installError: null,
    catalog: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

describe(revisionOf.name, () => {
  it('changes with what shapes a backend, even within the same second', () => {
    const base = revisionOf(server());
    expect(revisionOf(server({ isolation: 'shared' }))).not.toBe(base);
    expect(
      revisionOf(server({ env: [{ key: 'A', description: '', required: false, secret: true, value: 'v1.x' }] })),
    ).not.toBe(base);
    expect(revisionOf(server({ imageTag: 'mcp-router/srv-everything:2' }))).not.toBe(base);
  });

  it('ignores what does not (display name, pool size, timestamps)', () => {
    const base = revisionOf(server());
    expect(revisionOf(server({ displayName: 'Other', warmPool: 2, updatedAt: new Date() }))).toBe(base);
  });
});
