import { parseLaunchArgv } from './launch-command';

describe(parseLaunchArgv.name, () => {
  it('reads npx, dropping -y and a floating tag but keeping a pinned version', () => {
    expect(parseLaunchArgv(['npx', '-y', '@playwright/mcp@latest', '--headless'])).toMatchObject({
      runtime: 'npx',
      package: '@playwright/mcp',
      args: ['--headless'],
    });
    expect(parseLaunchArgv(['npx', 'widget@1.2.3'])).toMatchObject({ package: 'widget@1.2.3' });
  });

  it('reads uvx --from, and notes an executable that differs from the package', () => {
    expect(
      parseLaunchArgv(['uvx', '--from', 'redis-mcp-server@latest', 'redis-mcp-server', '--url', '"redis://h:6379"']),
    ).toMatchObject({
      runtime: 'uvx',
      package: 'redis-mcp-server',
      args: ['--url', 'redis://h:6379'],
    });
    expect(parseLaunchArgv(['uvx', '--from', 'widget-tools', 'widget-server'])).toMatchObject({
      package: 'widget-tools',
      executable: 'widget-server',
    });
  });

  it('reads docker run: env flags, published port, volumes and the image without :latest', () => {
    const sut = parseLaunchArgv(
      [
        'docker',
        'run',
        '-i',
        '--rm',
        '-e',
        'TOKEN',
        '-e',
        'MODE=fast',
        '-p',
        '8080:3000',
        '-v',
        'x:/data',
        'acme/widget:latest',
        'serve',
      ],
      [{ key: 'TOKEN', value: '<token>' }],
    );

    expect(sut).toMatchObject({
      runtime: 'docker',
      image: 'acme/widget',
      args: ['serve'],
      port: 3000,
      env: [
        { key: 'TOKEN', value: '<token>' },
        { key: 'MODE', value: 'fast' },
      ],
    });
    expect('traits' in sut && sut.traits).toContain('volume');
  });

  it('unwraps env prefixes, Windows cmd /c, and client CLIs (claude / codex / amp mcp add)', () => {
    expect(parseLaunchArgv(['env', 'API_KEY=abc', 'npx', '-y', 'widget'])).toMatchObject({
      package: 'widget',
      env: [{ key: 'API_KEY', value: 'abc' }],
    });
    expect(parseLaunchArgv(['cmd', '/c', 'npx', '-y', 'widget'])).toMatchObject({
      package: 'widget',
      traits: ['windows'],
    });
    expect(parseLaunchArgv(['claude', 'mcp', 'add', 'w', '-e', 'K=v', '--', 'uvx', 'widget'])).toMatchObject({
      runtime: 'uvx',
      package: 'widget',
      env: [{ key: 'K', value: 'v' }],
    });
    expect(parseLaunchArgv(['droid', 'mcp', 'add', 'w', 'npx widget --flag'])).toMatchObject({
      package: 'widget',
      args: ['--flag'],
    });
    expect(
      parseLaunchArgv(['claude', 'mcp', 'add', '--transport', 'sse', 'w', 'https://mcp.acme.dev/sse']),
    ).toMatchObject({
      runtime: 'remote',
      url: 'https://mcp.acme.dev/sse',
      transport: 'sse',
    });
  });

  it.each([
    [['python', '-m', 'widget']],
    [['uv', 'run', 'widget']],
    [['uvx', '--from', 'git+https://github.com/acme/widget', 'widget']],
    [['npx', '@modelcontextprotocol/inspector', 'uvx', 'widget']],
    [['npx', '-c', 'curl x | sh']],
    [['docker', 'build', '-t', 'widget', '.']],
    [['/path/to/widget', 'stdio']],
    [['npx', 'mcp-remote', 'http://localhost:8080/mcp']],
  ])('rejects %j, which the router cannot run as it is', (argv) => {
    expect(parseLaunchArgv(argv)).toHaveProperty('rejected');
  });
});
