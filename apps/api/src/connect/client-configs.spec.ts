import { API_KEY_PLACEHOLDER, buildConnectInfo } from './client-configs';

function configOf(info: ReturnType<typeof buildConnectInfo>, client: string): string {
  const config = info.configs.find((candidate) => candidate.client === client);
  if (!config) throw new Error(`no ${client} config`);
  return config.content;
}

describe(buildConnectInfo.name, () => {
  it('derives the endpoints from the public URL', () => {
    const sut = buildConnectInfo('https://mcp.example.com/');

    expect(sut).toMatchObject({
      url: 'https://mcp.example.com',
      mcpUrl: 'https://mcp.example.com/mcp',
      sseUrl: 'https://mcp.example.com/sse',
    });
    expect(sut.configs.map((config) => config.client)).toEqual([
      'claude-desktop',
      'claude-code',
      'cursor',
      'vscode',
      'raw',
    ]);
  });

  it('runs the stdio-proxy image for Claude Desktop, on the host network only for a local router', () => {
    const remote = JSON.parse(configOf(buildConnectInfo('https://mcp.example.com'), 'claude-desktop'));
    expect(remote).toEqual({
      mcpServers: {
        'mcp-router': {
          command: 'docker',
          args: [
            'run',
            '-i',
            '--rm',
            '-e',
            'MCP_ROUTER_URL=https://mcp.example.com/mcp',
            '-e',
            `MCP_ROUTER_TOKEN=${API_KEY_PLACEHOLDER}`,
            'mcp-router/stdio-proxy',
          ],
        },
      },
    });

    for (const local of ['http://localhost:8080', 'http://127.0.0.1:18080', 'http://[::1]:8080']) {
      const args = JSON.parse(configOf(buildConnectInfo(local), 'claude-desktop')).mcpServers['mcp-router'].args;
      expect(args.slice(0, 5)).toEqual(['run', '-i', '--rm', '--network', 'host']);
    }
  });

  it('gives HTTP clients the endpoint and the bearer header with the key placeholder', () => {
    const sut = buildConnectInfo('http://localhost:8080');

    expect(configOf(sut, 'claude-code')).toBe(
      'claude mcp add --transport http mcp-router http://localhost:8080/mcp --header "Authorization: Bearer <YOUR_API_KEY>"',
    );
    expect(JSON.parse(configOf(sut, 'cursor'))).toEqual({
      mcpServers: {
        'mcp-router': { url: 'http://localhost:8080/mcp', headers: { Authorization: 'Bearer <YOUR_API_KEY>' } },
      },
    });
    expect(JSON.parse(configOf(sut, 'vscode'))).toEqual({
      servers: {
        'mcp-router': {
          type: 'http',
          url: 'http://localhost:8080/mcp',
          headers: { Authorization: 'Bearer <YOUR_API_KEY>' },
        },
      },
    });
    expect(configOf(sut, 'raw')).toContain('http://localhost:8080/sse');
  });
});
