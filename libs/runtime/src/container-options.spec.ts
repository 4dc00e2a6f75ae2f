import { containerOptionsFor, RUNTIME_LABELS } from './container-options';
import { InvalidServerSpecError } from './runtime.errors';
import type { ServerSpec } from './server-spec';

function spec(overrides: Partial<ServerSpec> = {}): ServerSpec {
  return {
    id: 'srv-1',
    name: 'everything',
    runtime: 'npx',
    package: '@modelcontextprotocol/server-everything@2026.8.31',
    args: ['stdio'],
    transport: 'stdio',
    network: 'none',
    env: { API_TOKEN: 'tok-123' },
    ...overrides,
  };
}

const placement = { sessionId: 'sess-1', instanceId: 'router-a', imageTag: 'mcp-router/srv-everything:0123456789ab' };

describe('containerOptionsFor', () => {
  it('hardens the container as the design says', () => {
    const sut = containerOptionsFor(spec(), placement);
    expect(sut.User).toBe('1000:1000');
    expect(sut.HostConfig).toMatchObject({
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      ReadonlyRootfs: true,
      Memory: 512 * 1024 * 1024,
      MemorySwap: 512 * 1024 * 1024,
      NanoCpus: 1e9,
      PidsLimit: 256,
      Privileged: false,
      Init: true,
    });
    expect(Object.keys(sut.HostConfig?.Tmpfs ?? {}).sort()).toEqual(['/home/mcp', '/tmp']);
  });

  it('applies the spec limits and opens the default bridge for egress', () => {
    const sut = containerOptionsFor(
      spec({ network: 'egress', limits: { memoryMb: 64, cpus: 0.5, pids: 32 } }),
      placement,
    );
    expect(sut.HostConfig).toMatchObject({
      NetworkMode: 'bridge',
      Memory: 64 * 1024 * 1024,
      NanoCpus: 5e8,
      PidsLimit: 32,
    });
  });

  it('labels the container with its server, session and router, which extra labels cannot override', () => {
    const sut = containerOptionsFor(spec(), {
      ...placement,
      labels: { team: 'x', [RUNTIME_LABELS.session]: 'forged' },
    });
    expect(sut.Labels).toEqual({
      team: 'x',
      'mcp-router.managed': 'true',
      'mcp-router.server': 'srv-1',
      'mcp-router.session': 'sess-1',
      'mcp-router.instance': 'router-a',
    });
  });

  it('keeps stdin open without a TTY, runs the image with the args as command and the env (with HOME)', () => {
    const sut = containerOptionsFor(spec(), placement);
    expect(sut).toMatchObject({
      OpenStdin: true,
      StdinOnce: false,
      Tty: false,
      Image: placement.imageTag,
      Cmd: ['stdio'],
    });
    expect(sut.Env).toEqual(['HOME=/home/mcp', 'API_TOKEN=tok-123']);
    expect(sut.name).toMatch(/^mcp-router-everything-[0-9a-f]{8}$/);
  });

  it("leaves a docker image's own command alone when the spec has no args", () => {
    expect(containerOptionsFor(spec({ runtime: 'docker', image: 'x/y:1', args: [] }), placement).Cmd).toBeUndefined();
  });

  it('refuses an env key that could set another variable, without quoting its value', () => {
    const sut = () => containerOptionsFor(spec({ env: { 'PATH=/evil:/bin;X': 'top-secret-value' } }), placement);
    expect(sut).toThrow(InvalidServerSpecError);
    expect(sut).not.toThrow(/top-secret-value/);
  });
});
