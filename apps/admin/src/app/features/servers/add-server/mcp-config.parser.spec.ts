import { parseMcpConfig } from './mcp-config.parser';

describe(parseMcpConfig.name, () => {
  it('turns npx, uvx, docker and URL entries into servers', () => {
    const result = parseMcpConfig(
      JSON.stringify({
        mcpServers: {
          GitHub: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-github', '--read-only'],
            env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x', GITHUB_HOST: 'github.com' },
          },
          fetch: { command: 'uvx', args: ['mcp-server-fetch'] },
          postgres: {
            command: 'docker',
            args: ['run', '-i', '--rm', '-e', 'DATABASE_URL', '-e', 'MODE=ro', '-v', '/d:/d', 'mcp/postgres:1', 'arg1'],
            env: { DATABASE_URL: 'postgres://u:p@db/x' },
          },
          linear: { url: 'https://mcp.linear.app/sse' },
          notion: { type: 'http', url: 'https://mcp.notion.com/mcp', headers: { Authorization: 'Bearer x' } },
        },
      }),
    );

    expect(result.error).toBeUndefined();
    const [github, fetch, postgres, linear, notion] = result.entries;
    expect(github?.value).toMatchObject({
      name: 'github',
      displayName: 'GitHub',
      runtime: 'npx',
      package: '@modelcontextprotocol/server-github',
      args: ['--read-only'],
    });
    expect(github?.value?.env).toEqual([
      expect.objectContaining({ key: 'GITHUB_PERSONAL_ACCESS_TOKEN', value: 'ghp_x', secret: true, required: true }),
      expect.objectContaining({ key: 'GITHUB_HOST', value: 'github.com', secret: false }),
    ]);
    expect(fetch?.value).toMatchObject({ runtime: 'uvx', package: 'mcp-server-fetch', args: [] });
    expect(postgres?.value).toMatchObject({ runtime: 'docker', image: 'mcp/postgres:1', args: ['arg1'] });
    expect(postgres?.value?.env).toEqual([
      expect.objectContaining({ key: 'DATABASE_URL', value: 'postgres://u:p@db/x' }),
      expect.objectContaining({ key: 'MODE', value: 'ro' }),
    ]);
    expect(postgres?.notes.join()).toContain('-v /d:/d');
    expect(linear?.value).toMatchObject({ runtime: 'remote', url: 'https://mcp.linear.app/sse', transport: 'sse' });
    expect(notion?.value).toMatchObject({ runtime: 'remote', transport: 'streamable-http' });
    expect(notion?.notes.join()).toContain('Authorization');
  });

  it('reads VS Code\'s "servers" key and Windows command names', () => {
    const result = parseMcpConfig(
      JSON.stringify({ servers: { memory: { command: 'npx.cmd', args: ['@mcp/memory'] } } }),
    );
    expect(result.entries[0]?.value).toMatchObject({ runtime: 'npx', package: '@mcp/memory' });
  });

  it('explains entries it cannot import, without dropping the others', () => {
    const result = parseMcpConfig(
      JSON.stringify({
        mcpServers: {
          local: { command: 'node', args: ['server.js'] },
          empty: {},
          broken: { command: 'npx', args: 'not-a-list' },
          ok: { command: 'uvx', args: ['tool'] },
        },
      }),
    );
    expect(result.entries.map((entry) => Boolean(entry.value))).toEqual([false, false, false, true]);
    expect(result.entries[0]?.error).toContain('"node" cannot run inside the router');
    expect(result.entries[1]?.error).toContain('neither a "command" nor a "url"');
    expect(result.entries[2]?.error).toContain('at "args"');
  });

  it('says what is wrong with a file that is not an MCP configuration', () => {
    expect(parseMcpConfig('{ nope').error).toContain('not valid JSON');
    expect(parseMcpConfig('{"foo": 1}').error).toContain('No "mcpServers"');
    expect(parseMcpConfig('{"mcpServers": {}}').error).toBe('The file lists no servers.');
  });
});
