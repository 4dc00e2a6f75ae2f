import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

describe(loadConfig.name, () => {
  it('applies the documented defaults to an empty environment', () => {
    const { config, raw } = loadConfig({});
    expect(config).toMatchObject({
      env: 'production',
      port: 8080,
      redisUrl: 'redis://127.0.0.1:6379',
      publicUrl: 'http://localhost:8080',
      github: { apiUrl: 'https://api.github.com' },
      containerDefaults: { memoryMb: 512, cpus: 1, pids: 256 },
      sessionIdleTimeoutMs: 900_000,
      probeTimeoutMs: 30_000,
      sandbox: { enabled: true, warmPool: 0, limits: { memoryMb: 1024, cpus: 1, pids: 128 } },
    });
    expect(config.database).toEqual({ type: 'sqlite', path: expect.stringMatching(/data\/mcp-router\.sqlite$/) });
    expect(raw).toEqual({ adminPasscode: undefined, jwtSecret: undefined, secretsKey: undefined });
  });

  it('treats empty strings as unset and trims a trailing slash off URLs', () => {
    const { config } = loadConfig({ PUBLIC_URL: 'https://mcp.example.com/', ANTHROPIC_API_KEY: '', GITHUB_TOKEN: '' });
    expect(config.publicUrl).toBe('https://mcp.example.com');
    expect(config.anthropic.apiKey).toBeUndefined();
    expect(config.github.token).toBeUndefined();
  });

  it('resolves the sandbox build context to an absolute path, ./docker/sandbox by default', () => {
    expect(loadConfig({}).config.sandbox.contextDir).toBe(resolve('docker/sandbox'));
    expect(loadConfig({ SANDBOX_CONTEXT_DIR: '/opt/mcp-router/sandbox' }).config.sandbox.contextDir).toBe(
      '/opt/mcp-router/sandbox',
    );
  });

  it('selects PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db/mcp' }).config.database).toEqual({
      type: 'postgres',
      url: 'postgres://u:p@db/mcp',
    });
  });

  it('names every bad variable, and never echoes a secret value', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', ADMIN_PASSCODE: 'short-pass', REDIS_URL: 'http://x', SECRETS_KEY: 'tooshort' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/PORT: /);
    expect(message).toMatch(/ADMIN_PASSCODE: must be at least 12 characters/);
    expect(message).toMatch(/REDIS_URL: must be a redis/);
    expect(message).toMatch(/SECRETS_KEY: must be 32 bytes/);
    expect(message).not.toContain('short-pass');
    expect(message).not.toContain('tooshort');
  });
});
